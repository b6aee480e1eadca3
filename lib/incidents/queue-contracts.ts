/**
 * The queue's own API shapes (checked on the server, and on the client for answers): the
 * alert groups of the flat view (group by rule, host or user) and the saved views.
 */
import { z } from 'zod';
import { alertListQuerySchema, alertListResponseSchema, alertStatusSchema, severitySchema } from '../contracts/alerts';
import { incidentSortSchema } from '../contracts/incidents';

export const queueKindSchema = z.enum(['incidents', 'alerts']);
export type QueueKind = z.infer<typeof queueKindSchema>;
export const groupBySchema = z.enum(['rule', 'host', 'user']);
export type GroupBy = z.infer<typeof groupBySchema>;

const assignee = z.string().trim().min(1).max(200).optional();

/** GET /api/incidents/alert-groups — the groups of the flat queue's filters */
export const alertGroupsQuerySchema = alertListQuerySchema.omit({ page: true, pageSize: true }).extend({ by: groupBySchema, assignee });

/** GET /api/incidents/alert-groups/items — one group's alerts, a page at a time */
export const alertGroupItemsQuerySchema = alertListQuerySchema.extend({
  by: groupBySchema,
  key: z.string().min(1, 'key: empty (a group without a value cannot be opened)').max(512),
  assignee,
});

export const alertGroupSchema = z.object({
  /** the rule id, host or user name (null: alerts without one) */
  key: z.string().nullable(),
  /** what the group is called (the rule's name; the key for hosts and users) */
  label: z.string().nullable(),
  count: z.number().int(),
  severity: severitySchema,
  open: z.number().int(),
});
export type AlertGroupValue = z.infer<typeof alertGroupSchema>;

export const alertGroupsResponseSchema = z.object({
  groups: z.array(alertGroupSchema),
  /** how many groups there are (the answer lists the largest, at most 500) */
  totalGroups: z.number().int(),
  total: z.number().int(),
});
export type AlertGroupsResponse = z.infer<typeof alertGroupsResponseSchema>;
export const alertGroupItemsResponseSchema = alertListResponseSchema;

// ---------------------------------------------------------------- saved views

/** The address keys a saved view keeps (the page number is not part of a view). */
export const VIEW_KEYS = ['view', 'group', 'status', 'host', 'user', 'rule', 'q', 'verdict', 'assignee', 'sort', 'order'] as const;

/**
 * A view's query string: only the queue's own keys, each value checked (an unknown key or a bad
 * value is refused with its name; `page` is dropped: a view starts on its first page).
 */
export const viewSearchSchema = z
  .string()
  .max(2000, 'search: longer than 2000 characters')
  .transform((raw, ctx) => {
    const p = new URLSearchParams(raw.startsWith('?') ? raw.slice(1) : raw);
    const out = new URLSearchParams();
    for (const [k, v] of p) {
      if (k === 'page') continue;
      if (!(VIEW_KEYS as readonly string[]).includes(k)) {
        ctx.addIssue({ code: 'custom', message: `search: '${k}' is not a queue setting (${VIEW_KEYS.join(', ')})` });
        return z.NEVER;
      }
      if (v.length > 512) {
        ctx.addIssue({ code: 'custom', message: `search: ${k} is longer than 512 characters` });
        return z.NEVER;
      }
      const bad =
        (k === 'view' && !queueKindSchema.safeParse(v).success) ||
        (k === 'group' && v !== '' && !groupBySchema.safeParse(v).success) ||
        (k === 'order' && v !== 'asc' && v !== 'desc') ||
        (k === 'status' && v !== '' && v.split(',').some((s) => !alertStatusSchema.safeParse(s).success));
      if (bad) {
        ctx.addIssue({ code: 'custom', message: `search: ${k}=${v.slice(0, 40)} is not a valid value` });
        return z.NEVER;
      }
      out.set(k, v);
    }
    return out.toString();
  });

export const viewNameSchema = z.string().trim().min(1, 'name: empty').max(80, 'name: longer than 80 characters');

export const saveViewBodySchema = z.object({ name: viewNameSchema, search: viewSearchSchema }).strict();
export type SaveViewBody = z.infer<typeof saveViewBodySchema>;
/** PUT /api/incidents/views/default — the shared default (leads, admins); null clears it */
export const sharedDefaultBodySchema = z.object({ view: saveViewBodySchema.nullable() }).strict();

export const savedViewSchema = z.object({ id: z.number().int(), name: z.string(), search: z.string(), updatedAt: z.string() });
export type SavedViewValue = z.infer<typeof savedViewSchema>;
export const sharedDefaultSchema = z.object({ name: z.string(), search: z.string(), setBy: z.string(), setAt: z.string() });
export const savedViewsResponseSchema = z.object({ items: z.array(savedViewSchema), shared: sharedDefaultSchema.nullable() });
export type SavedViewsResponse = z.infer<typeof savedViewsResponseSchema>;

export const incidentQueueSortSchema = incidentSortSchema;
