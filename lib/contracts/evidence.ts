import { z } from 'zod';
import { fieldValues } from '../eql/document';
import { alertStatusSchema, severitySchema } from './alerts';

/** The evidence of an alert as the API sends it (lib/investigation's triage model). */
const windowSchema = z.object({ from: z.string(), to: z.string() });
const refSchema = z.object({ _index: z.string(), _id: z.string() });

export const processNodeSchema = z.object({
  entityId: z.string().nullable(),
  pid: z.number().nullable(),
  name: z.string().nullable(),
  executable: z.string().nullable(),
  commandLine: z.string().nullable(),
  user: z.string().nullable(),
  startTime: z.string().nullable(),
  codeSignature: z
    .object({ subjectName: z.string().nullable(), trusted: z.boolean().nullable(), exists: z.boolean().nullable(), status: z.string().nullable() })
    .nullable(),
  hashes: z.object({ md5: z.string().optional(), sha1: z.string().optional(), sha256: z.string().optional() }).default({}),
  hostPrevalence: z.number().nullable(),
  role: z.enum(['ancestor', 'subject', 'descendant', 'sibling']),
  depth: z.number(),
  stub: z.boolean(),
  event: refSchema.nullable(),
  children: z.array(z.string()).default([]),
});
export type ProcessNodeValue = z.infer<typeof processNodeSchema>;

export const processTreeSchema = z.object({
  subjectEntityId: z.string().nullable(),
  hostName: z.string().nullable(),
  ancestors: z.array(processNodeSchema),
  subject: processNodeSchema,
  descendants: z.array(processNodeSchema),
  cuts: z.array(z.object({ where: z.string(), why: z.string(), detail: z.string() })).default([]),
  window: windowSchema,
});
export type ProcessTreeValue = z.infer<typeof processTreeSchema>;

export const siblingsResponseSchema = z.object({
  items: z.array(processNodeSchema),
  truncated: z.boolean(),
  cut: z.object({ where: z.string(), why: z.string(), detail: z.string() }).nullable(),
});
export type SiblingsResponse = z.infer<typeof siblingsResponseSchema>;

export const relatedAlertsSchema = z.object({
  window: windowSchema,
  hours: z.number(),
  items: z.array(
    z.object({
      id: z.string(),
      ruleId: z.string(),
      ruleName: z.string(),
      severity: severitySchema,
      riskScore: z.number(),
      timestamp: z.string(),
      status: alertStatusSchema,
      hostName: z.string().nullable(),
      userName: z.string().nullable(),
      processName: z.string().nullable(),
      filePath: z.string().nullable(),
      later: z.boolean().default(false),
      offsetMs: z.number().default(0),
      reasons: z.array(z.string()),
      explanations: z.array(z.string()),
    }),
  ),
  truncated: z.boolean(),
  unrelated: z.number().default(0),
});
export type RelatedAlertsValue = z.infer<typeof relatedAlertsSchema>;

export const activitySchema = z.object({
  window: windowSchema,
  entityIds: z.array(z.string()).default([]),
  groups: z.array(
    z.object({
      kind: z.string(),
      count: z.number(),
      truncated: z.boolean(),
      items: z.array(
        z.object({
          kind: z.string(),
          time: z.string().nullable(),
          action: z.string().nullable(),
          summary: z.string(),
          /** the process that did it (the triage page marks the writer of the alert's file) */
          entityId: z.string().nullable().default(null),
          processName: z.string().nullable(),
          pid: z.number().nullable(),
          fields: z.record(z.string(), z.string()).default({}),
          event: refSchema,
        }),
      ),
    }),
  ),
  total: z.number(),
  truncated: z.boolean(),
});
export type ActivityValue = z.infer<typeof activitySchema>;

export const logonsSchema = z.object({
  hostName: z.string().nullable(),
  window: windowSchema,
  items: z.array(
    z.object({
      time: z.string().nullable(),
      eventCode: z.string().nullable(),
      outcome: z.string().nullable(),
      action: z.string().nullable(),
      logonType: z.string().nullable(),
      user: z.string().nullable(),
      sourceIp: z.string().nullable(),
      sourceHost: z.string().nullable(),
      hostName: z.string().nullable(),
      event: refSchema,
    }),
  ),
  truncated: z.boolean(),
  byUser: z.array(z.object({ user: z.string(), success: z.number(), failure: z.number(), other: z.number() })).default([]),
});
export type LogonsValue = z.infer<typeof logonsSchema>;

export const fileEvidenceSchema = z.object({
  path: z.string().nullable(),
  name: z.string().nullable().default(null),
  hashes: z
    .array(z.object({ algorithm: z.enum(['md5', 'sha1', 'sha256']), value: z.string(), source: z.object({ _index: z.string(), _id: z.string(), field: z.string() }).optional() }))
    .default([]),
  signature: z
    .object({ subjectName: z.string().nullable(), trusted: z.boolean().nullable(), exists: z.boolean().nullable(), status: z.string().nullable() })
    .nullable()
    .default(null),
  /** the PowerShell command that computes the SHA-256 on the host */
  getFileHashCommand: z.string().nullable().default(null),
  /** reputation links for the hash */
  links: z.array(z.object({ site: z.string(), url: z.string(), hash: z.string() })).default([]),
  relatedEvents: z.array(z.object({ time: z.string().nullable(), action: z.string().nullable(), event: refSchema })).default([]),
});
export type FileEvidenceValue = z.infer<typeof fileEvidenceSchema>;

export const filledOsquerySchema = z.object({
  stepId: z.string(),
  label: z.string(),
  template: z.string(),
  query: z.string(),
  unresolved: z.array(z.string()).default([]),
  ready: z.boolean().default(true),
});
export type FilledOsqueryValue = z.infer<typeof filledOsquerySchema>;

/** GET /api/alerts/:id/evidence — a failed part is null and named in `errors`; the rest still arrives. */
export const evidenceResponseSchema = z.object({
  alertId: z.string(),
  alertTime: z.string(),
  sourceKind: z.string(),
  processTree: processTreeSchema.nullable(),
  relatedAlerts: relatedAlertsSchema.nullable(),
  activity: activitySchema.nullable(),
  logons: logonsSchema.nullable(),
  file: fileEvidenceSchema.nullable(),
  osquery: z.array(filledOsquerySchema).default([]),
  errors: z.array(z.object({ part: z.string(), message: z.string() })).default([]),
});
export type EvidenceResponse = z.infer<typeof evidenceResponseSchema>;

/** the most generations of descendants the process tree shows when expanded */
export const MAX_TREE_DEPTH = 12;

export const evidenceQuerySchema = z.object({
  /** related-alerts window, hours before and after the alert */
  hours: z.coerce.number().int().min(1).max(24 * 30).default(48),
  /** generations of descendants in the process tree (expanded on demand past the default 4) */
  depth: z.coerce.number().int().min(1).max(MAX_TREE_DEPTH).default(4),
});

/** POST /api/alerts/:id/investigate — run the step's n-th investigate block */
export const investigateRequestSchema = z
  .object({
    stepId: z.string().min(1).max(200),
    index: z.number().int().min(0).max(50).default(0),
  })
  .strict();
export type InvestigateRequest = z.infer<typeof investigateRequestSchema>;

export const investigateResponseSchema = z.object({
  label: z.string(),
  /** the EQL the block became (null when it only filters alerts) */
  query: z.string().nullable(),
  window: windowSchema.nullable(),
  eventTotal: z.number(),
  eventRelation: z.enum(['eq', 'gte']).default('eq'),
  events: z.array(z.object({ _index: z.string(), _id: z.string(), _source: z.record(z.string(), z.unknown()) })),
  alerts: z.array(z.object({ id: z.string(), ruleName: z.string(), timestamp: z.string() })).default([]),
  count: z.number(),
  error: z.string().nullable(),
  unresolved: z.array(z.string()).default([]),
  problems: z.array(z.string()).default([]),
});
export type InvestigateResponse = z.infer<typeof investigateResponseSchema>;

/** Reputation links for a hash (the sites' public search pages). */
export function hashLinks(hash: string): { site: string; url: string; hash: string }[] {
  const h = encodeURIComponent(hash.toLowerCase());
  return [
    { site: 'VirusTotal', url: `https://www.virustotal.com/gui/file/${h}`, hash },
    { site: 'Hybrid-Analysis', url: `https://www.hybrid-analysis.com/search?query=${h}`, hash },
    { site: 'Talos', url: `https://talosintelligence.com/talos_file_reputation?s=${h}`, hash },
    { site: 'Any.run', url: `https://app.any.run/submissions/#filehash:${h}`, hash },
  ];
}

/** `Get-FileHash` for a Windows path, quoted for PowerShell (single quotes doubled). */
export function getFileHashCommand(path: string): string {
  return `Get-FileHash -Algorithm SHA256 -LiteralPath '${path.replace(/'/g, "''")}'`;
}

/** A string field of an event, read as every other reader does (lib/eql/document). */
function readStr(source: Record<string, unknown>, path: string): string | undefined {
  const v = fieldValues(source, path).find((x): x is string => typeof x === 'string');
  return v;
}

/** File evidence read from the alert's own event (used when the server sends none). */
export function fileEvidenceFromEvent(source: Record<string, unknown>): FileEvidenceValue | null {
  const path = readStr(source, 'file.path') ?? null;
  const hashes = (['sha256', 'sha1', 'md5'] as const).flatMap((algorithm) => {
    const value = readStr(source, `file.hash.${algorithm}`);
    return value ? [{ algorithm, value }] : [];
  });
  if (!path && hashes.length === 0) return null;
  const sha256 = hashes.find((h) => h.algorithm === 'sha256')?.value;
  return {
    path,
    name: readStr(source, 'file.name') ?? null,
    hashes,
    signature: null,
    getFileHashCommand: path ? getFileHashCommand(path) : null,
    links: sha256 ? hashLinks(sha256) : [],
    relatedEvents: [],
  };
}
