/**
 * One rule run: search the rule's query over a window, turn hits into alerts, store the
 * new ones (an event that already has its alert for the rule is skipped), and record the
 * run — the run record and (for scheduled runs) the rule's window advance are written in ONE
 * transaction with the last of the alerts, so a crash before it loses and duplicates nothing
 * (the window is run again; alerts already stored are deduplicated). A big answer's alerts
 * go in first in transactions of INSERT_CHUNK with a pause between them: 1,200 alerts in one
 * transaction held app.db's write lock ~350 ms on a busy machine, and an analyst's write waited.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Rule } from '../rules/model';
import type { EqlEvent, EqlSequence } from '../eql/types';
import type { EqlSearchRequest, EventSource, ExceptionItem, ShardFailure, TimeWindow } from '../events/types';
import { isEventSourceError } from '../events/errors';
import type { Alert, RuleRun } from './types';
import { getDb } from '../store/db';
import { insertAlerts, type NewAlert } from '../store/alerts';
import { finishRun, getRun, insertRun, type StoredRuleRun } from '../store/runs';
import { listExceptionsOf } from '../store/exceptions';
import { acquireLease, advanceWindow, releaseLease, setGap } from '../store/rule-state';
import { getFieldString, toIso } from './fields';
import { halveWindow } from './window';
import { tryLockRule, unlockRule } from './locks';

export type RunTrigger = RuleRun['trigger'];

export interface RunOptions {
  source: EventSource;
  trigger: RunTrigger;
  /** the clock (default: real time) */
  now?: () => Date;
  /**
   * Scheduled runs: advance the rule's last successful window end to `window.to` in the
   * commit transaction; `gapAfter` is the pending gap left once this window is stored.
   */
  advanceState?: boolean;
  gapAfter?: TimeWindow | null;
  /** who holds the run lease (default: this process) */
  owner?: string;
  /** how long the lease lasts (default 10 minutes) */
  leaseMs?: number;
  /** attempts for retryable source errors (default 1 = no retry) and the wait between them */
  attempts?: number;
  backoffMs?: (attempt: number) => number;
  sleep?: (ms: number) => Promise<void>;
  signal?: AbortSignal;
  /** test hook: called after the search answered, before anything is stored */
  afterSearch?: () => void;
}

export interface RunFailure {
  message: string;
  retryable: boolean;
  kind: string;
}

export interface RunOutcome {
  /** the recorded run (null when the run was refused because another run of the rule is in progress) */
  run: StoredRuleRun | null;
  /** alerts created by this run (events that already had an alert are not here) */
  created: Alert[];
  error: RunFailure | null;
  /** true when refused: another run of this rule holds the lock or lease */
  busy: boolean;
  /**
   * true when an answer stayed at max_signals after splitting (a sequence query, or more
   * than max_signals events within one second): events past the cap there were not seen
   */
  capped?: boolean;
}

/** this process's identity for leases */
export const PROCESS_OWNER = `${process.pid}-${randomUUID().slice(0, 8)}`;

const ENTITY_FIELDS = {
  hostName: 'host.name',
  userName: 'user.name',
  processName: 'process.name',
  processEntityId: 'process.entity_id',
  filePath: 'file.path',
} as const;

/** The dedup key of one event: `_index` + NUL + `_id`. */
export function eventKey(e: { _index: string; _id: string }): string {
  return `${e._index}\u0000${e._id}`;
}

/** Stable alert id: sha256(rule id, dedup key), 40 hex characters. */
export function alertIdFor(ruleId: string, dedupKey: string): string {
  return createHash('sha256').update(`${ruleId}\n${dedupKey}`).digest('hex').slice(0, 40);
}

/** Build the EQL search request of a rule run. */
export function buildSearchRequest(rule: Rule, window: TimeWindow, exceptions: ExceptionItem[], signal?: AbortSignal): EqlSearchRequest {
  const req: EqlSearchRequest = {
    index: rule.index.length ? rule.index : ['*'],
    query: rule.query,
    window,
    timestampField: rule.timestamp_override ?? '@timestamp',
    fallbackToTimestamp: true,
    size: rule.max_signals,
    resultPosition: 'head',
    exceptions,
  };
  if (rule.tiebreaker_field) req.tiebreakerField = rule.tiebreaker_field;
  if (signal) req.signal = signal;
  return req;
}

/** The unexpired exceptions of a rule as ExceptionItems. */
export function activeExceptionItems(ruleId: string, now: Date): ExceptionItem[] {
  return listExceptionsOf(getDb(), ruleId, now.toISOString()).map((e) => ({ id: e.id, entries: e.entries }));
}

/**
 * The alert's user: `user.name` of its event, else the acting process's user carried on the
 * same event (`process.user.name`, `process.real_user.name`), else — for a sequence — the
 * first of these on its other events. No lookup in the source (a file event without any
 * user field keeps a null user; winlog.user is the record writer, not the actor).
 */
const USER_FIELDS = [ENTITY_FIELDS.userName, 'process.user.name', 'process.real_user.name'];
function userNameOf(event: EqlEvent, sequenceEvents: EqlEvent[] | null): string | null {
  for (const e of [event, ...(sequenceEvents ?? []).filter((x) => x !== event).reverse()]) {
    for (const f of USER_FIELDS) {
      const v = getFieldString(e._source, f);
      if (v) return v;
    }
  }
  return null;
}

function alertFrom(rule: Rule, event: EqlEvent, sequenceEvents: EqlEvent[] | null, dedupKey: string, runId: string, createdAt: string, fallbackTime: string): NewAlert {
  const src = event._source;
  const timestamp =
    toIso(getFieldString(src, '@timestamp')) ??
    (rule.timestamp_override ? toIso(getFieldString(src, rule.timestamp_override)) : null) ??
    fallbackTime;
  return {
    id: alertIdFor(rule.rule_id, dedupKey),
    dedupKey,
    ruleId: rule.rule_id,
    ruleVersion: rule.version,
    ruleName: rule.name,
    severity: rule.severity,
    riskScore: rule.risk_score,
    mitre: rule.mitre,
    event,
    sequenceEvents,
    timestamp,
    createdAt,
    runId,
    status: 'open',
    verdict: null,
    assignee: null,
    hostName: getFieldString(src, ENTITY_FIELDS.hostName),
    userName: userNameOf(event, sequenceEvents),
    processName: getFieldString(src, ENTITY_FIELDS.processName),
    processEntityId: getFieldString(src, ENTITY_FIELDS.processEntityId),
    filePath: getFieldString(src, ENTITY_FIELDS.filePath),
    version: 1,
    closingNote: null,
    acknowledgedAt: null,
    closedAt: null,
  };
}

function isRealEvent(e: EqlSequence['events'][number]): e is EqlEvent {
  return !('missing' in e && e.missing === true) && e._id !== '';
}

/**
 * Alerts from search hits: one per event for event queries; one per sequence for
 * sequence queries (the last event is the alert's event; all events are kept).
 */
export function buildAlerts(rule: Rule, hits: { events?: EqlEvent[]; sequences?: EqlSequence[] }, runId: string, createdAt: string, fallbackTime: string): NewAlert[] {
  const out: NewAlert[] = [];
  for (const e of hits.events ?? []) {
    out.push(alertFrom(rule, e, null, eventKey(e), runId, createdAt, fallbackTime));
  }
  for (const seq of hits.sequences ?? []) {
    const events = seq.events.filter(isRealEvent);
    const last = events[events.length - 1];
    if (!last) continue;
    const key = 'seq:' + events.map(eventKey).sort().join('|');
    out.push(alertFrom(rule, last, events, key, runId, createdAt, fallbackTime));
  }
  // the same event twice in one answer (should not happen) keeps the first
  const seen = new Set<string>();
  return out.filter((a) => (seen.has(a.dedupKey) ? false : (seen.add(a.dedupKey), true)));
}

function describeError(e: unknown): RunFailure {
  if (isEventSourceError(e)) {
    const reason = e.reason && !e.message.includes(e.reason) ? ` (${e.reason})` : '';
    return { message: `${e.kind}: ${e.message}${reason}`, retryable: e.retryable, kind: e.kind };
  }
  return { message: e instanceof Error ? e.message : String(e), retryable: false, kind: 'error' };
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Run one rule over one window. Never throws for a source failure: the failure is
 * recorded on the run and returned in `error` (with `retryable`).
 */
export async function runRule(rule: Rule, window: TimeWindow, opts: RunOptions): Promise<RunOutcome> {
  const clock = opts.now ?? (() => new Date());
  const owner = opts.owner ?? PROCESS_OWNER;
  const leaseMs = opts.leaseMs ?? 10 * 60_000;
  if (rule.type !== 'eql') {
    return { run: null, created: [], error: { message: `rule type "${rule.type}" is not run by Guidepost (EQL rules only)`, retryable: false, kind: 'unsupported' }, busy: false };
  }
  if (!tryLockRule(rule.rule_id)) return { run: null, created: [], error: null, busy: true };
  const runId = randomUUID();
  const started = clock();
  const startedMs = Date.now();
  try {
    if (!acquireLease(getDb(), rule.rule_id, owner, runId, started.toISOString(), new Date(started.getTime() + leaseMs).toISOString())) {
      return { run: null, created: [], error: null, busy: true };
    }
    insertRun(getDb(), { id: runId, ruleId: rule.rule_id, from: window.from, to: window.to, startedAt: started.toISOString(), trigger: opts.trigger, owner });

    let result: SearchResult | undefined;
    let search: UncappedSearch | undefined;
    let failure: RunFailure | null = null;
    const attempts = Math.max(1, opts.attempts ?? 1);
    let made = 0;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      made = attempt;
      try {
        const exceptions = activeExceptionItems(rule.rule_id, clock());
        search = await searchUncapped(opts.source, rule, window, exceptions, opts.signal);
        result = search.result;
        failure = null;
        break;
      } catch (e) {
        failure = describeError(e);
        // a source that already retried (the Elasticsearch one does) is not retried again here
        const sourceRetried = isEventSourceError(e) && e.attempts > 1;
        if (!failure.retryable || sourceRetried || attempt === attempts) break;
        await (opts.sleep ?? realSleep)(opts.backoffMs ? opts.backoffMs(attempt) : 1000 * 2 ** (attempt - 1));
      }
    }

    if (!result || failure) {
      const f = failure ?? { message: 'no answer from the event source', retryable: true, kind: 'unknown' };
      const msg = made > 1 ? `${f.message} (after ${made} attempts)` : f.message;
      const db = getDb();
      db.transaction(() => {
        finishRun(db, runId, { status: 'failed', finishedAt: clock().toISOString(), hits: 0, alertsCreated: 0, durationMs: Date.now() - startedMs, error: msg });
        releaseLease(db, rule.rule_id, owner);
      }).immediate();
      return { run: getRun(getDb(), runId), created: [], error: { ...f, message: msg }, busy: false };
    }

    try {
      opts.afterSearch?.();
      return await storeResult(rule, window, opts, result, search?.capNote ?? null, search?.capped ?? false, runId, owner, clock, startedMs);
    } catch (e) {
      // storing failed (disk full, database closed…): nothing of this window was committed,
      // so it is run again; record the failure when the database still answers
      const f = describeError(e);
      try {
        const db = getDb();
        db.transaction(() => {
          finishRun(db, runId, { status: 'failed', finishedAt: clock().toISOString(), hits: 0, alertsCreated: 0, durationMs: Date.now() - startedMs, error: `storing the results failed: ${f.message}` });
          releaseLease(db, rule.rule_id, owner);
        }).immediate();
      } catch {
        // the lease expires and failInterruptedRuns() marks the run
      }
      return { run: null, created: [], error: { ...f, message: `storing the results failed: ${f.message}` }, busy: false };
    }
  } finally {
    unlockRule(rule.rule_id);
  }
}

type SearchResult = Awaited<ReturnType<EventSource['eqlSearch']>>;

interface UncappedSearch {
  result: SearchResult;
  /** searches made (1 when the first answer was below max_signals) */
  searches: number;
  /** a note for the run record when max_signals was reached, else null */
  capNote: string | null;
  /** an answer stayed at max_signals (events past the cap were not seen) */
  capped: boolean;
}

/** smallest window a capped run splits, and the most searches one run makes */
const RUN_MIN_SPLIT_MS = 1000;
const RUN_MAX_SEARCHES = 64;

/**
 * Search the window; an event query whose answer fills max_signals (events that already
 * have their alert take slots too) is split in halves and each half searched again, down
 * to one second and at most RUN_MAX_SEARCHES searches, so no matching event is skipped.
 * Sequence queries are not split (a sequence may cross the middle): a capped sequence
 * answer is reported as capped.
 */
async function searchUncapped(source: EventSource, rule: Rule, window: TimeWindow, exceptions: ExceptionItem[], signal?: AbortSignal): Promise<UncappedSearch> {
  const size = rule.max_signals;
  const events: EqlEvent[] = [];
  const sequences: EqlSequence[] = [];
  const shardFailures: ShardFailure[] = [];
  let isPartial = false;
  let took = 0;
  let searches = 0;
  let reached = false;
  const cappedWindows: TimeWindow[] = [];
  const pending: TimeWindow[] = [window];
  while (pending.length) {
    const w = pending.shift()!;
    searches += 1;
    const res = await source.eqlSearch(buildSearchRequest(rule, w, exceptions, signal));
    took += res.took;
    if (res.isPartial) isPartial = true;
    shardFailures.push(...(res.shardFailures ?? []));
    const n = (res.hits.events?.length ?? 0) + (res.hits.sequences?.length ?? 0);
    const full = n >= size;
    if (full) reached = true;
    const halves = full && !res.hits.sequences?.length && searches + pending.length + 2 <= RUN_MAX_SEARCHES ? halveWindow(w, RUN_MIN_SPLIT_MS) : null;
    if (halves) {
      // the halves replace this answer; searched next, earliest first
      pending.unshift(halves[0], halves[1]);
      continue;
    }
    if (full) cappedWindows.push(w);
    events.push(...(res.hits.events ?? []));
    sequences.push(...(res.hits.sequences ?? []));
  }
  // an event at a split point is in both halves: keep it once
  const seen = new Set<string>();
  const unique = events.filter((e) => (seen.has(eventKey(e)) ? false : (seen.add(eventKey(e)), true)));
  const hits: SearchResult['hits'] = { total: { value: unique.length + sequences.length, relation: 'eq' } };
  if (unique.length || !sequences.length) hits.events = unique;
  if (sequences.length) hits.sequences = sequences;
  let capNote: string | null = null;
  if (cappedWindows.length) {
    capNote = `max_signals (${size}) reached in ${cappedWindows.map((c) => `${c.from}..${c.to}`).join(', ')}: matching events past the cap there were not alerted`;
  } else if (reached) {
    capNote = `max_signals (${size}) reached: the window was split into ${searches - 1} more searches and every matching event was seen`;
  }
  return { result: { hits, took, isPartial, shardFailures }, searches, capNote, capped: cappedWindows.length > 0 };
}

/** alerts stored per write transaction (~60 ms on a busy machine), and the pause between two */
export const INSERT_CHUNK = 200;
const INSERT_PAUSE_MS = 30;

async function storeResult(
  rule: Rule,
  window: TimeWindow,
  opts: RunOptions,
  result: SearchResult,
  capNote: string | null,
  capped: boolean,
  runId: string,
  owner: string,
  clock: () => Date,
  startedMs: number,
): Promise<RunOutcome> {
  const createdAt = clock().toISOString();
  const candidates = buildAlerts(rule, result.hits, runId, createdAt, window.to);
  const hits = (result.hits.events?.length ?? 0) + (result.hits.sequences?.length ?? 0);
  const shardFailures: ShardFailure[] = result.shardFailures ?? [];
  const partial = result.isPartial || shardFailures.length > 0;
  const db = getDb();
  const stored: NewAlert[] = [];
  let rest = candidates;
  while (rest.length > INSERT_CHUNK) {
    const chunk = rest.slice(0, INSERT_CHUNK);
    rest = rest.slice(INSERT_CHUNK);
    stored.push(...db.transaction(() => insertAlerts(db, chunk)).immediate());
    await new Promise((resolve) => setTimeout(resolve, INSERT_PAUSE_MS));
  }
  const created = db
    .transaction(() => {
      const inserted = [...stored, ...insertAlerts(db, rest)];
      finishRun(db, runId, {
          status: partial ? 'partial' : 'succeeded',
          finishedAt: clock().toISOString(),
          hits,
          alertsCreated: inserted.length,
          durationMs: Date.now() - startedMs,
          error:
            [
              partial
                ? `partial results: ${shardFailures.length ? shardFailures.map((s) => (s.index ? `${s.index}: ` : '') + s.reason).join('; ') : 'the source reported is_partial'}`
                : null,
              capNote,
            ]
              .filter((x): x is string => x !== null)
              .join('; ') || null,
          shardFailures,
        });
      // a partial answer keeps the alerts it found (dedup makes the retry safe) but does not
      // advance the window: events on the shards that failed are looked at again, and the
      // window stays a visible gap until a complete answer covers it
      if (opts.advanceState && !partial) {
        advanceWindow(db, rule.rule_id, window.to);
        setGap(db, rule.rule_id, opts.gapAfter?.from ?? null, opts.gapAfter?.to ?? null);
      }
      releaseLease(db, rule.rule_id, owner);
      return inserted;
    })
    .immediate();
  const run = getRun(getDb(), runId);
  if (partial) {
    return { run, created: created.map(stripKey), error: { message: run?.error ?? 'partial results', retryable: true, kind: 'partial' }, busy: false, capped };
  }
  return { run, created: created.map(stripKey), error: null, busy: false, capped };
}

function stripKey(a: NewAlert): Alert {
  const { dedupKey: _k, ...alert } = a;
  return alert;
}
