/**
 * Shared body of the per-family detection tests: each attack recording ingested into its own
 * store, the full rule set (prepared once per test file) run over it, and the rules that fire
 * compared with the analysis in expected-detections.ts / EXPECTED.md.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { EXPECTED } from './expected-detections';
import { ds } from './helpers';
import { loadRuleSet, recording, type RuleSet } from './rule-set';

export function describeRecordings(family: string): void {
  const files = Object.keys(EXPECTED).filter((f) => f.startsWith(`${family}/`));
  describe(`${family}: the rules each attack recording raises`, () => {
    let rules: RuleSet;
    beforeAll(() => {
      rules = loadRuleSet();
    });

    it('the rule set loads whole, and every expected rule is in it', () => {
      expect(rules.skipped).toEqual([]);
      for (const f of files) for (const name of EXPECTED[f]!.fires) expect(rules.has(name), name).toBe(true);
    });

    for (const file of files) {
      it(file.slice(family.length + 1), async () => {
        const { store, events, rejected } = await recording(ds(file));
        try {
          expect(rejected).toBe(0);
          const fired = rules.run(events);
          // exactly the analysed rules: a missing one is a lost detection, an extra one a new false positive
          expect([...fired.keys()].sort()).toEqual([...EXPECTED[file]!.fires].sort());
          for (const m of EXPECTED[file]!.missed) expect(fired.has(m.rule), m.rule).toBe(false);
        } finally {
          store.close();
        }
      });
    }
  });
}
