/**
 * app.db migrations of the dashboard (versions 48–49 are reserved for it).
 * Never edit one that has shipped: add the next one.
 */
import type { Migration } from '../migrations';

export const dashboardMigrations: Migration[] = [
  {
    version: 48,
    name: 'alert lifecycle version ignores new open alerts',
    // The period figures kept under the lifecycle version (lib/dashboard/answer.ts) count alerts
    // acknowledged or closed in the period: closed per assignee, time to acknowledge, time to
    // close. An alert created open (every alert a rule run raises) changes none of them, yet
    // migration 7 moved the version on every insert, so each batch of new alerts made the next
    // dashboard requests recompute the 24 h / 7 d / 30 d figures on the web thread (1–2 s of
    // stalls in the load bench while a detection cycle stored its alerts). An insert now moves
    // it only when the alert arrives acknowledged or closed; deletes and updates as before.
    sql: `
DROP TRIGGER IF EXISTS alerts_lifecycle_insert;
CREATE TRIGGER alerts_lifecycle_insert AFTER INSERT ON alerts
WHEN NEW.acknowledged_at IS NOT NULL OR NEW.closed_at IS NOT NULL
BEGIN UPDATE alert_lifecycle SET version = version + 1 WHERE id = 1; END;
`,
  },
];
