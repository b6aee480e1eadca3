/**
 * Sequences (semantics §6): a per-key state machine over time-ordered events. One slot per
 * stage and join key holds at most one partial sequence (the newest overwrites); an event is
 * offered to the stages from the last to the first, then to `until` (which ends the sequences
 * of its key still pending); `maxspan` is
 * measured from the first event and pending sequences expire from a time-ordered queue.
 * Results come in completion order. Missing-event terms (`![…]`, §6.6) filter the candidates
 * of the positive terms afterwards.
 */
import type { CompiledExpr, Source } from './compile';
import type { EqlEvent, EqlSequence, JoinKeyValue, MissingEvent } from './types';
import { millisToIso, type Scalar, type Value, type ValueType } from './values';

/** An event in (timestamp, tiebreaker, insertion) order. */
export interface Entry {
  event: EqlEvent;
  ts: number;
  /** position in the ordered list of entries */
  order: number;
}

export interface KeySpec {
  expr: CompiledExpr;
  optional: boolean;
}

export interface StageSpec {
  match: (src: Source) => boolean;
  keys: KeySpec[];
}

export interface SequenceSpec {
  /** positive stages, `runs` expanded */
  stages: StageSpec[];
  /** missing terms: `after` = number of positive stages before the term */
  missing: { stage: StageSpec; after: number }[];
  until: StageSpec | null;
  maxspan: number | null;
  /** per key position: the value type for join_keys output */
  keyTypes: ValueType[];
  /** the order of terms for the result: index into stages (>= 0) or -1 for a missing placeholder */
  layout: number[];
}

interface Partial {
  entries: Entry[];
  keyVals: Scalar[];
  keyId: unknown;
  firstTs: number;
  /** the slot currently holding it, -1 when gone */
  slot: number;
}

const NO_KEYS: { id: unknown; vals: Scalar[] }[] = [];

function distinctNonNull(v: Value): Scalar[] {
  if (!Array.isArray(v)) return v === null ? [] : [v];
  const out: Scalar[] = [];
  for (const x of v) if (x !== null && !out.includes(x)) out.push(x);
  return out;
}

/**
 * The join keys of an event for a stage: one entry per combination of key values (several
 * for multi-valued fields), none when a non-optional key is null.
 */
export function keysOf(keys: readonly KeySpec[], src: Source): { id: unknown; vals: Scalar[] }[] {
  if (keys.length === 1) {
    const k = keys[0]!;
    const v = k.expr.fn(src);
    if (v === null) return k.optional ? [{ id: null, vals: [null] }] : NO_KEYS;
    if (!Array.isArray(v)) return [{ id: v, vals: [v] }];
    const ds = distinctNonNull(v);
    if (ds.length === 0) return k.optional ? [{ id: null, vals: [null] }] : NO_KEYS;
    return ds.map((x) => ({ id: x, vals: [x] }));
  }
  let combos: Scalar[][] = [[]];
  for (const k of keys) {
    const v = k.expr.fn(src);
    let ds = distinctNonNull(v);
    if (ds.length === 0) {
      if (!k.optional) return NO_KEYS;
      ds = [null];
    }
    const next: Scalar[][] = [];
    for (const c of combos) for (const x of ds) next.push([...c, x]);
    combos = next;
  }
  return combos.map((vals) => ({ id: keys.length === 0 ? '' : JSON.stringify(vals), vals }));
}

function joinKeyValue(v: Scalar, type: ValueType): JoinKeyValue {
  if (type === 'date' && typeof v === 'number') return millisToIso(v);
  return v;
}

const MISSING: MissingEvent = { _index: '', _id: '', missing: true };

/** Runs a sequence over entries already in order; returns sequences in completion order. */
export function runSequence(spec: SequenceSpec, entries: readonly Entry[], limit: number | null): EqlSequence[] {
  const stages = spec.stages;
  const m = stages.length;
  const slots: Map<unknown, Partial>[] = [];
  for (let i = 0; i < m - 1; i++) slots.push(new Map());
  const maxspan = spec.maxspan;
  const queue: Partial[] = [];
  let qHead = 0;
  const done: { p: Partial }[] = [];
  const hasMissing = spec.missing.length > 0;
  // per missing term: key id -> ordered positions
  const missingIdx: Map<unknown, number[]>[] = spec.missing.map(() => new Map());
  const until = spec.until;
  const candidateLimit = hasMissing ? null : limit;

  const emit = (p: Partial): void => {
    p.slot = -1;
    done.push({ p });
  };

  for (let e = 0; e < entries.length; e++) {
    if (candidateLimit !== null && done.length >= candidateLimit) break;
    const entry = entries[e]!;
    const src = entry.event._source;
    const ts = entry.ts;
    if (maxspan !== null) {
      const horizon = ts - maxspan;
      while (qHead < queue.length && queue[qHead]!.firstTs < horizon) {
        const p = queue[qHead++]!;
        if (p.slot >= 0) {
          const map = slots[p.slot]!;
          if (map.get(p.keyId) === p) map.delete(p.keyId);
          p.slot = -1;
        }
      }
      if (qHead > 65536 && qHead * 2 > queue.length) {
        queue.splice(0, qHead);
        qHead = 0;
      }
    }
    if (hasMissing) {
      for (let k = 0; k < spec.missing.length; k++) {
        const ms = spec.missing[k]!.stage;
        if (!ms.match(src)) continue;
        for (const key of keysOf(ms.keys, src)) {
          const list = missingIdx[k]!.get(key.id);
          if (list) list.push(entry.order);
          else missingIdx[k]!.set(key.id, [entry.order]);
        }
      }
    }
    for (let i = m - 1; i >= 0; i--) {
      const st = stages[i]!;
      if (!st.match(src)) continue;
      const keys = keysOf(st.keys, src);
      for (let k = 0; k < keys.length; k++) {
        const key = keys[k]!;
        if (i === 0) {
          const p: Partial = { entries: [entry], keyVals: key.vals, keyId: key.id, firstTs: ts, slot: 0 };
          if (m === 1) {
            emit(p);
            continue;
          }
          const map = slots[0]!;
          const old = map.get(key.id);
          if (old !== undefined) old.slot = -1;
          map.set(key.id, p);
          if (maxspan !== null) queue.push(p);
        } else {
          const prev = slots[i - 1]!;
          const p = prev.get(key.id);
          if (p === undefined) continue;
          prev.delete(key.id);
          if (maxspan !== null && ts - p.firstTs > maxspan) {
            p.slot = -1;
            continue;
          }
          p.entries.push(entry);
          if (i === m - 1) emit(p);
          else {
            const next = slots[i]!;
            const old = next.get(key.id);
            if (old !== undefined) old.slot = -1;
            next.set(key.id, p);
            p.slot = i;
          }
        }
      }
    }
    // `until` after the stages: sequences completed by this event stand, pending ones of the key end
    if (until !== null && until.match(src)) {
      for (const key of keysOf(until.keys, src)) {
        for (let s = 0; s < slots.length; s++) {
          const map = slots[s]!;
          const p = map.get(key.id);
          if (p !== undefined) {
            map.delete(key.id);
            p.slot = -1;
          }
        }
      }
    }
  }

  let results = done.map((d) => d.p);
  if (hasMissing) results = results.filter((p) => keepWithMissing(spec, p, missingIdx, entries));
  if (limit !== null && results.length > limit) results = results.slice(0, limit);
  return results.map((p) => ({
    join_keys: p.keyVals.map((v, i) => joinKeyValue(v, spec.keyTypes[i] ?? 'unknown')),
    events: spec.layout.map((s) => (s < 0 ? MISSING : p.entries[s]!.event)),
  }));
}

/** First index in the sorted list with a value > x. */
function upperBound(list: readonly number[], x: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function keepWithMissing(
  spec: SequenceSpec,
  p: Partial,
  missingIdx: Map<unknown, number[]>[],
  entries: readonly Entry[],
): boolean {
  const m = spec.stages.length;
  const firstPos = p.entries[0]!.order;
  const lastPos = p.entries[m - 1]!.order;
  const leading: number[] = [];
  const trailing: number[] = [];
  for (let k = 0; k < spec.missing.length; k++) {
    const after = spec.missing[k]!.after;
    if (after === 0) leading.push(k);
    else if (after === m) trailing.push(k);
    else {
      const list = missingIdx[k]!.get(p.keyId);
      if (!list) continue;
      const lo = p.entries[after - 1]!.order;
      const hi = p.entries[after]!.order;
      const i = upperBound(list, lo);
      if (i < list.length && list[i]! < hi) return false;
    }
  }
  if (leading.length === 0 && trailing.length === 0) return true;
  const maxspan = spec.maxspan ?? Infinity;
  let startTs = p.entries[0]!.ts;
  let cur = firstPos;
  for (let j = leading.length - 1; j >= 0; j--) {
    const list = missingIdx[leading[j]!]!.get(p.keyId);
    if (!list) return true;
    const i = upperBound(list, cur - 1) - 1; // last position < cur
    if (i < 0) return true;
    cur = list[i]!;
    startTs = entries[cur]!.ts;
  }
  let endTs = p.entries[m - 1]!.ts;
  cur = lastPos;
  for (const k of trailing) {
    const list = missingIdx[k]!.get(p.keyId);
    if (!list) return true;
    const i = upperBound(list, cur);
    if (i >= list.length) return true;
    cur = list[i]!;
    endTs = entries[cur]!.ts;
  }
  return !(endTs - startTs <= maxspan);
}
