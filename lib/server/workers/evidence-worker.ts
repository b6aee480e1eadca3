/**
 * An evidence worker (started by evidence-pool.ts through spawn.ts): answers EventSource
 * calls (process tree, activity, logons, related events, investigate searches) from its own
 * read-only connection to events.db, so the web process's thread never runs a SQLite read
 * of the event store. A lock held by another process makes a read fail after the busy
 * timeout (default 1 s) with the code 'store_busy', never wait longer.
 */
import { exactLongsAsDigits } from '@/lib/eql/document';
import { createEmbeddedSource } from '@/lib/events/embedded/source';
import { openEventStore } from '@/lib/events/embedded/store';
import type { EventSource } from '@/lib/events/types';
import { serveRequests } from './serve';
import { evidenceRequestSchema, type EvidenceResponse } from './evidence-protocol';

const sources = new Map<string, EventSource>();

function sourceFor(file: string, busyTimeoutMs: number): EventSource {
  const key = `${busyTimeoutMs}:${file}`;
  let s = sources.get(key);
  if (!s) {
    s = createEmbeddedSource(openEventStore({ file, readOnly: true, busyTimeoutMs }));
    sources.set(key, s);
  }
  return s;
}

/** SQLite's "locked" answers, also when wrapped (as an error's cause) */
function isBusy(e: unknown, depth = 0): boolean {
  if (!e || typeof e !== 'object' || depth > 3) return false;
  const code = 'code' in e ? String((e as { code: unknown }).code) : '';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return true;
  if (e instanceof Error && /database (table )?is locked/i.test(e.message)) return true;
  return isBusy((e as { cause?: unknown }).cause, depth + 1);
}

serveRequests(evidenceRequestSchema, async (req): Promise<EvidenceResponse> => {
  try {
    const source = sourceFor(req.file, req.busyTimeoutMs);
    const call = source[req.method] as (arg: unknown) => Promise<unknown>;
    // an integer beyond 2^53 (ExactLong) as its digits: a structured clone keeps only its double
    return { value: exactLongsAsDigits(await call.call(source, req.arg)) };
  } catch (e) {
    if (isBusy(e)) {
      throw Object.assign(new Error(`events.db is busy: another process holds a lock on ${req.file} (waited ${req.busyTimeoutMs} ms)`), { code: 'store_busy' });
    }
    throw e;
  }
});
