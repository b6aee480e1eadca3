/**
 * Page times (issue 17): navigation → content usable, in a real browser (Debian's Chromium
 * through Playwright), against the production build (`next start`) on a data dir holding the
 * ctx.events-event store (1M by default):
 *   - the alert queue (/alerts): the first alert row is on screen and hydrated (goal ≤ 1 s);
 *   - the triage page's checklist (/alerts/:id): the first guide step hydrated (goal ≤ 1 s);
 *   - its process tree: the first tree node of the evidence panel (goal ≤ 1.2 s).
 * "Usable" is the first moment the element is in the page and React has attached its handlers
 * to it (a server-rendered step that cannot be ticked yet does not count), taken in the page
 * from its navigation start (performance.now()), checked on every DOM change and every 10 ms.
 *
 * The event store is built once from the generated events file into bench/out/pages-data
 * (kept while its event count matches); the app database beside it is written afresh each run:
 * the seed rule's first ALERTS hits as alerts (their events are in the store, so the triage
 * page assembles real evidence over the 1M events), FILLER more alerts copied from them over
 * 500 hosts, each with its own user, process and file (a queue of a realistic size), grouped
 * into incidents as detection does, a lead and a session cookie. Demo load and scheduler
 * off. The build must exist (`npx next build`, or NEXT_DIST_DIR=… for a build of its own);
 * the first navigation of each page is reported apart (no goal), then RUNS navigations each,
 * the triage page on RUNS different alerts; p50 (the goal) and p90, with the load average.
 */
import { percentile, startServer } from './api';
import { alertOfHit, ensureEventStore, seedRuleHits } from '../seed-rule';
import { measureUsable, USABLE_SCRIPT, type Mark } from '../../e2e/usable';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Alert } from '../../lib/detection/types';
import { openEventStore } from '../../lib/events/embedded/store';
import type { StoredEvent } from '../../lib/events/types';
import { openAppDb } from '../../lib/store/db';
import { insertAlerts } from '../../lib/store/alerts';
import { ensureAuthSchema } from '../../lib/auth/schema';
import { groupUngroupedAlerts } from '../../lib/incidents/grouping';
import type { BenchContext, BenchRow } from '../types';

const ALERTS = 60;
const FILLER = Number(process.env.BENCH_PAGES_FILLER ?? 5_000);
const RUNS = Number(process.env.BENCH_PAGES_RUNS ?? 10);

/** A fresh app.db beside the store: the seed rule's hits as alerts, filler alerts, a lead and its session. */
async function seedApp(dir: string, log: (m: string) => void): Promise<{ token: string; triageIds: string[] }> {
  for (const f of fs.readdirSync(dir)) if (f.startsWith('app.db')) fs.rmSync(path.join(dir, f), { force: true });
  const store = openEventStore({ dataDir: dir });
  let seed: Awaited<ReturnType<typeof seedRuleHits>>;
  try {
    seed = await seedRuleHits(store, ALERTS);
  } finally {
    store.close();
  }
  const { rule, events } = seed;
  const alertOf = (ev: StoredEvent, id: string, patch: Partial<Alert> = {}) => alertOfHit(ev, rule, id, 'bench-pages', patch);
  const alerts = events.map((ev, i) => alertOf(ev, `pages-${i}`));
  const filler = Array.from({ length: FILLER }, (_, i) => {
    const ev = events[i % events.length]!;
    // each its own host, user, process and file, as separate detections are (copies sharing the
    // source event's entity ids would all fold into one giant incident)
    return alertOf(ev, `pages-filler-${i}`, {
      hostName: `host-${i % 500}`,
      userName: `user-${i % 300}`,
      processEntityId: `pages-filler-${i}`,
      filePath: `C:\\Users\\user-${i % 300}\\AppData\\Local\\Temp\\drop-${i}.exe`,
      status: i % 3 === 0 ? 'acknowledged' : 'open',
      assignee: i % 4 === 0 ? `analyst${i % 10}` : null,
    });
  });
  const db = openAppDb(path.join(dir, 'app.db'));
  const token = randomBytes(32).toString('base64url');
  try {
    ensureAuthSchema(db);
    db.transaction(() => insertAlerts(db, [...alerts, ...filler])).immediate();
    // into incidents here, as detection does when it raises them (the server would group
    // ungrouped alerts at its start, before it answers)
    const t0 = performance.now();
    const grouped = groupUngroupedAlerts(db);
    log(`pages: ${grouped.grouped} alerts grouped into incidents in ${Math.round(performance.now() - t0)} ms`);
    const at = new Date().toISOString();
    const user = db.prepare("INSERT INTO users (name, role, password_hash, created_at, updated_at) VALUES ('bench.lead', 'lead', 'x', ?, ?)").run(at, at);
    db.prepare('INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)').run(
      createHash('sha256').update(token).digest('hex'),
      Number(user.lastInsertRowid),
      at,
      new Date(Date.now() + 86_400_000).toISOString(),
    );
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
  log(`pages: ${alerts.length} seed-rule alerts and ${filler.length} filler alerts in ${dir}`);
  return { token, triageIds: alerts.map((a) => a.id) };
}

export async function run(ctx: BenchContext): Promise<BenchRow[]> {
  const root = process.cwd();
  const distDir = process.env.NEXT_DIST_DIR || '.next';
  if (!fs.existsSync(path.join(root, distDir, 'BUILD_ID'))) {
    throw new Error(`pages bench: no production build in ${distDir} — run \`npx next build\` first (NEXT_DIST_DIR=.next-pages for one of its own)`);
  }
  const dir = path.join(ctx.outDir, 'pages-data');
  await ensureEventStore(ctx, dir, 'pages');
  const { token, triageIds } = await seedApp(dir, ctx.log);
  const srv = await startServer(dir, { timeoutMs: 180_000 });
  const base = srv.base;
  // Playwright is a dev dependency of the e2e suite; loaded here only when this part runs
  const { chromium } = await import('@playwright/test');
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  try {
    // a first start on a filled store runs the enabled rules once over the last hours (the
    // generated events are older, so it finds nothing); let it finish before measuring
    await new Promise((r) => setTimeout(r, 5_000));
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    await context.addCookies([{ name: 'gp_session', value: token, domain: '127.0.0.1', path: '/', httpOnly: true, sameSite: 'Lax' }]);
    await context.addInitScript({ content: USABLE_SCRIPT });
    const page = await context.newPage();

    const measure = (url: string, marks: Mark[]) => measureUsable(page, `${base}${url}`, marks, 60_000);

    const rows: BenchRow[] = [];
    const load = () => `load average ${os.loadavg().map((l) => l.toFixed(2)).join(' / ')}`;
    const note = (xs: number[]) => `${xs.length} navigations: ${xs.map((x) => Math.round(x)).join(', ')} ms; ${load()}`;
    // the first navigation of each page after the server started (route code loaded, caches filled)
    const coldQueue = await measure('/alerts', ['queue']);
    const coldTriage = await measure(`/alerts/${encodeURIComponent(triageIds[0]!)}`, ['checklist', 'tree']);
    ctx.log(`pages: first navigations: queue ${coldQueue.queue.toFixed(0)} ms, checklist ${coldTriage.checklist.toFixed(0)} ms, tree ${coldTriage.tree.toFixed(0)} ms`);
    rows.push({ part: 'pages', name: 'queue /alerts, first navigation after start', value: Math.round(coldQueue.queue), unit: 'ms', notes: load() });
    rows.push({ part: 'pages', name: 'triage checklist, first navigation after start', value: Math.round(coldTriage.checklist), unit: 'ms', notes: load() });
    rows.push({ part: 'pages', name: 'triage process tree, first navigation after start', value: Math.round(coldTriage.tree), unit: 'ms', notes: load() });

    const queue: number[] = [];
    for (let i = 0; i < RUNS; i++) queue.push((await measure('/alerts', ['queue'])).queue);
    const checklist: number[] = [];
    const tree: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const id = triageIds[(i + 1) % triageIds.length]!;
      const m = await measure(`/alerts/${encodeURIComponent(id)}`, ['checklist', 'tree']);
      checklist.push(m.checklist);
      tree.push(m.tree);
    }
    const n = ctx.events.toLocaleString('en');
    const add = (name: string, xs: number[], goal: number) => {
      ctx.log(`pages: ${name}: p50 ${percentile(xs, 50).toFixed(0)} ms, p90 ${percentile(xs, 90).toFixed(0)} ms (${note(xs)})`);
      rows.push({ part: 'pages', name: `${name}, ${n} stored events: p50`, value: Math.round(percentile(xs, 50)), unit: 'ms', goal: `<= ${goal}`, notes: note(xs) });
      rows.push({ part: 'pages', name: `${name}, ${n} stored events: p90`, value: Math.round(percentile(xs, 90)), unit: 'ms' });
    };
    add(`queue /alerts (${ALERTS + FILLER} alerts), navigation → first row usable`, queue, 1000);
    add('triage /alerts/:id, navigation → checklist usable', checklist, 1000);
    add('triage /alerts/:id, navigation → process tree shown', tree, 1200);
    await context.close();
    return rows;
  } catch (err) {
    throw new Error(`${err instanceof Error ? err.message : String(err)}\n--- server stderr ---\n${srv.stderr()}`);
  } finally {
    await browser.close();
    await srv.stop();
  }
}
