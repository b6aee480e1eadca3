import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, migrations } from './migrations';
import { migrateTheOldWay } from '@/tests/support/old-app-db';

const versions = (db: Database.Database) => db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all() as number[];

describe('migrate', () => {
  it('applies every migration once, in version order, and ends user_version at the highest', () => {
    const db = new Database(':memory:');
    expect(migrate(db)).toBe(migrations.length);
    expect(versions(db)).toEqual(migrations.map((m) => m.version).sort((a, b) => a - b));
    expect(db.pragma('user_version', { simple: true })).toBe(Math.max(...migrations.map((m) => m.version)));
    expect(migrate(db)).toBe(0);
  });

  it('runs a migration added later below the highest applied version (an area range filled in later)', () => {
    const db = new Database(':memory:');
    migrate(db);
    db.prepare('DELETE FROM schema_migrations WHERE version = ?').run(migrations[3]!.version);
    // as if migration 4 had been added after the others ran: it must still run (its table exists, so make it re-runnable)
    db.exec('DROP TABLE rule_versions');
    expect(migrate(db)).toBe(1);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'rule_versions'").pluck().get()).toBe(1);
  });

  it('takes a database from before the table as having had every migration up to its user_version', () => {
    const db = new Database(':memory:');
    migrateTheOldWay(db, 10);
    const later = migrations.filter((m) => m.version > 10).length;
    expect(migrate(db)).toBe(later);
    expect(versions(db)).toEqual(migrations.map((m) => m.version).sort((a, b) => a - b));
  });
});
