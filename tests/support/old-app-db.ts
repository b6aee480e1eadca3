/** app.db as an older release left it: migrations applied in order up to one version, recorded only in user_version. */
import type Database from 'better-sqlite3';
import { migrations } from '@/lib/store/migrations';

export function migrateTheOldWay(db: Database.Database, upTo: number): Database.Database {
  for (const m of migrations.filter((m) => m.version <= upTo)) {
    db.exec(m.sql);
    db.pragma(`user_version = ${m.version}`);
  }
  return db;
}
