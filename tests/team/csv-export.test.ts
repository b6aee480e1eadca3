/**
 * GET /api/alerts/export: the queue as CSV, streamed a page at a time from one snapshot of the
 * database (a file-backed one here, as in the app), in the queue's order and filters.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NextRequest } from 'next/server';
import { signedInCookies } from '@/tests/support/sessions';
import { queueAlert } from '@/tests/support/alerts';
import { openAppDb, setDb, type AppDb } from '@/lib/store/db';
import { insertAlerts, listAlertPage, updateAlertRow } from '@/lib/store/alerts';
import { QUEUE_CSV_HEADER } from '@/lib/export';
import { GET as exportRoute } from '@/app/api/alerts/export/route';

process.env.GUIDEPOST_ARGON2_FAST = '1';

const BASE = 'http://127.0.0.1:3000';
const segment = { params: Promise.resolve({}) };
const N = 7500; // 5,000 open or acknowledged: five pages of the stream
let dir: string;
let db: AppDb;
let cookies: Record<string, string>;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-csv-'));
  db = setDb(openAppDb(path.join(dir, 'app.db')));
  cookies = await signedInCookies({ ana: 'analyst' });
  db.transaction(() => insertAlerts(db, Array.from({ length: N }, (_, i) => queueAlert(i, { id: `a${String(i).padStart(5, '0')}` }))))();
});

afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function get(url: string) {
  return exportRoute(new NextRequest(`${BASE}${url}`, { headers: { host: '127.0.0.1:3000', cookie: cookies.ana! } }), segment);
}

async function readAll(reader: ReadableStreamDefaultReader<Uint8Array>, first = ''): Promise<string> {
  let text = first;
  const utf8 = new TextDecoder();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text;
    text += utf8.decode(value, { stream: true });
  }
}

describe('GET /api/alerts/export', () => {
  it('sends every matching alert in the queue\'s order, in more than one chunk, with the row count', async () => {
    const res = await get('/api/alerts/export?status=open,acknowledged&sort=severity&order=desc');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="alerts-.+\.csv"$/);
    const want = [0, 1000, 2000, 3000, 4000, 5000].flatMap((offset) => listAlertPage(db, { status: ['open', 'acknowledged'], sort: 'severity', order: 'desc', limit: 1000, offset }));
    expect(want.length).toBe(5000);
    expect(res.headers.get('x-total-count')).toBe(String(want.length));
    const reader = res.body!.getReader();
    let chunks = 0;
    let text = '';
    const utf8 = new TextDecoder();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks++;
      text += utf8.decode(value, { stream: true });
    }
    expect(chunks).toBeGreaterThan(1);
    const lines = text.split('\r\n');
    expect(lines.pop()).toBe('');
    expect(lines[0]).toBe(QUEUE_CSV_HEADER);
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(want.map((a) => a.id));
  });

  it('reads one snapshot: alerts added or changed during the download are not in it, none repeats', async () => {
    const res = await get('/api/alerts/export?status=open,acknowledged&sort=timestamp&order=desc');
    const total = Number(res.headers.get('x-total-count'));
    const reader = res.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    // meanwhile (the stream has read a page or two ahead): new open alerts at the top of the
    // order, which would push later pages down a row each, and one near the end closed
    insertAlerts(db, Array.from({ length: 50 }, (_, i) => queueAlert(N + i, { id: `new${i}`, status: 'open', timestamp: '2027-01-01T00:00:00.000Z' })));
    const [victim] = listAlertPage(db, { status: ['open', 'acknowledged'], sort: 'timestamp', order: 'desc', limit: 1, offset: 4500 });
    expect(updateAlertRow(db, victim!.id, { status: 'closed' }, victim!.version, '2027-01-01T00:00:00.000Z')).toBe(true);
    const text = await readAll(reader, first);
    const ids = text.trimEnd().split('\r\n').slice(1).map((l) => l.split(',')[0]);
    expect(ids).toHaveLength(total);
    expect(new Set(ids).size).toBe(total);
    expect(ids.some((id) => id!.startsWith('new'))).toBe(false);
    expect(ids).toContain(victim!.id);
  });

  it('lets go of its snapshot when the download is cancelled (the WAL can be checkpointed again)', async () => {
    const res = await get('/api/alerts/export');
    const reader = res.body!.getReader();
    await reader.read();
    insertAlerts(db, [queueAlert(N + 1, { id: 'during' })]);
    // a reader holds the snapshot: the log cannot be emptied behind it (asked without waiting)
    db.pragma('busy_timeout = 0');
    expect((db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[])[0]!.busy).toBe(1);
    await reader.cancel();
    expect((db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[])[0]!.busy).toBe(0);
  });

  it('answers an empty queue with the header alone', async () => {
    const res = await get('/api/alerts/export?host=no-such-host');
    expect(res.headers.get('x-total-count')).toBe('0');
    expect(await res.text()).toBe(`${QUEUE_CSV_HEADER}\r\n`);
  });
});
