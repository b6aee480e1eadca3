/**
 * The full shared rule set, prepared once per test file: every active EQL rule parsed,
 * checked and compiled one time, then run over a recording's events with only the rules
 * whose index patterns and event categories fit them. The query runs as the embedded
 * source runs it (lib/events/embedded/source: check, compileQuery with presorted
 * @timestamp order and the rule's max_signals), without the SQL round trip per rule.
 */
import path from 'node:path';
import { check } from '@/lib/eql/check';
import { parse } from '@/lib/eql/parser';
import { compileQuery, type CompiledQuery } from '@/lib/eql/search';
import { indexMatcher } from '@/lib/events/embedded/fields';
import type { EventStore } from '@/lib/events/embedded/store';
import { ingestFile } from '@/lib/events/ingest';
import { openEventStore } from '@/lib/events/embedded/store';
import { fieldValues } from '@/lib/events/fields';
import type { StoredEvent } from '@/lib/events/types';
import { loadCorpus } from '@/lib/rules/load';
import type { Rule } from '@/lib/rules/model';
import { allEvents, SHARED } from './helpers';

export const RULES_FILE = path.join(SHARED, 'rules', 'eql-rules.jsonl');

interface Prepared {
  rule: Rule;
  compiled: CompiledQuery;
  inIndex: (index: string) => boolean;
}

export interface RuleSet {
  /** rules prepared (active EQL rules that parse and check) */
  size: number;
  /** rules of the file that could not be prepared, with why */
  skipped: { name: string; message: string }[];
  /** whether a rule of that name is prepared */
  has(name: string): boolean;
  /** rule name → number of hits (events or sequences), for the rules that fire */
  run(events: StoredEvent[]): Map<string, number>;
}

export function loadRuleSet(file = RULES_FILE): RuleSet {
  const { rules, errors } = loadCorpus(file);
  const prepared: Prepared[] = [];
  const skipped = errors.map((e) => ({ name: e.file, message: e.message }));
  for (const rule of rules) {
    // active rules: not deprecated (flag or upstream's rules/_deprecated folder), EQL, enabled
    if (rule.metadata.deprecated || rule.origin.includes('/_deprecated/') || rule.type !== 'eql' || !rule.enabled) continue;
    try {
      const ast = parse(rule.query);
      const diagnostic = check(ast, { source: rule.query })[0];
      if (diagnostic) {
        skipped.push({ name: rule.name, message: diagnostic.message });
        continue;
      }
      const compiled = compileQuery(ast, { size: rule.max_signals, resultPosition: 'head', timestampField: '@timestamp', presorted: true }, rule.query);
      prepared.push({ rule, compiled, inIndex: indexMatcher(rule.index.length ? rule.index : ['*']) });
    } catch (e) {
      skipped.push({ name: rule.name, message: e instanceof Error ? e.message : String(e) });
    }
  }
  return {
    size: prepared.length,
    skipped,
    has: (name) => prepared.some((p) => p.rule.name === name),
    run(events) {
      const meta = events.map((e) => ({ index: e._index, categories: fieldValues(e._source, 'event.category').map(String) }));
      const indices = [...new Set(meta.map((m) => m.index))];
      const categories = new Set(meta.flatMap((m) => m.categories));
      // one input list per (indices, categories) the rules ask for
      const inputs = new Map<string, StoredEvent[]>();
      const fired = new Map<string, number>();
      for (const p of prepared) {
        const idx = indices.filter((i) => p.inIndex(i));
        const cats = p.compiled.categories;
        if (idx.length === 0 || (cats !== null && !cats.some((c) => categories.has(c)))) continue;
        const key = `${idx.join(',')}|${cats === null ? '*' : [...cats].sort().join(',')}`;
        let input = inputs.get(key);
        if (!input) {
          const idxSet = new Set(idx);
          input = events.filter((_, i) => idxSet.has(meta[i]!.index) && (cats === null || meta[i]!.categories.some((c) => cats.includes(c))));
          inputs.set(key, input);
        }
        if (input.length === 0) continue;
        const hits = p.compiled.run(input);
        const n = (hits.events?.length ?? 0) + (hits.sequences?.length ?? 0);
        if (n > 0) fired.set(p.rule.name, n);
      }
      return fired;
    },
  };
}

/** A recording ingested into its own in-memory store; its events in store order. */
export async function recording(file: string): Promise<{ store: EventStore; events: StoredEvent[]; rejected: number }> {
  const store = openEventStore({ file: ':memory:' });
  const report = await ingestFile(file, { store, worker: false });
  return { store, events: allEvents(store), rejected: report.rejectedCount };
}
