/**
 * SLA targets per severity: how long an alert may stay unacknowledged, and unclosed.
 * Configurable with GUIDEPOST_SLA (JSON, minutes), e.g.
 * {"high":{"acknowledgeMinutes":30,"closeMinutes":480}}. Unnamed severities keep defaults.
 */
import { z } from 'zod';
import type { Severity } from '../detection/types';

const targetSchema = z.object({
  acknowledgeMinutes: z.number().positive(),
  closeMinutes: z.number().positive(),
});
export type SlaTarget = z.infer<typeof targetSchema>;
export type SlaConfig = Record<Severity, SlaTarget>;

export const defaultSla: SlaConfig = {
  critical: { acknowledgeMinutes: 15, closeMinutes: 4 * 60 },
  high: { acknowledgeMinutes: 30, closeMinutes: 8 * 60 },
  medium: { acknowledgeMinutes: 4 * 60, closeMinutes: 24 * 60 },
  low: { acknowledgeMinutes: 24 * 60, closeMinutes: 72 * 60 },
};

const configSchema = z
  .object({
    critical: targetSchema.partial(),
    high: targetSchema.partial(),
    medium: targetSchema.partial(),
    low: targetSchema.partial(),
  })
  .partial()
  .strict();

/** Reads GUIDEPOST_SLA; a malformed value is an error that names the field. */
export function slaFromEnv(raw = process.env.GUIDEPOST_SLA): SlaConfig {
  if (!raw) return defaultSla;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (err) {
    throw new Error(`GUIDEPOST_SLA is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  const parsed = configSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`GUIDEPOST_SLA: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
  }
  const out = { ...defaultSla };
  for (const sev of Object.keys(out) as Severity[]) out[sev] = { ...out[sev], ...parsed.data[sev] };
  return out;
}
