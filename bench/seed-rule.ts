/**
 * What the triage and pages parts both stand on: the ctx.events-event store built once from the
 * generated events file (kept while its count matches), the seed rule's first hits over the
 * whole store, and an alert made from a hit as detection would raise it.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Alert } from '../lib/detection/types';
import { createEmbeddedSource, openEventStore, type EventStore } from '../lib/events/embedded/store';
import type { StoredEvent, TimeWindow } from '../lib/events/types';
import { ingestFile } from '../lib/events/ingest';
import type { NewAlert } from '../lib/store/alerts';
import { loadRuleFile } from '../lib/rules/load';
import type { Rule } from '../lib/rules/model';
import type { BenchContext } from './types';

/** The event store of ctx.events events in `dir`, (re)built from the generated file when its count differs; left closed. */
export async function ensureEventStore(ctx: BenchContext, dir: string, part: string): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  let store = openEventStore({ dataDir: dir });
  try {
    if (store.count() === ctx.events) return;
    store.close();
    for (const f of fs.readdirSync(dir)) if (f.startsWith('events.db')) fs.rmSync(path.join(dir, f), { force: true });
    store = openEventStore({ dataDir: dir });
    const file = await ctx.eventsFile();
    ctx.log(`${part}: building a ${ctx.events}-event store in ${dir} …`);
    await ingestFile(file, { store, index: 'logs-endpoint.events.file-bench' });
  } finally {
    store.close();
  }
}

/** The seed rule's first `size` hits over everything in the store, and the window that covers it. */
export async function seedRuleHits(store: EventStore, size: number): Promise<{ rule: Rule; events: StoredEvent[]; window: TimeWindow }> {
  const rule = loadRuleFile(path.join(process.cwd(), 'rules', 'unusual-executable-file-creation-by-system-critical-process.toml'));
  const bounds = store.db.prepare<[], { a: number; b: number }>('SELECT min(eff_ts) AS a, max(eff_ts) AS b FROM events').get()!;
  const window = { from: new Date(bounds.a).toISOString(), to: new Date(bounds.b).toISOString() };
  const hits = await createEmbeddedSource(store).eqlSearch({
    index: ['logs-endpoint.events.file-*'],
    query: rule.query,
    window,
    timestampField: rule.timestamp_override ?? '@timestamp',
    size,
    resultPosition: 'head',
  });
  const events = hits.hits.events ?? [];
  if (events.length === 0) throw new Error('the seed rule found no alerts in the bench store');
  return { rule, events, window };
}

function str(doc: Record<string, unknown>, dotted: string): string | null {
  let cur: unknown = doc;
  for (const k of dotted.split('.')) {
    if (typeof cur !== 'object' || cur === null) return null;
    cur = (cur as Record<string, unknown>)[k];
  }
  return typeof cur === 'string' ? cur : null;
}

/** An open, unassigned high alert of `rule` on the hit `ev`, its entities read from the event; `patch` changes any of it. */
export function alertOfHit(ev: StoredEvent, rule: Rule, id: string, runId: string, patch: Partial<Alert> = {}): NewAlert {
  const ts = str(ev._source, '@timestamp') ?? new Date(0).toISOString();
  return {
    id,
    dedupKey: id,
    ruleId: rule.rule_id,
    ruleVersion: rule.version ?? 1,
    ruleName: rule.name,
    severity: 'high',
    riskScore: 73,
    mitre: [],
    event: ev,
    sequenceEvents: null,
    timestamp: ts,
    createdAt: ts,
    runId,
    status: 'open',
    verdict: null,
    assignee: null,
    hostName: str(ev._source, 'host.name'),
    userName: str(ev._source, 'user.name'),
    processName: str(ev._source, 'process.name'),
    processEntityId: str(ev._source, 'process.entity_id'),
    filePath: str(ev._source, 'file.path'),
    version: 1,
    ...patch,
  };
}
