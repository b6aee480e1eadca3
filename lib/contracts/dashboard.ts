import { z } from 'zod';
import { alertSchema, alertStatusSchema as status, severitySchema as severity } from '@/lib/domain/alert';

export const dashboardPeriods = ['24h', '7d', '30d', '90d'] as const;
export const dashboardPeriodSchema = z.enum(dashboardPeriods);
export type DashboardPeriod = z.infer<typeof dashboardPeriodSchema>;
export const periodHours: Record<DashboardPeriod, number> = { '24h': 24, '7d': 168, '30d': 720, '90d': 2160 };

/** GET /api/dashboard?period=24h|7d|30d|90d (or from=&to= ISO) */
export const dashboardQuerySchema = z
  .object({
    period: dashboardPeriodSchema.default('7d'),
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
  })
  .refine((q) => (q.from === undefined) === (q.to === undefined), { message: 'from and to go together' })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), { message: 'from must be before to', path: ['from'] });

const durationStats = z.object({ count: z.number(), medianMinutes: z.number().nullable(), p90Minutes: z.number().nullable() });
const slaTarget = z.object({ acknowledgeMinutes: z.number(), closeMinutes: z.number() });

export const dashboardResponseSchema = z.object({
  generatedAt: z.string(),
  period: z.object({ from: z.string(), to: z.string() }),
  byStatus: z.record(status, z.number()),
  byAge: z.array(z.object({ bucket: z.string(), count: z.number() })),
  bySeverity: z.record(severity, z.number()),
  analysts: z.array(
    z.object({ analyst: z.string(), assigned: z.number(), inProgress: z.number(), closed: z.number(), medianCompletion: z.number().nullable() }),
  ),
  investigations: z.object({
    total: z.number(),
    items: z.array(
      alertSchema
        .pick({
          id: true,
          ruleId: true,
          ruleName: true,
          severity: true,
          status: true,
          assignee: true,
          hostName: true,
          timestamp: true,
          userName: true,
          processName: true,
          filePath: true,
          version: true,
          createdAt: true,
        })
        .extend({ ageMinutes: z.number(), stepsDone: z.number(), stepsTotal: z.number() }),
    ),
  }),
  timeToAcknowledge: durationStats,
  timeToClose: durationStats,
  sla: z.record(severity, slaTarget),
  breaches: z.object({
    total: z.number(),
    items: z.array(
      z.object({
        id: z.string(),
        ruleName: z.string(),
        severity,
        assignee: z.string().nullable(),
        kind: z.enum(['acknowledge', 'close']),
        limitMinutes: z.number(),
        overdueMinutes: z.number(),
      }),
    ),
  }),
});
export type DashboardResponse = z.infer<typeof dashboardResponseSchema>;
