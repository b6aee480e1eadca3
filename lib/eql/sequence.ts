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
import { jsonKey, millisToIso, type Scalar, type Value, type ValueType } from './values';

/**
 * The candidate events in (timestamp, tiebreaker, insertion) order, as parallel arrays
 * (position i in each): no object per event.
 */
export interface Ordered {
  events: EqlEvent[];
  ts: number[];
  /** bit b set: the event matched `spec.unique[b]` (see matchMask); -1: not computed */
  masks: number[];
}

function matched(mask: number, bit: number, st: StageSpec, src: Source): boolean {
  if (mask === -1 || bit < 0) return st.match(src);
  return (mask & (1 << bit)) !== 0;
}

/** Evaluates every distinct filter of the spec once: bit b = `spec.unique[b]` matched (-1 when more than 30). */
export function matchMask(spec: SequenceSpec, src: Source): number {
  const u = spec.unique;
  if (u.length > 30) return -1;
  let mask = 0;
  const cat = spec.categoryOf ? spec.categoryOf(src) : undefined;
  if (typeof cat === 'string') {
    // one read of the category for all stages
    for (let b = 0; b < u.length; b++) {
      const st = u[b]!;
      if (st.condition === undefined || st.category === undefined) {
        if (st.match(src)) mask |= 1 << b;
      } else if ((st.category === null || st.category === cat) && st.condition(src)) mask |= 1 << b;
    }
    return mask;
  }
  for (let b = 0; b < u.length; b++) if (u[b]!.match(src)) mask |= 1 << b;
  return mask;
}

export interface KeySpec {
  expr: CompiledExpr;
  optional: boolean;
}

export interface StageSpec {
  /** category test plus condition */
  match: (src: Source) => boolean;
  keys: KeySpec[];
  /** the stage's category (null: any) and its condition alone, for the shared category test */
  category?: string | null;
  condition?: (src: Source) => boolean;
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
  /** distinct filters (stages repeated by `runs` share one) and the bit of each stage, missing term and until */
  unique: StageSpec[];
  stageBit: number[];
  missingBit: number[];
  untilBit: number;
  /** reads the event category when it is a plain string (else the stages test it themselves) */
  categoryOf?: (src: Source) => unknown;
}

/** Fills `unique` and the bit indexes of a spec. */
export function indexFilters(spec: Omit<SequenceSpec, 'unique' | 'stageBit' | 'missingBit' | 'untilBit'>): SequenceSpec {
  const unique: StageSpec[] = [];
  const bit = (st: StageSpec): number => {
    let b = unique.indexOf(st);
    if (b < 0) {
      unique.push(st);
      b = unique.length - 1;
    }
    return b;
  };
  const stageBit = spec.stages.map(bit);
  const missingBit = spec.missing.map((x) => bit(x.stage));
  const untilBit = spec.until ? bit(spec.until) : -1;
  return { ...spec, unique, stageBit, missingBit, untilBit };
}

interface Partial {
  /** positions in the ordered arrays, one per positive stage filled */
  entries: number[];
  /** the key values; null for a single key (the value is keyId) */
  keyVals: Scalar[] | null;
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
  return combos.map((vals) => ({ id: keys.length === 0 ? '' : jsonKey(vals), vals }));
}

function joinKeyValue(v: Scalar, type: ValueType): JoinKeyValue {
  if (type === 'date' && typeof v === 'number') return millisToIso(v);
  // a long beyond 2^53 leaves the engine as the nearest number (JSON has no other form here)
  return typeof v === 'bigint' ? Number(v) : v;
}

const MISSING: MissingEvent = { _index: '', _id: '', missing: true };

/** Runs a sequence over events already in order; returns sequences in completion order. */
export function runSequence(spec: SequenceSpec, ordered: Ordered, limit: number | null): EqlSequence[] {
  const evs = ordered.events;
  const tsArr = ordered.ts;
  const masks = ordered.masks;
  const stages = spec.stages;
  const m = stages.length;
  const slots: Map<unknown, Partial>[] = [];
  for (let i = 0; i < m - 1; i++) slots.push(new Map());
  const maxspan = spec.maxspan;
  const queue: Partial[] = [];
  let qHead = 0;
  const done: Partial[] = [];
  const hasMissing = spec.missing.length > 0;
  // per missing term: key id -> ordered positions
  const missingIdx: Map<unknown, number[]>[] = spec.missing.map(() => new Map());
  const until = spec.until;
  const candidateLimit = hasMissing ? null : limit;

  const emit = (p: Partial): void => {
    p.slot = -1;
    done.push(p);
  };
  let curPos = 0;
  let curTs = 0;
  /** offers the current event to stage i under one key */
  const advance = (i: number, id: unknown, vals: Scalar[] | null): void => {
    const entry = curPos;
    if (i === 0) {
      const p: Partial = { entries: [entry], keyVals: vals, keyId: id, firstTs: curTs, slot: 0 };
      if (m === 1) {
        emit(p);
        return;
      }
      const map = slots[0]!;
      const old = map.get(id);
      if (old !== undefined) old.slot = -1;
      map.set(id, p);
      if (maxspan !== null) queue.push(p);
      return;
    }
    const prev = slots[i - 1]!;
    const p = prev.get(id);
    if (p === undefined) return;
    prev.delete(id);
    if (maxspan !== null && curTs - p.firstTs > maxspan) {
      p.slot = -1;
      return;
    }
    p.entries.push(entry);
    if (i === m - 1) emit(p);
    else {
      const next = slots[i]!;
      const old = next.get(id);
      if (old !== undefined) old.slot = -1;
      next.set(id, p);
      p.slot = i;
    }
  };

  for (let e = 0; e < evs.length; e++) {
    if (candidateLimit !== null && done.length >= candidateLimit) break;
    const src = evs[e]!._source;
    const ts = tsArr[e]!;
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
    const mask = masks[e]!;
    if (hasMissing) {
      for (let k = 0; k < spec.missing.length; k++) {
        const ms = spec.missing[k]!.stage;
        if (!matched(mask, spec.missingBit[k]!, ms, src)) continue;
        for (const key of keysOf(ms.keys, src)) {
          const list = missingIdx[k]!.get(key.id);
          if (list) list.push(e);
          else missingIdx[k]!.set(key.id, [e]);
        }
      }
    }
    curPos = e;
    curTs = ts;
    for (let i = m - 1; i >= 0; i--) {
      const st = stages[i]!;
      if (!matched(mask, spec.stageBit[i]!, st, src)) continue;
      if (st.keys.length === 1) {
        // single key, scalar value: no allocation
        const k0 = st.keys[0]!;
        const v = k0.expr.fn(src);
        if (!Array.isArray(v)) {
          if (v === null && !k0.optional) continue;
          advance(i, v, null);
          continue;
        }
      }
      const keys = keysOf(st.keys, src);
      for (let k = 0; k < keys.length; k++) advance(i, keys[k]!.id, keys[k]!.vals);
    }
    // `until` after the stages: sequences completed by this event stand, pending ones of the key end
    if (until !== null && matched(mask, spec.untilBit, until, src)) {
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

  let results = done;
  if (hasMissing) results = results.filter((p) => keepWithMissing(spec, p, missingIdx, tsArr));
  if (limit !== null && results.length > limit) results = results.slice(0, limit);
  return results.map((p) => ({
    join_keys: p.keyVals === null ? [joinKeyValue(p.keyId as Scalar, spec.keyTypes[0] ?? 'unknown')] : p.keyVals.map((v, i) => joinKeyValue(v, spec.keyTypes[i] ?? 'unknown')),
    events: spec.layout.map((s) => (s < 0 ? MISSING : evs[p.entries[s]!]!)),
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
  tsArr: readonly number[],
): boolean {
  const m = spec.stages.length;
  const firstPos = p.entries[0]!;
  const lastPos = p.entries[m - 1]!;
  const leading: number[] = [];
  const trailing: number[] = [];
  for (let k = 0; k < spec.missing.length; k++) {
    const after = spec.missing[k]!.after;
    if (after === 0) leading.push(k);
    else if (after === m) trailing.push(k);
    else {
      const list = missingIdx[k]!.get(p.keyId);
      if (!list) continue;
      const lo = p.entries[after - 1]!;
      const hi = p.entries[after]!;
      const i = upperBound(list, lo);
      if (i < list.length && list[i]! < hi) return false;
    }
  }
  if (leading.length === 0 && trailing.length === 0) return true;
  const maxspan = spec.maxspan ?? Infinity;
  let startTs = tsArr[firstPos]!;
  let cur = firstPos;
  for (let j = leading.length - 1; j >= 0; j--) {
    const list = missingIdx[leading[j]!]!.get(p.keyId);
    if (!list) return true;
    const i = upperBound(list, cur - 1) - 1; // last position < cur
    if (i < 0) return true;
    cur = list[i]!;
    startTs = tsArr[cur]!;
  }
  let endTs = tsArr[lastPos]!;
  cur = lastPos;
  for (const k of trailing) {
    const list = missingIdx[k]!.get(p.keyId);
    if (!list) return true;
    const i = upperBound(list, cur);
    if (i >= list.length) return true;
    cur = list[i]!;
    endTs = tsArr[cur]!;
  }
  return !(endTs - startTs <= maxspan);
}
