/**
 * Answers computed from the app database (the dashboard's figures, queue pages). Between
 * two changes of the database nothing can differ but the clock, so an answer is kept per
 * slot (period, or query + user) for up to maxAgeMs (default 10 s) and dropped as soon as the version
 * it was computed at changes: `dataVersion` (any change to the database: this connection's
 * total_changes(), other connections' data_version), or a narrower counter of the tables the
 * answer reads (the queue's, the dashboard's lifecycle figures).
 */
import { prepared, type AppDb } from './db';
import { alertLifecycleVersion, alertQueueVersion } from './alerts';

const DEFAULT_MAX_AGE_MS = 10_000;
/** slots kept (oldest written dropped first) */
const MAX_ENTRIES = 500;

interface Entry<T> {
  key: string;
  at: number;
  value: T;
}

const entries = new Map<string, Entry<unknown>>();

/** a number per database connection, so a swapped-in database never matches the last one's answers */
const connectionIds = new WeakMap<AppDb, number>();
let nextConnectionId = 1;

/** A number of its own for each database connection (part of every cache version). */
export function connectionId(db: AppDb): number {
  let id = connectionIds.get(db);
  if (id === undefined) connectionIds.set(db, (id = nextConnectionId++));
  return id;
}

/** What the database's answers depend on: the connection, its own changes, other connections' commits. */
export function dataVersion(db: AppDb): string {
  const changes = prepared<number>(db, 'SELECT total_changes()').pluck().get() ?? 0;
  const version = prepared<number>(db, 'PRAGMA data_version').pluck().get() ?? 0;
  return `${connectionId(db)}:${changes}:${version}`;
}

/** What the queue's pages (and the dashboard's counts) depend on: the alerts' listed columns (migration 10). */
export function queueVersion(db: AppDb): string {
  return `${connectionId(db)}:queue:${alertQueueVersion(db)}`;
}

/** What a period's dashboard figures depend on: alerts deleted, acknowledged, closed, reassigned, or created so (migrations 7, 48). */
export function lifecycleVersion(db: AppDb): string {
  return `${connectionId(db)}:lifecycle:${alertLifecycleVersion(db)}`;
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

/**
 * Answers kept per database connection while a version number of what they read stays the
 * same (no clock): `remember(db, key, version, make)` answers the kept value or makes, keeps
 * and answers a new one; `remember.peek(db, key, version)` only looks. At most `limit` keys
 * per connection (the oldest written dropped first).
 */
export function versionMemo(limit: number) {
  const memos = new WeakMap<AppDb, Map<string, { version: number; value: unknown }>>();
  function peek<T>(db: AppDb, key: string, version: number): T | undefined {
    const hit = memos.get(db)?.get(key);
    return hit && hit.version === version ? (hit.value as T) : undefined;
  }
  function remember<T>(db: AppDb, key: string, version: number, make: () => T): T {
    let memo = memos.get(db);
    if (!memo) memos.set(db, (memo = new Map()));
    const hit = memo.get(key);
    if (hit && hit.version === version) return hit.value as T;
    const value = make();
    if (memo.size >= limit) memo.delete(memo.keys().next().value!);
    memo.set(key, { version, value });
    return value;
  }
  return Object.assign(remember, { peek });
}

/**
 * A JSON answer kept in the cache: serialized and UTF-8 encoded once, not per request.
 *
 * Sent with `no-transform`, so the server does not gzip it anew on every request (about a
 * millisecond of CPU for a 60–90 KB answer, as much as the rest of a cached answer; Next
 * refuses a route's own Content-Encoding, so a once-compressed copy cannot be sent instead).
 * These are the two answers every open queue and dashboard polls for (every 15 s / 30 s);
 * they cross the wire uncompressed.
 */
export class JsonBody {
  readonly bytes: Uint8Array<ArrayBuffer>;
  constructor(text: string) {
    // its own buffer, encoded in one pass (not a slice of a pooled one)
    this.bytes = utf8.encode(text);
  }
}
const utf8 = new TextEncoder();

/**
 * The answer for a cached body. The bytes are handed to the response as the one chunk of a
 * plain stream: `new Response(bytes)` would copy them (a fresh 45–90 KB buffer per request)
 * into a byte stream. Nothing writes to the array, and a plain stream never detaches its
 * chunks, so one array serves every answer.
 */
export function jsonAnswer(body: JsonBody, status = 200): Response {
  const { bytes } = body;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      controller.enqueue(bytes);
      controller.close();
    },
  });
  return new Response(stream, {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store, no-transform' },
  });
}
