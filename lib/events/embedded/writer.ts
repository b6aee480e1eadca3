/**
 * The ingest's write side in a worker thread (node:worker_threads): the worker holds its
 * own SQLite connection to the store's file and runs each batch in one transaction, while
 * the calling thread reads, parses and normalises the next batch. Rows cross over as one
 * `v8.serialize` buffer per batch (transferred, not copied), about half the cost of
 * posting the arrays themselves.
 *
 * The worker's code is plain CommonJS run with `eval: true`, so no worker file has to be
 * found at run time: the same code runs under tsx (CLI), vitest and the Next.js bundle.
 * It loads better-sqlite3 from the first of a few places that has it; when it cannot
 * start, `startWorkerWriter` resolves null and the caller writes in its own thread.
 */
import { serialize } from 'node:v8';
import { Worker } from 'node:worker_threads';
import path from 'node:path';
import { z } from 'zod';
import type { InsertResult } from '../types';
import { CONNECTION_PRAGMAS } from './db';
import type { RowValues } from './store';

export interface BatchWriter {
  /**
   * Queues one batch (one transaction, written after every batch queued before it);
   * resolves with its counts once written.
   */
  write(rows: RowValues[]): Promise<InsertResult>;
  /** Waits for the queued batches, closes the worker's connection and ends the worker. */
  close(): Promise<void>;
}

export interface WriterStatements {
  /** the insert of all RowValues, doing nothing on a (idx, doc_id) conflict */
  insert: string;
  /** the replace: RowValues[2..] then the key RowValues[0..1] */
  replace: string;
}

const WORKER_SOURCE = `'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { deserialize } = require('node:v8');
const { createRequire } = require('node:module');
let db = null;
function fail(seq, e) {
  parentPort.postMessage({ type: 'error', seq, message: e && e.message ? String(e.message) : String(e) });
}
try {
  let Database = null;
  let lastError = null;
  for (const base of workerData.resolveFrom) {
    try {
      Database = createRequire(base)('better-sqlite3');
      break;
    } catch (e) {
      lastError = e;
    }
  }
  if (!Database) throw lastError || new Error('better-sqlite3 not found');
  db = new Database(workerData.file, { fileMustExist: true });
  for (const p of workerData.pragmas) db.pragma(p);
  const insert = db.prepare(workerData.insert);
  const replace = db.prepare(workerData.replace);
  const write = db.transaction((rows) => {
    let stored = 0;
    for (const v of rows) {
      if (insert.run(v).changes === 1) stored++;
      else replace.run(v.slice(2), v[0], v[1]);
    }
    return stored;
  });
  // after a failed batch none queued behind it is written (as the in-thread path stops)
  let failed = null;
  parentPort.on('message', (m) => {
    if (m.type === 'close') {
      try {
        db.close();
        parentPort.postMessage({ type: 'closed' });
      } catch (e) {
        fail(undefined, e);
      }
      parentPort.close();
      return;
    }
    if (failed) {
      fail(m.seq, failed);
      return;
    }
    try {
      const rows = deserialize(m.data);
      const stored = write(rows);
      parentPort.postMessage({ type: 'done', seq: m.seq, stored, replaced: rows.length - stored });
    } catch (e) {
      failed = e;
      fail(m.seq, e);
    }
  });
  parentPort.postMessage({ type: 'ready' });
} catch (e) {
  try {
    if (db) db.close();
  } catch {}
  fail(undefined, e);
  parentPort.close();
}
`;

const FromWorker = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('closed') }),
  z.object({ type: z.literal('done'), seq: z.number(), stored: z.number(), replaced: z.number() }),
  z.object({ type: z.literal('error'), seq: z.number().optional(), message: z.string() }),
]);

/** Where the worker looks for better-sqlite3: beside this module's sources, then the working directory. */
function resolveBases(): string[] {
  const bases: string[] = [];
  try {
    const here = import.meta.url;
    if (typeof here === 'string' && here.startsWith('file:')) bases.push(here);
  } catch {
    // no import.meta.url in this bundle: the working directory only
  }
  bases.push(path.join(process.cwd(), 'noop.js'));
  return bases;
}

interface Pending {
  resolve: (r: InsertResult) => void;
  reject: (e: Error) => void;
}

/**
 * Starts the worker on the store file `file` (which must exist and be migrated); null when
 * the worker cannot load better-sqlite3 or open the file.
 */
export function startWorkerWriter(file: string, statements: WriterStatements): Promise<BatchWriter | null> {
  return new Promise((resolve) => {
    let settled = false;
    // a store file without its worker still ingests (in the caller's thread), but says why
    const resolveStart = (w: BatchWriter | null, why?: string) => {
      if (settled) return;
      settled = true;
      if (!w) console.warn(`ingest: the writer thread did not start (${why ?? 'unknown reason'}); writing in this thread`);
      resolve(w);
    };
    let worker: Worker;
    try {
      worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: {
          file,
          resolveFrom: resolveBases(),
          pragmas: CONNECTION_PRAGMAS,
          insert: statements.insert,
          replace: statements.replace,
        },
      });
    } catch (e) {
      resolveStart(null, e instanceof Error ? e.message : String(e));
      return;
    }
    let started = false;
    let failure: Error | null = null;
    let seq = 0;
    const pending = new Map<number, Pending>();
    let closing: { resolve: () => void; reject: (e: Error) => void } | null = null;

    const failAll = (e: Error) => {
      failure ??= e;
      for (const p of pending.values()) p.reject(e);
      pending.clear();
    };

    worker.on('message', (raw: unknown) => {
      const m = FromWorker.safeParse(raw);
      if (!m.success) {
        failAll(new Error('ingest worker: unexpected message'));
        return;
      }
      const msg = m.data;
      switch (msg.type) {
        case 'ready':
          started = true;
          resolveStart(writer);
          break;
        case 'done': {
          const p = pending.get(msg.seq);
          pending.delete(msg.seq);
          p?.resolve({ stored: msg.stored, replaced: msg.replaced });
          break;
        }
        case 'error': {
          if (!started) {
            resolveStart(null, msg.message);
            return;
          }
          const e = new Error(msg.message);
          const p = msg.seq === undefined ? undefined : pending.get(msg.seq);
          if (p && msg.seq !== undefined) {
            pending.delete(msg.seq);
            failure ??= e;
            p.reject(e);
          } else {
            failAll(e);
          }
          break;
        }
        case 'closed':
          closing?.resolve();
          break;
      }
    });
    worker.on('error', (e) => {
      if (!started) resolveStart(null, e.message);
      failAll(e);
      closing?.reject(e);
    });
    worker.on('exit', () => {
      if (!started) resolveStart(null, 'the worker exited');
      failAll(new Error('ingest worker exited'));
      closing?.resolve();
    });

    const writer: BatchWriter = {
      write(rows) {
        if (failure) return Promise.reject(failure);
        const id = ++seq;
        const data = serialize(rows);
        return new Promise<InsertResult>((resolve, reject) => {
          pending.set(id, { resolve, reject });
          // the serialised batch is handed over, not copied, when it owns its whole buffer
          const own = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength;
          worker.postMessage({ type: 'write', seq: id, data }, own ? [data.buffer] : []);
        });
      },
      close() {
        return new Promise<void>((resolve, reject) => {
          closing = { resolve, reject };
          worker.postMessage({ type: 'close' });
        }).finally(() => {
          void worker.terminate();
        });
      },
    };
  });
}
