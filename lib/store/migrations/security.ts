/**
 * app.db migrations of the security work (versions 15–18 are reserved for it).
 * Never edit one that has shipped: add the next one.
 */
import type { Migration } from '../migrations';

export const securityMigrations: Migration[] = [
  {
    version: 15,
    name: 'exception approvals',
    // An analyst's exception is a proposal ('pending') that suppresses nothing until a lead
    // approves it; who decided and when; whether approval closes the open alerts it matches
    // (and with which verdict). Exceptions made before approvals existed were in force and
    // stay 'approved' (decided_by NULL = before approvals).
    sql: `
ALTER TABLE exceptions ADD COLUMN status TEXT NOT NULL DEFAULT 'approved' CHECK (status IN ('pending', 'approved', 'rejected'));
ALTER TABLE exceptions ADD COLUMN decided_by TEXT;
ALTER TABLE exceptions ADD COLUMN decided_at TEXT;
ALTER TABLE exceptions ADD COLUMN decision_note TEXT NOT NULL DEFAULT '';
ALTER TABLE exceptions ADD COLUMN close_matching INTEGER NOT NULL DEFAULT 0;
ALTER TABLE exceptions ADD COLUMN close_verdict TEXT;
CREATE INDEX exceptions_status ON exceptions (status, created_at);
`,
  },
];
