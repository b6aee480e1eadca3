/**
 * Sign-in throttling. Every attempt is counted *before* its password is checked, so
 * concurrent guesses cannot slip past the count; one attempt per account is checked at a
 * time (the others get 429 at once, without reaching argon2), and at most a few checks run
 * in the whole process.
 *
 * Failures are counted per attempt *source*: a browser that signed in as the account before
 * (it carries a device token), otherwise the (account, client) pair. After a few free
 * failures each further attempt from that source waits, doubling up to a ceiling. So a
 * stranger hammering `admin` slows down their own source, not the admin's browser.
 * Behind a trusted reverse proxy the client's address also has a limit of its own across all
 * accounts (without one, every direct client looks the same, and such a limit would lock
 * everybody out). Counts are persisted, so a restart does not reset them.
 */
import type { AppDb } from '../store/db';

export const FREE_FAILURES = 5;
/** free failures from one client address across all accounts (behind a trusted proxy only) */
export const FREE_CLIENT_FAILURES = 20;
const BASE_DELAY_MS = 2_000;
const MAX_DELAY_MS = 15 * 60_000;
const WINDOW_MS = 15 * 60_000;
/** password checks (argon2, ~19 MiB each) running at once in this process */
export const MAX_CHECKS_IN_FLIGHT = 8;

interface AttemptRow {
  failures: number;
  first_at: number;
  locked_until: number;
}

/** 0 when an attempt may go ahead; otherwise how long to wait (ms). */
export function signInDelay(db: AppDb, key: string, now = Date.now()): number {
  const row = db.prepare<unknown[], AttemptRow>('SELECT * FROM signin_attempts WHERE key = ?').get(key);
  if (!row) return 0;
  return Math.max(0, row.locked_until - now);
}

let recorded = 0;
/** every this many recorded attempts, rows that no longer hold anything back are dropped */
const PRUNE_EVERY = 200;

/** Count one failure (or one attempt not yet known to succeed); returns the delay it set. */
export function recordSignInFailure(db: AppDb, key: string, now = Date.now(), free = FREE_FAILURES): number {
  if (++recorded % PRUNE_EVERY === 0) {
    // made-up names leave a row each: keep the table to the live window
    db.prepare('DELETE FROM signin_attempts WHERE first_at < ? AND locked_until < ?').run(now - WINDOW_MS, now);
  }
  return db.transaction(() => {
    const row = db.prepare<unknown[], AttemptRow>('SELECT * FROM signin_attempts WHERE key = ?').get(key);
    const fresh = !row || (now - row.first_at > WINDOW_MS && row.locked_until <= now);
    const failures = fresh ? 1 : row.failures + 1;
    const firstAt = fresh ? now : row.first_at;
    const over = failures - free;
    const delay = over > 0 ? Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.min(over - 1, 30)) : 0;
    db.prepare(
      'INSERT INTO signin_attempts (key, failures, first_at, locked_until) VALUES (?, ?, ?, ?) ' +
        'ON CONFLICT(key) DO UPDATE SET failures = excluded.failures, first_at = excluded.first_at, locked_until = excluded.locked_until',
    ).run(key, failures, firstAt, now + delay);
    return delay;
  }).immediate();
}

/** Take back one counted attempt that turned out to succeed (keeps the others). */
export function clearSignInFailures(db: AppDb, key: string): void {
  db.prepare('DELETE FROM signin_attempts WHERE key = ?').run(key);
}

/** Take back one counted attempt of `key` (a success from a client address that is counted across accounts). */
export function forgiveSignInAttempt(db: AppDb, key: string): void {
  db.prepare('UPDATE signin_attempts SET failures = failures - 1 WHERE key = ? AND failures > 0').run(key);
}

/** Attempt keys of a source and of a client address (the tables' keys, in one place). */
export const attemptKeys = {
  pair: (name: string, client: string) => `${name.toLowerCase()}|${client}`,
  device: (name: string, device: string) => `${name.toLowerCase()}|device:${device}`,
  client: (client: string) => `client:${client}`,
};

/** The accounts with a password check running now, and how many checks run. */
const inFlight = new Set<string>();

/** Claim the one check slot of an account; false when one is running or the process is busy. */
export function claimSignInSlot(name: string): boolean {
  const key = name.toLowerCase();
  if (inFlight.has(key) || inFlight.size >= MAX_CHECKS_IN_FLIGHT) return false;
  inFlight.add(key);
  return true;
}

export function releaseSignInSlot(name: string): void {
  inFlight.delete(name.toLowerCase());
}
