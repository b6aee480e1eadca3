/**
 * The full rule set over the files that record no attack: the Winlogbeat / integration Sysmon
 * goldens (beats' and the windows package's test VMs) and the Elastic Defend sample documents.
 * They raise nothing, except two Defend samples built to show a detection's fields (EXPECTED.md).
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DATASETS, ds } from './helpers';
import { loadRuleSet, recording, type RuleSet } from './rule-set';

function jsonFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(nd)?json$/.test(e.name))
    .map((e) => path.relative(DATASETS, path.join(e.parentPath, e.name)))
    .sort();
}

const BENIGN = [...jsonFiles(ds('elastic-winlogbeat-sysmon')), ...jsonFiles(ds('elastic-endpoint-package'))];

/** Defend samples whose documents carry a detection on purpose (not benign activity). */
const SAMPLES_WITH_A_DETECTION: Record<string, string[]> = {
  // a malware alert document alone: nothing follows it, which is what the rule looks for
  'elastic-endpoint-package/package/endpoint/data_stream/alerts/sample_event.json': ['Elastic Defend Alert Followed by Telemetry Loss'],
  // svchost.exe as SYSTEM with WMIC.exe as its effective parent (process.Ext.effective_parent)
  'elastic-endpoint-package/package/endpoint/data_stream/process/sample_event.json': ['Process Created with an Elevated Token'],
};

describe('benign files raise no rule', () => {
  let rules: RuleSet;
  beforeAll(() => {
    rules = loadRuleSet();
  });

  it('there are benign files to check', () => {
    expect(BENIGN.length).toBeGreaterThanOrEqual(40);
  });

  it.each(BENIGN)('%s', async (file) => {
    const { store, events, rejected } = await recording(ds(file));
    try {
      expect(rejected).toBe(0);
      expect([...rules.run(events).keys()].sort()).toEqual(SAMPLES_WITH_A_DETECTION[file] ?? []);
    } finally {
      store.close();
    }
  });
});
