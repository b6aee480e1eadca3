/**
 * app.db migrations of the flat queue's groups and bulk actions (versions 45–47 are reserved
 * for it). Never edit one that has shipped: add the next one.
 */
import type { Migration } from '../migrations';

/**
 * An alert's count in each severity rank of the queue (lib/store/alerts' ORDER BY: critical 4,
 * high 3, medium 2, anything else 1), as four 0/1 expressions over `severity` of the row `p`.
 */
const ranks = (p: string) => [`${p}severity NOT IN ('critical','high','medium')`, `${p}severity = 'medium'`, `${p}severity = 'high'`, `${p}severity = 'critical'`];
const KINDS = [
  ['rule', 'rule_id', 'rule_name'],
  ['host', 'host_name', null],
  ['user', 'user_name', null],
] as const;

/** one alert's group rows (kind, is_null, value, label, status, n1..n4) as the row `p` ('NEW.', 'OLD.') has them */
const groupRows = (p: string) =>
  KINDS.map(([kind, col, label]) => `('${kind}', ${p}${col} IS NULL, IFNULL(${p}${col}, ''), ${label ? p + label : "''"}, ${p}status, ${ranks(p).join(', ')})`).join(',\n         ');

const add = (p: string) => `INSERT INTO alert_group_counts (kind, is_null, value, label, status, n1, n2, n3, n4)
  VALUES ${groupRows(p)}
  ON CONFLICT DO UPDATE SET n1 = n1 + excluded.n1, n2 = n2 + excluded.n2, n3 = n3 + excluded.n3, n4 = n4 + excluded.n4;`;

const subtract = (p: string) =>
  KINDS.map(([kind, col, label]) => {
    const where = `kind = '${kind}' AND status = ${p}status AND is_null = (${p}${col} IS NULL) AND value = IFNULL(${p}${col}, '') AND label = ${label ? p + label : "''"}`;
    const [r1, r2, r3, r4] = ranks(p);
    return `UPDATE alert_group_counts SET n1 = n1 - (${r1}), n2 = n2 - (${r2}), n3 = n3 - (${r3}), n4 = n4 - (${r4}) WHERE ${where};
  DELETE FROM alert_group_counts WHERE ${where} AND n1 + n2 + n3 + n4 = 0;`;
  }).join('\n  ');

const backfill = KINDS.map(
  ([kind, col, label]) => `INSERT INTO alert_group_counts (kind, is_null, value, label, status, n1, n2, n3, n4)
SELECT '${kind}', ${col} IS NULL, IFNULL(${col}, ''), ${label ?? "''"}, status, ${ranks('').map((r) => `SUM(${r})`).join(', ')}
FROM alerts GROUP BY ${col} IS NULL, IFNULL(${col}, ''), ${label ?? "''"}, status;`,
).join('\n');

export const queueMigrations: Migration[] = [
  {
    version: 45,
    name: 'alert group counts',
    // The flat queue's groups (GET /api/incidents/alert-groups, filtered by status only) read
    // from here instead of a GROUP BY over every matching alert: one row per (kind, value,
    // rule name, status) with its alerts counted per severity rank (n1 low … n4 critical; a
    // severity the queue does not know ranks low, as its ORDER BY does), kept by triggers on
    // every insert, delete and update of the columns it depends on. A NULL value is its own
    // group (is_null = 1, value ''), apart from the empty string, as GROUP BY keeps them; the
    // value is compared in BINARY collation (exact case), as the alerts' columns are. The label
    // is the rule's name for the rule kind (a group's is the largest of its names), '' otherwise.
    // A row whose counts all reach 0 is deleted, so every row stands for at least one alert.
    sql: `
CREATE TABLE alert_group_counts (
  kind     TEXT NOT NULL CHECK (kind IN ('rule','host','user')),
  is_null  INTEGER NOT NULL,
  value    TEXT NOT NULL,
  label    TEXT NOT NULL,
  status   TEXT NOT NULL,
  n1       INTEGER NOT NULL DEFAULT 0,
  n2       INTEGER NOT NULL DEFAULT 0,
  n3       INTEGER NOT NULL DEFAULT 0,
  n4       INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (kind, status, is_null, value, label)
) WITHOUT ROWID;
${backfill}
CREATE TRIGGER alerts_group_counts_insert AFTER INSERT ON alerts
BEGIN
  ${add('NEW.')}
END;
CREATE TRIGGER alerts_group_counts_delete AFTER DELETE ON alerts
BEGIN
  ${subtract('OLD.')}
END;
CREATE TRIGGER alerts_group_counts_update AFTER UPDATE OF status, severity, rule_id, rule_name, host_name, user_name ON alerts
WHEN OLD.status IS NOT NEW.status OR OLD.severity IS NOT NEW.severity OR OLD.rule_id IS NOT NEW.rule_id
  OR OLD.rule_name IS NOT NEW.rule_name OR OLD.host_name IS NOT NEW.host_name OR OLD.user_name IS NOT NEW.user_name
BEGIN
  ${subtract('OLD.')}
  ${add('NEW.')}
END;
`,
  },
];
