/** app.db as an older release left it: migrations applied in order up to one version, recorded only in user_version. */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migrations } from '@/lib/store/migrations';

export function migrateTheOldWay(db: Database.Database, upTo: number): Database.Database {
  for (const m of migrations.filter((m) => m.version <= upTo)) {
    db.exec(m.sql);
    db.pragma(`user_version = ${m.version}`);
  }
  return db;
}

/** Such an app.db in a file of its own (`dir` is the test's to remove), open as `db`. */
export function oldAppDbFile(upTo: number, prefix: string): { dir: string; file: string; db: Database.Database } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const file = path.join(dir, 'app.db');
  return { dir, file, db: migrateTheOldWay(new Database(file), upTo) };
}
