/** The grouping settings admins save (window, keys); audited. They apply to alerts grouped from then on. */
import { appendAudit } from '../store/audit';
import { getDb, type AppDb } from '../store/db';
import { groupingConfig, groupingConfigFromEnv, savedGroupingConfig, type GroupingConfig } from './config';

export function groupingSettings(db: AppDb = getDb()) {
  let env: GroupingConfig | null = null;
  let envError: string | null = null;
  try {
    env = groupingConfigFromEnv();
  } catch (e) {
    envError = e instanceof Error ? e.message : String(e);
  }
  const saved = savedGroupingConfig(db);
  let effective: GroupingConfig | null = null;
  try {
    effective = groupingConfig(db);
  } catch {
    effective = null;
  }
  return { effective, saved, env, envError };
}

export function saveGroupingSettings(config: GroupingConfig, actor: string, now = new Date(), db: AppDb = getDb()) {
  return db
    .transaction(() => {
      const before = savedGroupingConfig(db);
      db.prepare(
        `INSERT INTO incident_settings (id, window_minutes, keys, updated_by, updated_at) VALUES (1, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET window_minutes = excluded.window_minutes, keys = excluded.keys, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
      ).run(config.windowMinutes, JSON.stringify(config.keys), actor, now.toISOString());
      appendAudit(db, { actor, entity: 'incident_settings', entityId: 'grouping', action: 'update', before, after: config, at: now.toISOString() });
      return groupingSettings(db);
    })
    .immediate();
}
