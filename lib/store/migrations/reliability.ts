/**
 * app.db migrations of the reliability work (versions 27–30 are reserved for it).
 * Never edit one that has shipped: add the next one.
 */
import type { Migration } from '../migrations';

export const reliabilityMigrations: Migration[] = [
  {
    version: 27,
    name: 'ingest jobs kept in app.db',
    // who uploaded which file, its state and counts: kept across restarts (a job running when
    // the server stopped is marked interrupted with the counts it had reached)
    sql: `
      CREATE TABLE ingest_jobs (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        format TEXT NOT NULL,
        target_index TEXT,
        state TEXT NOT NULL CHECK (state IN ('receiving', 'ingesting', 'done', 'failed', 'interrupted')),
        started_by TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        progress TEXT,
        report TEXT,
        error TEXT
      );
      CREATE INDEX ingest_jobs_started ON ingest_jobs (started_at DESC, id);
      CREATE INDEX ingest_jobs_running ON ingest_jobs (state) WHERE state IN ('receiving', 'ingesting');
    `,
  },
];
