/**
 * Test helpers: a rule built through the rule model, and a fake EventSource over an array
 * of events (the query is replaced by a JS predicate; the window, timestamp fallback,
 * size/head and exceptions behave as the EventSource contract says).
 */
import { afterEach, beforeEach } from 'vitest';
import { buildRule, type Rule } from '@/lib/rules/model';
import { useMemoryDb } from '@/lib/store/db';
import { setRuleCatalogue } from '@/lib/detection/rules';
import type { EqlEvent } from '@/lib/eql/types';
import type { EqlSearchRequest, EqlSearchResult, EventSource } from '@/lib/events/types';
import { isExcepted } from '@/lib/events/exception-match';
import { getFieldString } from '@/lib/detection/fields';

export const RULE_ID = 'e94262f2-c1e9-4d3f-a907-aeab16712e1a';

/** A rule guide as Elastic writes them: two investigation steps and one response step. */
export const GUIDE_NOTE = `## Triage and analysis

#### Possible investigation steps

- Investigate the process execution chain (parent process tree).
- Investigate other alerts associated with the user/host during the past 48 hours.

### Response and remediation

- Isolate the involved host.
`;

export function makeRule(overrides: Record<string, unknown> = {}): Rule {
  return buildRule(
    {
      rule_id: RULE_ID,
      name: 'Unusual Executable File Creation by a System Critical Process',
      version: 111,
      type: 'eql',
      language: 'eql',
      index: ['winlogbeat-*', 'logs-endpoint.events.file-*'],
      query: 'file where file.extension : ("exe", "dll")',
      severity: 'high',
      risk_score: 73,
      interval: '5m',
      from: 'now-9m',
      max_signals: 100,
      timestamp_override: 'event.ingested',
      threat: [
        { framework: 'MITRE ATT&CK', tactic: { id: 'TA0005', name: 'Defense Evasion' }, technique: [{ id: 'T1211', name: 'Exploitation for Defense Evasion' }] },
      ],
      ...overrides,
    },
    { origin: 'test', renderNote: (n) => n },
  );
}

let counter = 0;
/** A file event written by lsass.exe at `ts` (ISO); `ingested` = event.ingested, or none when null. */
export function fileEvent(ts: string, opts: { ingested?: string | null; id?: string; host?: string; path?: string; index?: string } = {}): EqlEvent {
  counter += 1;
  const source: Record<string, unknown> = {
    '@timestamp': ts,
    event: { category: 'file', type: 'creation' },
    host: { name: opts.host ?? 'ws-01', os: { type: 'windows' } },
    user: { name: 'SYSTEM' },
    process: { name: 'lsass.exe', entity_id: `ent-${counter}`, executable: 'C:\\Windows\\System32\\lsass.exe' },
    file: { path: opts.path ?? `C:\\Windows\\Temp\\drop${counter}.dll`, extension: 'dll' },
  };
  if (opts.ingested !== null) (source.event as Record<string, unknown>).ingested = opts.ingested ?? ts;
  return { _index: opts.index ?? 'logs-endpoint.events.file-default', _id: opts.id ?? `evt-${counter}`, _source: source };
}

export interface FakeSource extends EventSource {
  events: EqlEvent[];
  requests: EqlSearchRequest[];
  /** while set, eqlSearch throws it */
  failWith: Error | null;
}

export function fakeSource(events: EqlEvent[], predicate: (e: EqlEvent) => boolean = () => true): FakeSource {
  const unsupported = () => Promise.reject(new Error('not used in these tests'));
  const src: FakeSource = {
    kind: 'embedded',
    events,
    requests: [],
    failWith: null,
    async eqlSearch(req: EqlSearchRequest): Promise<EqlSearchResult> {
      src.requests.push(req);
      if (src.failWith) throw src.failWith;
      const field = req.timestampField ?? '@timestamp';
      const timeOf = (e: EqlEvent): number => {
        const own = getFieldString(e._source, field);
        const v = own ?? (req.fallbackToTimestamp !== false ? getFieldString(e._source, '@timestamp') : null);
        return v === null ? NaN : Date.parse(v);
      };
      const from = req.window ? Date.parse(req.window.from) : -Infinity;
      const to = req.window ? Date.parse(req.window.to) : Infinity;
      const matched = src.events
        .filter((e) => predicate(e))
        .filter((e) => {
          const t = timeOf(e);
          return t >= from && t <= to;
        })
        .filter((e) => !isExcepted(e._source, req.exceptions ?? []))
        .sort((a, b) => timeOf(a) - timeOf(b));
      const picked = req.resultPosition === 'tail' ? matched.slice(-req.size) : matched.slice(0, req.size);
      return { hits: { total: { value: picked.length, relation: 'eq' }, events: picked }, took: 1, isPartial: false, shardFailures: [] };
    },
    getEvents: unsupported,
    findProcessesByEntityIds: unsupported,
    childProcesses: unsupported,
    entityEvents: unsupported,
    authenticationEvents: unsupported,
    executablePrevalence: unsupported,
    async health() {
      return { kind: 'embedded', ok: true, detail: 'fake' };
    },
  };
  return src;
}

/** minutes after t0 as ISO */
export const T0 = Date.parse('2026-03-01T12:00:00.000Z');
export const at = (minutes: number): string => new Date(T0 + minutes * 60_000).toISOString();

/** a settable clock */
export function clock(startMinutes = 0) {
  let t = T0 + startMinutes * 60_000;
  return {
    now: () => new Date(t),
    set: (minutes: number) => {
      t = T0 + minutes * 60_000;
    },
  };
}

/** An .exe written to the Windows Temp folder by `processName` on ws-1 at `ts` (ISO, also event.ingested): the seed rule's shape of event. */
export function exeWrite(id: string, ts: string, processName: string): EqlEvent {
  return {
    _index: 'logs-endpoint.events.file-default',
    _id: id,
    _source: {
      '@timestamp': ts,
      event: { category: 'file', type: 'creation', ingested: ts },
      host: { name: 'ws-1', os: { type: 'windows' } },
      process: { name: processName },
      file: { path: `C:\\Windows\\Temp\\${id}.exe`, extension: 'exe' },
    },
  };
}

/** Each test of the file starts on a fresh in-memory app.db with `rules` as the whole catalogue (reset after). */
export function withRuleCatalogue(rules: Rule[]): void {
  beforeEach(() => {
    useMemoryDb();
    setRuleCatalogue(rules);
  });
  afterEach(() => setRuleCatalogue(null));
}
