/**
 * How alerts are grouped into incidents: the time window and the keys that join alerts.
 * From the environment (GUIDEPOST_INCIDENT_WINDOW_MINUTES, GUIDEPOST_INCIDENT_KEYS), checked
 * with zod; a bad value is an error that says which variable and why (never silently ignored).
 */
import { z } from 'zod';
import { incidentKeys, type IncidentKey } from '../domain/incident';
import { AppError } from '../errors';
import type { AppDb } from '../store/db';

export { incidentKeys, type IncidentKey };

export interface GroupingConfig {
  /** two alerts further apart than this never join through host or user */
  windowMinutes: number;
  /** the keys that join alerts */
  keys: IncidentKey[];
}

export const DEFAULT_CONFIG: GroupingConfig = { windowMinutes: 60, keys: ['process', 'host', 'user'] };

const windowSchema = z.coerce.number().int().min(1).max(10_080);
const keysSchema = z.array(z.enum(incidentKeys)).min(1);

export class GroupingConfigError extends AppError {
  constructor(message: string) {
    super('invalid_request', message);
    this.name = 'GroupingConfigError';
  }
}

/** The grouping's configuration from `env` (default: process.env). */
export function groupingConfigFromEnv(env: Record<string, string | undefined> = process.env): GroupingConfig {
  const out: GroupingConfig = { ...DEFAULT_CONFIG, keys: [...DEFAULT_CONFIG.keys] };
  const w = env.GUIDEPOST_INCIDENT_WINDOW_MINUTES?.trim();
  if (w) {
    const parsed = windowSchema.safeParse(w);
    if (!parsed.success) throw new GroupingConfigError(`GUIDEPOST_INCIDENT_WINDOW_MINUTES: '${w}' is not a whole number of minutes from 1 to 10080`);
    out.windowMinutes = parsed.data;
  }
  const k = env.GUIDEPOST_INCIDENT_KEYS?.trim();
  if (k) {
    const list = k.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
    const parsed = keysSchema.safeParse(list);
    if (!parsed.success) {
      throw new GroupingConfigError(`GUIDEPOST_INCIDENT_KEYS: '${k}' must be a comma-separated list of ${incidentKeys.join(', ')}`);
    }
    out.keys = incidentKeys.filter((key) => parsed.data.includes(key));
  }
  return out;
}

/** the settings an admin saved (they win over the environment), or null */
export function savedGroupingConfig(db: AppDb): (GroupingConfig & { updatedBy: string; updatedAt: string }) | null {
  const r = db
    .prepare<[], { window_minutes: number; keys: string; updated_by: string; updated_at: string }>('SELECT window_minutes, keys, updated_by, updated_at FROM incident_settings WHERE id = 1')
    .get();
  if (!r) return null;
  const keys = keysSchema.safeParse(JSON.parse(r.keys));
  if (!keys.success) return null;
  return { windowMinutes: r.window_minutes, keys: incidentKeys.filter((k) => keys.data.includes(k)), updatedBy: r.updated_by, updatedAt: r.updated_at };
}

/** The grouping's configuration: an admin's saved settings, else the environment, else the defaults. */
export function groupingConfig(db: AppDb): GroupingConfig {
  const saved = savedGroupingConfig(db);
  return saved ? { windowMinutes: saved.windowMinutes, keys: saved.keys } : groupingConfigFromEnv();
}

export const groupingSettingsSchema = z.object({ windowMinutes: windowSchema, keys: keysSchema }).strict();
