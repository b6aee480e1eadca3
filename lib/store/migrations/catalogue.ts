/**
 * app.db migrations of the catalogue work (versions 11–14 are reserved for it).
 * Never edit one that has shipped: add the next one.
 */
import type { Migration } from '../migrations';

export const catalogueMigrations: Migration[] = [
  {
    version: 11,
    name: 'rule catalogue: every version with its definition, imported rules',
    // rule_versions keeps the whole rule of each version seen (the validated input shape as
    // JSON, and its hash, so a re-import of the same text is told apart from a new revision);
    // imported_rules names the rules that came from an import (NDJSON/JSONL/TOML upload) and
    // the version of each that is current — their text lives in rule_versions, so the import
    // file is not needed afterwards. rule_catalogue_version is bumped by every import, so a
    // server notices an import made by the CLI in another process.
    sql: `
ALTER TABLE rule_versions ADD COLUMN definition TEXT;
ALTER TABLE rule_versions ADD COLUMN definition_hash TEXT;
ALTER TABLE rule_versions ADD COLUMN origin TEXT;
CREATE TABLE imported_rules (
  rule_id      TEXT PRIMARY KEY,
  version      INTEGER NOT NULL,
  origin       TEXT NOT NULL,
  imported_at  TEXT NOT NULL,
  imported_by  TEXT NOT NULL
);
CREATE TABLE rule_catalogue_version (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL);
INSERT INTO rule_catalogue_version (id, version) VALUES (1, 0);
`,
  },
];
