import { describe, expect, it } from 'vitest';
import { matchGuideEvidence } from './evidence-match';
import { buildGuide, flattenSteps } from './guide';
import { loadCorpus } from './load';
import { sharedRulesPath } from './testing/shared';

describe('every EQL rule guide in the corpus', () => {
  it('983 notes build a guide with steps, every block parsed, evidence somewhere', { timeout: 300_000 }, () => {
    const { rules, errors } = loadCorpus(sharedRulesPath('eql-rules.jsonl'));
    expect(errors).toEqual([]);
    const withNote = rules.filter((r) => r.type === 'eql' && r.note);
    expect(withNote).toHaveLength(983);
    const failures: string[] = [];
    let osquery = 0;
    let investigate = 0;
    let steps = 0;
    for (const r of withNote) {
      const note = r.note ?? '';
      const g = buildGuide(note);
      steps += g.stepCount;
      osquery += g.osqueryCount;
      investigate += g.investigateCount;
      if (g.stepCount < 1) failures.push(`${r.origin}: no steps`);
      if (g.warnings.length > 0) failures.push(`${r.origin}: ${g.warnings.join('; ')}`);
      // every block of the rendered note is found (nothing lost to markdown)
      if (g.osqueryCount !== note.split('!{osquery{').length - 1) failures.push(`${r.origin}: osquery blocks lost`);
      if (g.investigateCount !== note.split('!{investigate{').length - 1) failures.push(`${r.origin}: investigate blocks lost`);
      const ids = flattenSteps(g).map((s) => s.id);
      if (new Set(ids).size !== ids.length) failures.push(`${r.origin}: duplicate step ids`);
      const ev = matchGuideEvidence(g, r.rule_id);
      if ([...ev.values()].every((k) => k.length === 1 && k[0] === 'none')) failures.push(`${r.origin}: no evidence`);
    }
    expect(failures).toEqual([]);
    // figures from the rendered corpus (see transform.test.ts)
    expect(osquery).toBe(366);
    expect(investigate).toBe(561);
    expect(steps).toBeGreaterThan(983 * 5);
  });
});
