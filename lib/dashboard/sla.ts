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

const partialTarget = targetSchema.partial().strict();
const configSchema = z.object({ critical: partialTarget, high: partialTarget, medium: partialTarget, low: partialTarget }).partial().strict();

/**
 * SLA targets from the JSON of variable `name` (minutes per severity) over `defaults`: a
 * severity or target not named keeps its default; malformed JSON, an unknown key or a
 * non-positive number is an error that names the variable and the field.
 */
export function parseSlaConfig(name: string, raw: string | undefined, defaults: SlaConfig): SlaConfig {
  if (!raw) return defaults;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (err) {
    throw new Error(`${name} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  const parsed = configSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${name}: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
  }
  const out = { ...defaults };
  for (const sev of Object.keys(out) as Severity[]) out[sev] = { ...out[sev], ...parsed.data[sev] };
  return out;
}

/** Reads GUIDEPOST_SLA. */
export function slaFromEnv(raw = process.env.GUIDEPOST_SLA): SlaConfig {
  return parseSlaConfig('GUIDEPOST_SLA', raw, defaultSla);
}
