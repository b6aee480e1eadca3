import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUNDLED_OVERRIDES, matchGuideEvidence, matchStepEvidence, staleOverrides } from './evidence-match';
import { buildGuide, flattenSteps } from './guide';
import { bundledRulesDir, loadRuleFile } from './load';

const seed = loadRuleFile(path.join(bundledRulesDir(), 'unusual-executable-file-creation-by-system-critical-process.toml'));
const guide = buildGuide(seed.note ?? '');
const byText = (prefix: string) => {
  const s = flattenSteps(guide).find((x) => x.text.startsWith(prefix));
  if (!s) throw new Error(prefix);
  return s;
};

describe('rule-agnostic matcher', () => {
  const one = (text: string) => matchStepEvidence(flattenSteps(buildGuide(`### Investigation steps\n\n- ${text}\n`))[0]);
  it.each([
    ['Investigate the process execution chain (parent process tree).', 'process_tree'],
    ['Investigate other alerts associated with the user/host during the past 48 hours.', 'related_alerts'],
    ['Identify any spawned child processes.', 'process_activity'],
    ['Review network connections to external addresses.', 'network'],
    ['Examine DNS queries made by the process.', 'dns'],
    ['Check registry keys modified by the process.', 'registry'],
    ['Check the file written to disk.', 'file'],
    ['Look for logon events (4624) after the alert.', 'logons'],
    ['Retrieve the SHA-256 hash and check VirusTotal.', 'hash'],
    ['Check the prevalence of the binary across the environment.', 'prevalence'],
  ])('%s → %s', (text, kind) => {
    expect(one(text)).toContain(kind);
  });
  it('says none plainly', () => {
    expect(one('Initiate the incident response process.')).toEqual(['none']);
  });
});

describe('seed rule with overrides', () => {
  const ev = matchGuideEvidence(guide, seed.rule_id);
  it('follows the product table', () => {
    expect(ev.get(byText('Investigate the process execution chain').id)).toEqual(['process_tree', 'hash', 'prevalence']);
    expect(ev.get(byText('Investigate other alerts').id)).toEqual(['related_alerts']);
    expect(ev.get(byText('Investigate any abnormal behavior').id)).toEqual(['process_activity', 'network', 'dns', 'registry', 'file']);
    expect(ev.get(byText('Use the Elastic Defend network events').id)).toEqual(['network', 'dns']);
    expect(ev.get(byText('Examine the DNS cache').id)).toEqual(['dns', 'osquery']);
    expect(ev.get(byText('Examine the host services').id)).toEqual(['osquery']);
    expect(ev.get(byText('Use the Elastic Defend registry events').id)).toEqual(['process_tree', 'registry']);
    expect(ev.get(byText("Retrieve the files' SHA-256").id)).toEqual(['file', 'hash']);
    expect(ev.get(byText('Investigate potentially compromised accounts').id)).toEqual(['logons']);
    expect(ev.get(byText('Initiate the incident response').id)).toEqual(['none']);
  });
  it('has no stale override ids', () => {
    expect(Object.keys(BUNDLED_OVERRIDES[seed.rule_id] ?? {})).toHaveLength(11);
    expect(staleOverrides(guide, seed.rule_id)).toEqual([]);
  });
  it('add mode merges with the matcher', () => {
    const id = byText('Isolate the involved host').id;
    const ev2 = matchGuideEvidence(guide, 'r1', { r1: { [id]: { kinds: ['network'], mode: 'add' } } });
    expect(ev2.get(id)).toEqual(['network']);
  });
});
