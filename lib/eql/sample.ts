/**
 * Samples (semantics §7): for each combination of join-key values present in every
 * filter, up to `maxSamplesPerKey` samples of one event per filter (events listed in filter
 * order; an event may be reused across samples of a key). Samples are ordered by their key
 * values (null first, strings in code-unit order); chronology is ignored. Date keys are
 * reported as epoch milliseconds.
 */
import type { Source } from './compile';
import { keysOf, type StageSpec } from './sequence';
import type { EqlEvent, EqlSequence, JoinKeyValue } from './types';
import { compareScalars, jsonKey, type Scalar, type ValueType } from './values';

export interface SampleSpec {
  terms: StageSpec[];
  keyTypes: ValueType[];
}

interface Group {
  vals: Scalar[];
  perTerm: EqlEvent[][];
}

function toJoinKey(v: Scalar, type: ValueType): JoinKeyValue {
  if (type === 'date' && typeof v === 'number') return Math.floor(v);
  return typeof v === 'bigint' ? Number(v) : v;
}

export function runSample(
  spec: SampleSpec,
  events: Iterable<EqlEvent>,
  maxSamplesPerKey: number,
  size: number,
): EqlSequence[] {
  const t = spec.terms.length;
  const groups = new Map<unknown, Group>();
  for (const ev of events) {
    const src: Source = ev._source;
    for (let i = 0; i < t; i++) {
      const term = spec.terms[i]!;
      if (!term.match(src)) continue;
      for (const key of keysOf(term.keys, src)) {
        const id = typeof key.id === 'string' && term.keys.length === 1 ? JSON.stringify([key.id]) : jsonKey(key.vals);
        let g = groups.get(id);
        if (!g) {
          g = { vals: key.vals, perTerm: Array.from({ length: t }, () => []) };
          groups.set(id, g);
        }
        const list = g.perTerm[i]!;
        if (list.length < maxSamplesPerKey + t) list.push(ev);
      }
    }
  }
  const complete = [...groups.values()].filter((g) => g.perTerm.every((l) => l.length > 0));
  complete.sort((a, b) => {
    for (let i = 0; i < a.vals.length; i++) {
      const c = compareScalars(a.vals[i] ?? null, b.vals[i] ?? null);
      if (c !== 0) return c;
    }
    return 0;
  });
  const out: EqlSequence[] = [];
  for (const g of complete) {
    const count = Math.min(maxSamplesPerKey, Math.max(...g.perTerm.map((l) => l.length)));
    for (let j = 0; j < count; j++) {
      if (out.length >= size) return out;
      // one distinct event per filter; the j-th candidate first, else any unused one
      const picked: EqlEvent[] = [];
      for (const list of g.perTerm) {
        const start = Math.min(j, list.length - 1);
        let choice: EqlEvent | undefined;
        for (let k = 0; k < list.length && choice === undefined; k++) {
          const ev = list[(start + k) % list.length]!;
          if (!picked.includes(ev)) choice = ev;
        }
        if (choice === undefined) break;
        picked.push(choice);
      }
      if (picked.length < t) continue;
      out.push({ join_keys: g.vals.map((v, i) => toJoinKey(v, spec.keyTypes[i] ?? 'unknown')), events: picked });
    }
  }
  return out;
}
