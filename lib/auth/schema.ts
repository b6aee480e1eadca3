/**
 * The auth tables (users, sessions, API tokens, sign-in attempts and devices) are app.db
 * migrations 39–41 (lib/store/migrations/auth.ts), applied with the others when the database
 * opens. A database whose auth tables came from the old lazy path keeps them: the migration run
 * takes their version table over (adoptAuthMigrations).
 */
import type Database from 'better-sqlite3';
import { migrate } from '../store/migrations';

/** Kept for callers from before: runs the one migration sequence (a no-op on an opened app.db). */
export function ensureAuthSchema(db: Database.Database): void {
  migrate(db);
}
