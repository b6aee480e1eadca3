/**
 * Numbered migrations of app.db. `PRAGMA user_version` holds the number of the last one
 * applied; each runs in its own transaction. Never edit a migration that has shipped:
 * add the next one.
 */
import type Database from 'better-sqlite3';
import { analystMigrations } from './migrations/analyst';
import { adoptAuthMigrations, authMigrations } from './migrations/auth';
import { catalogueMigrations } from './migrations/catalogue';
import { incidentsMigrations } from './migrations/incidents';
import { queueMigrations } from './migrations/queue';
import { dashboardMigrations } from './migrations/dashboard';
import { reliabilityMigrations } from './migrations/reliability';
import { securityMigrations } from './migrations/security';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const baseMigrations: Migration[] = [
  {
    version: 1,
    name: 'initial app state',
    sql: `
CREATE TABLE rules (
  rule_id     TEXT PRIMARY KEY,
  enabled     INTEGER NOT NULL DEFAULT 1,
  version     INTEGER,
  name        TEXT,
  file        TEXT,
  updated_at  TEXT NOT NULL,
  updated_by  TEXT
);

CREATE TABLE rule_state (
  rule_id              TEXT PRIMARY KEY,
  last_success_end     TEXT,
  last_attempt_at      TEXT,
  consecutive_failures INTEGER NOT NULL DEFAULT 0,
  next_retry_at        TEXT,
  lease_owner          TEXT,
  lease_expires_at     TEXT,
  running_run_id       TEXT,
  gap_from             TEXT,
  gap_to               TEXT
);

CREATE TABLE rule_runs (
  id              TEXT PRIMARY KEY,
  rule_id         TEXT NOT NULL,
  from_ts         TEXT NOT NULL,
  to_ts           TEXT NOT NULL,
  started_at      TEXT NOT NULL,
  finished_at     TEXT,
  status          TEXT NOT NULL CHECK (status IN ('running','succeeded','partial','failed')),
  hits            INTEGER NOT NULL DEFAULT 0,
  alerts_created  INTEGER NOT NULL DEFAULT 0,
  duration_ms     INTEGER,
  error           TEXT,
  trigger         TEXT NOT NULL CHECK (trigger IN ('scheduled','backfill','manual')),
  shard_failures  TEXT,
  owner           TEXT
);
CREATE INDEX rule_runs_rule_started ON rule_runs (rule_id, started_at DESC);
CREATE INDEX rule_runs_status ON rule_runs (status);

CREATE TABLE alerts (
  id                  TEXT PRIMARY KEY,
  rule_id             TEXT NOT NULL,
  dedup_key           TEXT NOT NULL,
  rule_version        INTEGER NOT NULL,
  rule_name           TEXT NOT NULL,
  severity            TEXT NOT NULL,
  risk_score          INTEGER NOT NULL,
  mitre               TEXT NOT NULL,
  event_index         TEXT NOT NULL,
  event_id            TEXT NOT NULL,
  event               TEXT NOT NULL,
  sequence_events     TEXT,
  timestamp           TEXT NOT NULL,
  created_at          TEXT NOT NULL,
  run_id              TEXT NOT NULL,
  status              TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','acknowledged','closed')),
  verdict             TEXT CHECK (verdict IS NULL OR verdict IN ('true_positive','benign_true_positive','false_positive')),
  closing_note        TEXT,
  assignee            TEXT,
  host_name           TEXT,
  user_name           TEXT,
  process_name        TEXT,
  process_entity_id   TEXT,
  file_path           TEXT,
  acknowledged_at     TEXT,
  closed_at           TEXT,
  updated_at          TEXT NOT NULL,
  version             INTEGER NOT NULL DEFAULT 1,
  UNIQUE (rule_id, dedup_key)
);
CREATE INDEX alerts_timestamp ON alerts (timestamp DESC);
CREATE INDEX alerts_status_timestamp ON alerts (status, timestamp DESC);
CREATE INDEX alerts_rule_timestamp ON alerts (rule_id, timestamp DESC);
CREATE INDEX alerts_host_timestamp ON alerts (host_name, timestamp DESC);
CREATE INDEX alerts_user_timestamp ON alerts (user_name, timestamp DESC);
CREATE INDEX alerts_assignee_status ON alerts (assignee, status);
CREATE INDEX alerts_entity ON alerts (process_entity_id);
CREATE INDEX alerts_severity_timestamp ON alerts (severity, timestamp DESC);
CREATE INDEX alerts_event_ref ON alerts (event_index, event_id);

CREATE TABLE checklist_steps (
  alert_id    TEXT NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
  step_id     TEXT NOT NULL,
  section     TEXT NOT NULL DEFAULT 'guide' CHECK (section IN ('guide','response')),
  state       TEXT NOT NULL CHECK (state IN ('open','done','not_applicable')),
  reason      TEXT,
  note        TEXT,
  owner       TEXT,
  actor       TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  version     INTEGER NOT NULL DEFAULT 1,
  PRIMARY KEY (alert_id, step_id)
);

CREATE TABLE alert_notes (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  alert_id    TEXT NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
  body        TEXT NOT NULL,
  author      TEXT NOT NULL,
  created_at  TEXT NOT NULL
);
CREATE INDEX alert_notes_alert ON alert_notes (alert_id, id);
CREATE TRIGGER alert_notes_no_update BEFORE UPDATE ON alert_notes
BEGIN SELECT RAISE(ABORT, 'alert_notes is append-only'); END;

CREATE TABLE exceptions (
  id               TEXT PRIMARY KEY,
  rule_id          TEXT NOT NULL,
  entries          TEXT NOT NULL,
  comment          TEXT NOT NULL DEFAULT '',
  expires_at       TEXT,
  created_by       TEXT NOT NULL,
  created_at       TEXT NOT NULL,
  source_alert_id  TEXT
);
CREATE INDEX exceptions_rule ON exceptions (rule_id);

CREATE TABLE audit (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  at          TEXT NOT NULL,
  actor       TEXT NOT NULL,
  entity      TEXT NOT NULL,
  entity_id   TEXT NOT NULL,
  action      TEXT NOT NULL,
  before      TEXT,
  after       TEXT
);
CREATE INDEX audit_entity ON audit (entity, entity_id, id);
CREATE INDEX audit_at ON audit (at);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
`,
  },
  {
    version: 2,
    name: 'alert queue sort indexes',
    sql: `
CREATE INDEX alerts_severity_rank ON alerts ((CASE severity WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END), timestamp);
CREATE INDEX alerts_rule_name_timestamp ON alerts (rule_name, timestamp);
CREATE INDEX alerts_risk_timestamp ON alerts (risk_score, timestamp);
CREATE INDEX alerts_created_at ON alerts (created_at);
`,
  },
  {
    version: 3,
    name: 'dashboard covering indexes',
    // the team-lead dashboard reads these columns of every unclosed alert; covering indexes
    // keep it off the wide rows (which carry the source event's JSON)
    sql: `
CREATE INDEX alerts_overview ON alerts (status, severity, created_at, assignee, rule_id, id);
CREATE INDEX alerts_durations ON alerts (created_at, acknowledged_at, closed_at);
CREATE INDEX alerts_closed_by ON alerts (closed_at, assignee) WHERE closed_at IS NOT NULL;
CREATE INDEX alerts_status_created ON alerts (status, created_at, id);
`,
  },
  {
    version: 4,
    name: 'rule versions',
    // the guide of every rule version loaded, so an alert keeps the guide of the version that raised it
    sql: `
CREATE TABLE rule_versions (
  rule_id        TEXT NOT NULL,
  version        INTEGER NOT NULL,
  name           TEXT NOT NULL,
  note           TEXT,
  note_hash      TEXT NOT NULL,
  first_seen_at  TEXT NOT NULL,
  PRIMARY KEY (rule_id, version)
);
`,
  },
  {
    version: 5,
    name: 'queue covering indexes',
    // One index per queue sort and per equality filter (rule, host, user, assignee): that
    // key, then the tie-breakers (timestamp, id) so no sort step is needed, then the columns
    // of the common filters (status, assignee) so rows are filtered and skipped (OFFSET) in
    // the index without reading the wide table row. They replace the sort and filter
    // indexes of migrations 1 and 2 (each a prefix of one, or (assignee, status)).
    // The severity expression must stay identical to the queue's ORDER BY (lib/store/alerts).
    sql: `
DROP INDEX alerts_timestamp;
DROP INDEX alerts_status_timestamp;
DROP INDEX alerts_host_timestamp;
DROP INDEX alerts_user_timestamp;
DROP INDEX alerts_severity_rank;
DROP INDEX alerts_rule_name_timestamp;
DROP INDEX alerts_risk_timestamp;
DROP INDEX alerts_created_at;
DROP INDEX alerts_rule_timestamp;
DROP INDEX alerts_assignee_status;
CREATE INDEX alerts_q_rule ON alerts (rule_id, timestamp, id, status, assignee);
CREATE INDEX alerts_q_assignee ON alerts (assignee, timestamp, id, status);
CREATE INDEX alerts_q_timestamp ON alerts (timestamp, id, status, assignee);
CREATE INDEX alerts_q_status ON alerts (status, timestamp, id, assignee);
CREATE INDEX alerts_q_host ON alerts (host_name, timestamp, id, status, assignee);
CREATE INDEX alerts_q_user ON alerts (user_name, timestamp, id, status, assignee);
CREATE INDEX alerts_q_severity ON alerts ((CASE severity WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END), timestamp, id, status, assignee);
CREATE INDEX alerts_q_rule_name ON alerts (rule_name, timestamp, id, status, assignee);
CREATE INDEX alerts_q_risk ON alerts (risk_score, timestamp, id, status, assignee);
CREATE INDEX alerts_q_created ON alerts (created_at, timestamp, id, status, assignee);
`,
  },
  {
    version: 6,
    name: 'checklist steps done per alert',
    // the dashboard's completion figures: each alert's count of done / not-applicable steps,
    // kept by triggers on every checklist write (insert, upsert, update, delete), instead of
    // aggregating the whole checklist table per dashboard read
    sql: `
ALTER TABLE alerts ADD COLUMN steps_done INTEGER NOT NULL DEFAULT 0;
UPDATE alerts SET steps_done = (
  SELECT COUNT(*) FROM checklist_steps c WHERE c.alert_id = alerts.id AND c.state IN ('done','not_applicable'))
WHERE id IN (SELECT alert_id FROM checklist_steps);
CREATE TRIGGER checklist_steps_done_insert AFTER INSERT ON checklist_steps
WHEN NEW.state IN ('done','not_applicable')
BEGIN UPDATE alerts SET steps_done = steps_done + 1 WHERE id = NEW.alert_id; END;
CREATE TRIGGER checklist_steps_done_update AFTER UPDATE OF state, alert_id ON checklist_steps
WHEN (OLD.state IN ('done','not_applicable')) != (NEW.state IN ('done','not_applicable')) OR OLD.alert_id != NEW.alert_id
BEGIN
  UPDATE alerts SET steps_done = steps_done - 1 WHERE id = OLD.alert_id AND OLD.state IN ('done','not_applicable');
  UPDATE alerts SET steps_done = steps_done + 1 WHERE id = NEW.alert_id AND NEW.state IN ('done','not_applicable');
END;
CREATE TRIGGER checklist_steps_done_delete AFTER DELETE ON checklist_steps
WHEN OLD.state IN ('done','not_applicable')
BEGIN UPDATE alerts SET steps_done = steps_done - 1 WHERE id = OLD.alert_id; END;
CREATE INDEX alerts_progress ON alerts (status, assignee, rule_id, steps_done);
`,
  },
  {
    version: 7,
    name: 'alert lifecycle version',
    // a counter bumped whenever an alert is created or deleted or its creation, acknowledge or
    // close time or its assignee changes: the dashboard's period figures depend on nothing
    // else, so they are kept while only checklists, notes or verdicts change
    sql: `
CREATE TABLE alert_lifecycle (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL);
INSERT INTO alert_lifecycle (id, version) VALUES (1, 0);
CREATE TRIGGER alerts_lifecycle_insert AFTER INSERT ON alerts
BEGIN UPDATE alert_lifecycle SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER alerts_lifecycle_delete AFTER DELETE ON alerts
BEGIN UPDATE alert_lifecycle SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER alerts_lifecycle_update AFTER UPDATE OF created_at, acknowledged_at, closed_at, assignee ON alerts
WHEN OLD.created_at IS NOT NEW.created_at OR OLD.acknowledged_at IS NOT NEW.acknowledged_at
  OR OLD.closed_at IS NOT NEW.closed_at OR OLD.assignee IS NOT NEW.assignee
BEGIN UPDATE alert_lifecycle SET version = version + 1 WHERE id = 1; END;
`,
  },
  {
    version: 8,
    name: 'progress per rule version',
    // an alert's checklist belongs to the guide of the rule version that raised it, so the
    // dashboard groups progress by rule version too, still from the index alone
    sql: `
DROP INDEX alerts_progress;
CREATE INDEX alerts_progress ON alerts (status, assignee, rule_id, rule_version, steps_done);
`,
  },
  {
    version: 9,
    name: 'my alerts sort indexes',
    // "My alerts" (an assignee filter) sorted by severity, risk, rule or host: the assignee,
    // then the sort key and the tie-breakers, so an analyst's page is read in order from the
    // index instead of sorting all of that analyst's alerts (5-7 ms -> 1-3 ms per page with
    // 10k alerts each). The severity expression is the queue's ORDER BY (lib/store/alerts).
    sql: `
CREATE INDEX alerts_q_assignee_severity ON alerts (assignee, (CASE severity WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END), timestamp, id, status);
CREATE INDEX alerts_q_assignee_risk ON alerts (assignee, risk_score, timestamp, id, status);
CREATE INDEX alerts_q_assignee_rule_name ON alerts (assignee, rule_name, timestamp, id, status);
CREATE INDEX alerts_q_assignee_host ON alerts (assignee, host_name, timestamp, id, status);
`,
  },
  {
    version: 10,
    name: 'alert queue version',
    // a counter bumped whenever an alert is created or deleted or a column the queue lists
    // is written (lib/store/alerts QUEUE_COLUMNS): queue pages are kept while only
    // checklists (steps_done), notes, closing notes or other tables change
    sql: `
CREATE TABLE alert_queue_version (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL);
INSERT INTO alert_queue_version (id, version) VALUES (1, 0);
CREATE TRIGGER alerts_queue_insert AFTER INSERT ON alerts
BEGIN UPDATE alert_queue_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER alerts_queue_delete AFTER DELETE ON alerts
BEGIN UPDATE alert_queue_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER alerts_queue_update AFTER UPDATE OF id, rule_id, rule_version, rule_name, severity, risk_score, timestamp,
  created_at, status, verdict, assignee, host_name, user_name, process_name, process_entity_id, file_path, version,
  event_index, event_id ON alerts
BEGIN UPDATE alert_queue_version SET version = version + 1 WHERE id = 1; END;
`,
  },
];

/**
 * Every migration, by version. Later work keeps its migrations in `migrations/<area>.ts`, each
 * area with its own reserved range of versions; a version is never reused or renumbered.
 */
export const migrations: Migration[] = [
  ...baseMigrations,
  ...catalogueMigrations,
  ...securityMigrations,
  ...incidentsMigrations,
  ...queueMigrations,
  ...dashboardMigrations,
  ...analystMigrations,
  ...reliabilityMigrations,
  ...authMigrations,
].sort((a, b) => a.version - b.version);

/**
 * Apply every migration the database has not had, in version order. Applied versions are kept
 * in `schema_migrations`, so a migration added later inside an area's reserved range still
 * runs on a database that already has higher versions (`user_version` alone would skip it).
 * A database from before that table had every migration up to its `user_version` (they ran in
 * order): those are recorded as applied. `user_version` still ends at the highest version.
 */
export function migrate(db: Database.Database): number {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  const record = db.prepare('INSERT OR IGNORE INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const known = db.prepare<unknown[], number>('SELECT count(*) FROM schema_migrations').pluck().get();
  if (known === 0) {
    const userVersion = Number(db.pragma('user_version', { simple: true }));
    const now = new Date().toISOString();
    db.transaction(() => {
      for (const m of migrations) if (m.version <= userVersion) record.run(m.version, m.name, now);
    }).immediate();
  }
  // the auth tables had a version table of their own before they joined this sequence
  adoptAuthMigrations(db);
  const done = new Set(db.prepare<unknown[], number>('SELECT version FROM schema_migrations').pluck().all());
  let applied = 0;
  for (const m of migrations) {
    if (done.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.version, m.name, new Date().toISOString());
      const highest = Number(db.pragma('user_version', { simple: true }));
      if (m.version > highest) db.pragma(`user_version = ${m.version}`);
    }).immediate();
    applied += 1;
  }
  return applied;
}
