/**
 * Answers computed from the app database (the dashboard's figures, queue pages). Between
 * two changes of the database nothing can differ but the clock, so an answer is kept per
 * slot (period, or query + user) for up to maxAgeMs (default 10 s) and dropped as soon as the database
 * changes (this connection's total_changes(), other connections' data_version).
 */
import type { AppDb } from '@/lib/store/db';

const DEFAULT_MAX_AGE_MS = 10_000;
/** slots kept (oldest written dropped first) */
const MAX_ENTRIES = 500;

interface Entry<T> {
  key: string;
  at: number;
  value: T;
}

const entries = new Map<string, Entry<unknown>>();

export function dataVersion(db: AppDb): string {
  const changes = (db.prepare('SELECT total_changes() AS n').get() as { n: number }).n;
  const version = db.pragma('data_version', { simple: true }) as number;
  return `${changes}:${version}`;
}

export function cached<T>(slot: string, version: string, compute: () => T, now = Date.now(), maxAgeMs = DEFAULT_MAX_AGE_MS): T {
  const hit = entries.get(slot);
  if (hit && hit.key === version && now - hit.at < maxAgeMs) return hit.value as T;
  const value = compute();
  entries.delete(slot);
  entries.set(slot, { key: version, at: now, value });
  if (entries.size > MAX_ENTRIES) {
    const oldest = entries.keys().next();
    if (!oldest.done) entries.delete(oldest.value);
  }
  return value;
}

/** A JSON answer from a string kept in the cache (serialized once, not per request). */
export function jsonText(text: string, status = 200): Response {
  return new Response(text, { status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' } });
}
