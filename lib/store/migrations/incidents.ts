/**
 * app.db migrations of the incidents work (versions 19–22, 31–34 and 42–44 are reserved for it).
 * Never edit one that has shipped: add the next one.
 */
import type { Migration } from '../migrations';

/** migration 43: a trigger that gives the incidents `which` names the next stamp */
const restamp = (name: string, event: string, which: string, when = '') => `CREATE TRIGGER ${name} AFTER ${event}${when ? `\nWHEN ${when}` : ''}
BEGIN
  UPDATE incident_stamp SET n = n + 1 WHERE id = 1;
  UPDATE incidents SET stamp = (SELECT n FROM incident_stamp WHERE id = 1) WHERE ${which};
END;`;
const stampTriggers = [
  restamp('incidents_stamp_insert', 'INSERT ON incidents', 'rowid = NEW.rowid'),
  restamp('incidents_stamp_update', 'UPDATE ON incidents', 'rowid = NEW.rowid', 'NEW.stamp IS OLD.stamp'),
  restamp('incident_steps_stamp_insert', 'INSERT ON incident_steps', 'id = NEW.incident_id'),
  restamp('incident_steps_stamp_update', 'UPDATE ON incident_steps', 'id IN (OLD.incident_id, NEW.incident_id)'),
  restamp('incident_steps_stamp_delete', 'DELETE ON incident_steps', 'id = OLD.incident_id'),
].join('\n');
/** migration 43: migration 32's sort indexes again, each with the stamp last */
const queueIndexes = (
  [
    ['last_seen', 'last_seen, id'],
    ['first_seen', 'first_seen, last_seen, id'],
    ['severity', 'severity_rank, last_seen, id'],
    ['alert_count', 'alert_count, last_seen, id'],
    ['risk', 'risk_score, last_seen, id'],
  ] as const
)
  .map(([name, cols]) => `DROP INDEX IF EXISTS incidents_queue_${name};\nCREATE INDEX incidents_queue_${name} ON incidents (${cols}, status, stamp);`)
  .join('\n');

export const incidentsMigrations: Migration[] = [
  {
    version: 19,
    name: 'incidents',
    // Incidents group alerts (lib/incidents/grouping). incident_keys holds each grouped alert's
    // entity keys (host, user, process lineage) with its time in epoch ms, indexed so an
    // alert's neighbours inside the window are an index range each. incident_alerts holds one
    // membership per alert: its incident, whether a person put it there (pinned: the grouping
    // never moves it), and why it joined (JSON). incident_aliases sends the id of an incident
    // absorbed by a later grouping to the one that absorbed it. The summary columns of
    // incidents (severity, counts, lists) are written by the grouping and every manual change.
    sql: `
CREATE TABLE incidents (
  id               TEXT PRIMARY KEY,
  status           TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','acknowledged','closed')),
  verdict          TEXT CHECK (verdict IS NULL OR verdict IN ('true_positive','benign_true_positive','false_positive')),
  closing_note     TEXT,
  assignee         TEXT,
  touched          INTEGER NOT NULL DEFAULT 0,
  severity         TEXT NOT NULL DEFAULT 'low',
  severity_rank    INTEGER NOT NULL DEFAULT 1,
  risk_score       INTEGER NOT NULL DEFAULT 0,
  alert_count      INTEGER NOT NULL DEFAULT 0,
  open_alerts      INTEGER NOT NULL DEFAULT 0,
  hosts            TEXT NOT NULL DEFAULT '[]',
  users            TEXT NOT NULL DEFAULT '[]',
  rules            TEXT NOT NULL DEFAULT '[]',
  first_seen       TEXT,
  last_seen        TEXT,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL,
  acknowledged_at  TEXT,
  closed_at        TEXT,
  version          INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX incidents_last_seen ON incidents (last_seen, id);
CREATE INDEX incidents_status_last_seen ON incidents (status, last_seen, id);

CREATE TABLE incident_alerts (
  alert_id     TEXT PRIMARY KEY REFERENCES alerts(id) ON DELETE CASCADE,
  incident_id  TEXT NOT NULL REFERENCES incidents(id),
  pinned       INTEGER NOT NULL DEFAULT 0,
  reason       TEXT
);
CREATE INDEX incident_alerts_incident ON incident_alerts (incident_id, alert_id);

CREATE TABLE incident_keys (
  alert_id  TEXT NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
  kind      TEXT NOT NULL,
  value     TEXT NOT NULL,
  t         INTEGER NOT NULL,
  host      TEXT,
  PRIMARY KEY (alert_id, kind, value)
);
CREATE INDEX incident_keys_lookup ON incident_keys (kind, value, t);

CREATE TABLE incident_aliases (
  old_id  TEXT PRIMARY KEY,
  new_id  TEXT NOT NULL
);

CREATE TABLE incident_steps (
  incident_id  TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  step_id      TEXT NOT NULL,
  state        TEXT NOT NULL CHECK (state IN ('open','done','not_applicable')),
  owner        TEXT,
  note         TEXT,
  actor        TEXT NOT NULL,
  updated_at   TEXT NOT NULL,
  PRIMARY KEY (incident_id, step_id)
);

CREATE TABLE incident_version (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL);
INSERT INTO incident_version (id, version) VALUES (1, 0);
`,
  },
  {
    version: 20,
    name: 'incident webhooks',
    // Webhooks (lib/incidents/notify): who configured which address, payload format, secret for
    // the HMAC signature, events and lowest severity. Each delivery is a row: its event, the
    // payload as sent, attempts, next attempt time, last HTTP status or error. dedup_key keeps
    // one delivery per webhook, event and incident (an SLA breach or a new incident notifies once).
    sql: `
CREATE TABLE webhooks (
  id            TEXT PRIMARY KEY,
  name          TEXT NOT NULL,
  url           TEXT NOT NULL,
  format        TEXT NOT NULL CHECK (format IN ('json','slack','teams')),
  secret        TEXT NOT NULL,
  events        TEXT NOT NULL,
  min_severity  TEXT NOT NULL DEFAULT 'high' CHECK (min_severity IN ('low','medium','high','critical')),
  enabled       INTEGER NOT NULL DEFAULT 1,
  created_by    TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL
);

CREATE TABLE webhook_deliveries (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  webhook_id       TEXT NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
  event            TEXT NOT NULL,
  incident_id      TEXT,
  dedup_key        TEXT NOT NULL UNIQUE,
  body             TEXT NOT NULL,
  status           TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','delivered','failed')),
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_at  TEXT NOT NULL,
  last_status      INTEGER,
  last_error       TEXT,
  created_at       TEXT NOT NULL,
  delivered_at     TEXT
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries_hook ON webhook_deliveries (webhook_id, id);
`,
  },
  {
    version: 21,
    name: 'incident queue sort indexes',
    // the queue's sorts read a page in index order (severity, first seen) instead of sorting every incident
    sql: `
CREATE INDEX incidents_severity ON incidents (severity_rank, last_seen, id);
CREATE INDEX incidents_first_seen ON incidents (first_seen, id);
`,
  },
  {
    version: 22,
    name: 'incident grouping settings',
    // the grouping's window and keys as an admin set them (over GUIDEPOST_INCIDENT_*); one row
    sql: `
CREATE TABLE incident_settings (
  id              INTEGER PRIMARY KEY CHECK (id = 1),
  window_minutes  INTEGER NOT NULL,
  keys            TEXT NOT NULL,
  updated_by      TEXT NOT NULL,
  updated_at      TEXT NOT NULL
);
`,
  },
  {
    version: 31,
    name: 'queue saved views',
    // A queue view as its owner saved it under a name: the queue's address state (view,
    // filters, grouping, sort) as a query string, checked by lib/incidents/views on the way in
    // and out. queue_shared_default holds the one view a lead or admin set for everyone (a
    // queue opened with no state of its own starts from it).
    sql: `
CREATE TABLE queue_views (
  id          INTEGER PRIMARY KEY,
  owner       TEXT NOT NULL,
  name        TEXT NOT NULL,
  search      TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  UNIQUE (owner, name)
);
CREATE TABLE queue_shared_default (
  id          INTEGER PRIMARY KEY CHECK (id = 1),
  name        TEXT NOT NULL,
  search      TEXT NOT NULL,
  set_by      TEXT NOT NULL,
  set_at      TEXT NOT NULL
);
`,
  },
  {
    version: 32,
    name: 'incident queue covering sort indexes',
    // One index per queue sort, in the sort's exact order (key, last seen, id) with the status
    // after it: a page (any offset) is read from the index in order and filtered on status
    // there, never sorting every incident (first seen, alert count and risk had no index; the
    // last-seen and severity ones made SQLite read each row for its status). They replace the
    // three sort indexes of migrations 19 and 21.
    sql: `
DROP INDEX IF EXISTS incidents_last_seen;
DROP INDEX IF EXISTS incidents_severity;
DROP INDEX IF EXISTS incidents_first_seen;
CREATE INDEX incidents_queue_last_seen ON incidents (last_seen, id, status);
CREATE INDEX incidents_queue_first_seen ON incidents (first_seen, last_seen, id, status);
CREATE INDEX incidents_queue_severity ON incidents (severity_rank, last_seen, id, status);
CREATE INDEX incidents_queue_alert_count ON incidents (alert_count, last_seen, id, status);
CREATE INDEX incidents_queue_risk ON incidents (risk_score, last_seen, id, status);
`,
  },
  {
    version: 42,
    name: 'incident counts',
    // The incident queue's totals when its filter is the status and/or the assignee (what the
    // queue asks on every refresh) read from here instead of a COUNT over every incident: one
    // row per (status, assignee) with its number of incidents, kept by triggers on every
    // insert, delete and update of either column, so every writer (the grouping, people's
    // changes, another process) keeps it exact in its own transaction. An unassigned incident
    // counts under is_null = 1 (assignee ''), apart from an assignee that is the empty string.
    // A row whose count reaches 0 is deleted. Filters with a time range or text use COUNT.
    sql: `
CREATE TABLE incident_counts (
  status    TEXT NOT NULL,
  is_null   INTEGER NOT NULL,
  assignee  TEXT NOT NULL,
  n         INTEGER NOT NULL,
  PRIMARY KEY (status, is_null, assignee)
) WITHOUT ROWID;
INSERT INTO incident_counts (status, is_null, assignee, n)
  SELECT status, assignee IS NULL, IFNULL(assignee, ''), COUNT(*) FROM incidents GROUP BY status, assignee IS NULL, IFNULL(assignee, '');
CREATE TRIGGER incidents_counts_insert AFTER INSERT ON incidents
BEGIN
  INSERT INTO incident_counts (status, is_null, assignee, n) VALUES (NEW.status, NEW.assignee IS NULL, IFNULL(NEW.assignee, ''), 1)
    ON CONFLICT (status, is_null, assignee) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER incidents_counts_delete AFTER DELETE ON incidents
BEGIN
  UPDATE incident_counts SET n = n - 1 WHERE status = OLD.status AND is_null = (OLD.assignee IS NULL) AND assignee = IFNULL(OLD.assignee, '');
  DELETE FROM incident_counts WHERE status = OLD.status AND is_null = (OLD.assignee IS NULL) AND assignee = IFNULL(OLD.assignee, '') AND n <= 0;
END;
CREATE TRIGGER incidents_counts_update AFTER UPDATE OF status, assignee ON incidents
WHEN OLD.status IS NOT NEW.status OR OLD.assignee IS NOT NEW.assignee
BEGIN
  UPDATE incident_counts SET n = n - 1 WHERE status = OLD.status AND is_null = (OLD.assignee IS NULL) AND assignee = IFNULL(OLD.assignee, '');
  DELETE FROM incident_counts WHERE status = OLD.status AND is_null = (OLD.assignee IS NULL) AND assignee = IFNULL(OLD.assignee, '') AND n <= 0;
  INSERT INTO incident_counts (status, is_null, assignee, n) VALUES (NEW.status, NEW.assignee IS NULL, IFNULL(NEW.assignee, ''), 1)
    ON CONFLICT (status, is_null, assignee) DO UPDATE SET n = n + 1;
END;
`,
  },
  {
    version: 43,
    name: 'incident row stamps',
    // stamp: a number that changes whenever anything the queue shows of an incident changes
    // (any column, or its response steps' count), taken from one counter for all incidents, so
    // an id and its stamp name one content for good (an incident deleted and made again under
    // the same id gets a stamp never used before). The queue keeps each incident's serialised
    // row under (id, stamp) and rebuilds only the rows whose stamp moved. The sort indexes of
    // migration 32 get the stamp as their last column, so a page's ids and stamps come from
    // the index alone. The existing rows keep stamp 0 until they change.
    sql: `
CREATE TABLE incident_stamp (id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL);
INSERT INTO incident_stamp (id, n) VALUES (1, 0);
ALTER TABLE incidents ADD COLUMN stamp INTEGER NOT NULL DEFAULT 0;
${stampTriggers}
${queueIndexes}
`,
  },
  {
    version: 44,
    name: 'incident open alerts follow their alerts',
    // An alert closed or reopened on its own (PATCH /api/alerts/:id, bulk assign's claim, an
    // exception closing matching alerts, another process) moves its incident's not-closed count
    // by one and its updated_at, and the incidents' version (the queue's caches), in the same
    // statement: O(1) whatever the incident's size, and no writer can forget it. The other
    // summary columns (severity and risk: the highest of all its alerts, closed or not; lists,
    // times) do not depend on an alert's status or assignee. The rows left wrong by the old code
    // (an alert closed alone) are recounted once here.
    sql: `
CREATE TRIGGER alerts_incident_open_alerts AFTER UPDATE OF status ON alerts
WHEN (OLD.status = 'closed') IS NOT (NEW.status = 'closed')
  AND EXISTS (SELECT 1 FROM incident_alerts WHERE alert_id = NEW.id)
BEGIN
  UPDATE incidents SET open_alerts = open_alerts + (CASE WHEN NEW.status = 'closed' THEN -1 ELSE 1 END),
                       updated_at = max(updated_at, NEW.updated_at)
   WHERE id = (SELECT incident_id FROM incident_alerts WHERE alert_id = NEW.id);
  UPDATE incident_version SET version = version + 1 WHERE id = 1;
END;
UPDATE incidents SET open_alerts = (
  SELECT COUNT(*) FROM incident_alerts m JOIN alerts a ON a.id = m.alert_id WHERE m.incident_id = incidents.id AND a.status != 'closed')
 WHERE open_alerts != (
  SELECT COUNT(*) FROM incident_alerts m JOIN alerts a ON a.id = m.alert_id WHERE m.incident_id = incidents.id AND a.status != 'closed');
`,
  },
];
