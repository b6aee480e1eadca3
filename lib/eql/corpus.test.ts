import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';
import { checkRulesCorpus, formatCorpusResult } from '../../scripts/eql-corpus';

const sharedDir = process.env.GUIDEPOST_SHARED_DIR ?? path.resolve(process.cwd(), '../shared');

test('every prebuilt rule query parses and checks (no schema)', () => {
  const result = checkRulesCorpus(sharedDir);
  expect(result.failures).toEqual([]);
  expect(result.total).toBe(1081);
  expect(result.ok).toBe(1081);
  expect(formatCorpusResult(result)).toBe('rules corpus: 1081 of 1081 parse and check');
});

test('a missing corpus file is reported, not ignored', () => {
  expect(() => checkRulesCorpus(path.join(sharedDir, 'no-such-dir'))).toThrow(/eql-rules\.jsonl/);
});

test('bad lines and bad queries are listed with rule id and position', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'eql-corpus-'));
  mkdirSync(path.join(dir, 'rules'));
  const lines = [
    JSON.stringify({ rule_id: 'r1', name: 'good', query: 'process where true' }),
    '{not json',
    JSON.stringify({ rule_id: 'r3', name: 'no query' }),
    JSON.stringify({ rule_id: 'r4', name: 'bad', query: 'process where\n  a == b' }),
    '',
  ];
  writeFileSync(path.join(dir, 'rules', 'eql-rules.jsonl'), lines.join('\n'));
  const result = checkRulesCorpus(dir);
  expect(result.total).toBe(4);
  expect(result.ok).toBe(1);
  expect(result.failures.map((f) => f.ruleId)).toEqual(['line 2', 'line 3', 'r4']);
  expect(result.failures[1].message).toContain('field query');
  expect(result.failures[2]).toMatchObject({ name: 'bad' });
  expect(result.failures[2].message).toContain('line 2, column 3');
  expect(formatCorpusResult(result).split('\n')[0]).toBe('rules corpus: 1 of 4 parse and check');
});
