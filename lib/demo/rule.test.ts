/**
 * The seed rule's real EQL, run by lib/eql over the generated events, fires on exactly the
 * true-positive story events. The rule files are read from ../shared at run time.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { beforeAll, describe, expect, it } from 'vitest';
import { search } from '../eql/index';
import type { StoredEvent } from '../events/types';
import { type DemoDataSet, generateDemoData } from './generate';
import { indexPatternMatches } from './rule-fields';

const sharedDir = process.env.GUIDEPOST_SHARED_DIR ?? path.resolve(process.cwd(), '../shared');

interface RuleFile {
  query: string;
  index: string[];
  timestampOverride?: string;
}

function readRule(file: string): RuleFile {
  const doc = parseToml(readFileSync(path.join(sharedDir, 'rules', file), 'utf8')) as { rule?: Record<string, unknown> };
  const rule = doc.rule ?? {};
  const query = rule.query;
  const index = rule.index;
  if (typeof query !== 'string' || !Array.isArray(index)) throw new Error(`${file}: no [rule] query/index`);
  return {
    query,
    index: index.filter((i): i is string => typeof i === 'string'),
    timestampOverride: typeof rule.timestamp_override === 'string' ? rule.timestamp_override : undefined,
  };
}

const key = (r: { _index: string; _id: string }) => `${r._index}/${r._id}`;

function run(rule: RuleFile, events: StoredEvent[]): Set<string> {
  const inIndex = events.filter((e) => rule.index.some((p) => indexPatternMatches(p, e._index)));
  const hits = search(inIndex, rule.query, { size: 10_000, resultPosition: 'head' });
  return new Set((hits.events ?? []).map(key));
}

let data: DemoDataSet;

beforeAll(() => {
  data = generateDemoData({ now: new Date('2026-11-28T00:00:00.000Z'), seed: 4242 });
});

describe('seed rule v111 over the demo data', () => {
  it('fires on exactly the true-positive story events', () => {
    const rule = readRule('seed-rule.v2024-05.toml');
    expect(rule.timestampOverride).toBe('event.ingested');
    const hits = run(rule, data.events);
    const expected = new Set(data.stories.flatMap((s) => s.mustFire.map(key)));
    expect(expected.size).toBeGreaterThanOrEqual(3);
    expect(hits).toEqual(expected);
  });

  it('fires on none of the near misses', () => {
    const hits = run(readRule('seed-rule.v2024-05.toml'), data.events);
    const quiet = data.stories.flatMap((s) => s.mustNotFire.map(key));
    expect(quiet.length).toBeGreaterThanOrEqual(10);
    for (const k of quiet) expect(hits.has(k), k).toBe(false);
    for (const s of data.stories.filter((x) => x.expected === 'near-miss')) {
      for (const r of s.events) expect(hits.has(key(r)), `${s.id} ${key(r)}`).toBe(false);
    }
  });
});

describe("today's seed rule over the demo data", () => {
  it('fires on the same stories except the wpbbin.exe boot write it now excludes', () => {
    const hits = run(readRule('seed-rule.toml'), data.events);
    const expected = new Set(data.stories.filter((s) => s.id !== 'smss-wpbbin-boot').flatMap((s) => s.mustFire.map(key)));
    expect(hits).toEqual(expected);
  });
});
