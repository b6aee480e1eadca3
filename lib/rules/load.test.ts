import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundledRulesDir, loadAllRules, loadCorpus, loadRuleFile, loadRulesDir, parseRuleToml, RuleLoadError } from './load';
import { sharedRulesPath } from './testing/shared';

const SEED_ID = 'e94262f2-c1e9-4d3f-a907-aeab16712e1a';

describe('bundled seed rule (version 111)', () => {
  const rule = loadRuleFile(path.join(bundledRulesDir(), 'unusual-executable-file-creation-by-system-critical-process.toml'));
  it('has the fields of the brief', () => {
    expect(rule.rule_id).toBe(SEED_ID);
    expect(rule.version).toBe(111);
    expect(rule.name).toBe('Unusual Executable File Creation by a System Critical Process');
    expect(rule.type).toBe('eql');
    expect(rule.severity).toBe('high');
    expect(rule.risk_score).toBe(73);
    expect(rule.from).toBe('now-9m');
    expect(rule.interval).toBe('5m');
    expect(rule.max_signals).toBe(100);
    expect(rule.timestamp_override).toBe('event.ingested');
    expect(rule.enabled).toBe(true);
    expect(rule.index).toEqual(['winlogbeat-*', 'logs-endpoint.events.file-*', 'logs-windows.sysmon_operational-*', 'endgame-*']);
    expect(rule.query).toMatch(/^\s*file where host\.os\.type == "windows"/);
    expect(rule.metadata.integration).toEqual(['endpoint', 'windows']);
    expect(rule.author).toEqual(['Elastic']);
    expect(rule.tags).toContain('Tactic: Defense Evasion');
  });
  it('maps threat to MITRE techniques', () => {
    expect(rule.mitre).toEqual([
      { tacticId: 'TA0005', tacticName: 'Defense Evasion', techniqueId: 'T1211', techniqueName: 'Exploitation for Defense Evasion' },
      { tacticId: 'TA0002', tacticName: 'Execution', techniqueId: 'T1203', techniqueName: 'Exploitation for Client Execution' },
    ]);
  });
  it('fills the four osquery placeholders', () => {
    expect(rule.note_source).toContain('$osquery_3');
    expect(rule.note).not.toContain('$osquery_');
    expect(rule.note).toContain('!{osquery{"label":"Osquery - Retrieve DNS Cache","query":"SELECT * FROM dns_cache"}}');
  });
  it('loadAllRules finds it in <repo>/rules', () => {
    const { rules, errors } = loadAllRules();
    expect(errors).toEqual([]);
    expect(rules.map((r) => r.rule_id)).toContain(SEED_ID);
  });
});

describe('errors', () => {
  it('names the file, line and column of a TOML syntax error', () => {
    try {
      parseRuleToml('[rule]\nname = "x"\nrisk_score = = 3\n', 'bad.toml');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(RuleLoadError);
      const err = e as RuleLoadError;
      expect(err.line).toBe(3);
      expect(err.message).toMatch(/^bad\.toml:3:\d+: invalid TOML/);
    }
  });
  it('names the file and the field path of a schema error', () => {
    const text = fs
      .readFileSync(path.join(bundledRulesDir(), 'unusual-executable-file-creation-by-system-critical-process.toml'), 'utf8')
      .replace('risk_score = 73', 'risk_score = "high"')
      .replace('severity = "high"', 'severity = "urgent"');
    expect(() => parseRuleToml(text, 'x.toml')).toThrow(/^x\.toml: .*rule\.severity: .*rule\.risk_score: /);
  });
  it('a bad file in a directory is reported and the good ones load', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-rules-'));
    fs.copyFileSync(path.join(bundledRulesDir(), 'unusual-executable-file-creation-by-system-critical-process.toml'), path.join(dir, 'good.toml'));
    fs.writeFileSync(path.join(dir, 'bad.toml'), '[rule]\nname = "only a name"\n');
    fs.writeFileSync(path.join(dir, 'README.md'), 'not a rule');
    const { rules, errors } = loadRulesDir(dir);
    expect(rules).toHaveLength(1);
    expect(rules[0].version).toBe(1); // no versions.json in this dir
    expect(errors).toHaveLength(1);
    expect(errors[0].file).toBe(path.join(dir, 'bad.toml'));
    expect(errors[0].message).toContain('rule.rule_id');
  });
  it('a bad corpus line is reported by line number', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-corpus-'));
    const file = path.join(dir, 'c.jsonl');
    const good = fs.readFileSync(sharedRulesPath('eql-rules.jsonl'), 'utf8').split('\n')[0];
    fs.writeFileSync(file, `${good}\n{not json\n${good.replace('"risk_score": ', '"risk_score": -')}\n`);
    const { rules, errors } = loadCorpus(file);
    expect(rules).toHaveLength(1);
    expect(errors.map((e) => e.file)).toEqual([`${file}:2`, `${file}:3`]);
    expect(errors[1].message).toContain('risk_score');
  });
});

describe('GUIDEPOST_RULES_DIR', () => {
  it('adds an extra directory that can override a bundled rule', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-extra-'));
    const text = fs
      .readFileSync(path.join(bundledRulesDir(), 'unusual-executable-file-creation-by-system-critical-process.toml'), 'utf8')
      .replace('risk_score = 73', 'risk_score = 50');
    fs.writeFileSync(path.join(dir, 'seed.toml'), text);
    fs.writeFileSync(path.join(dir, 'versions.json'), JSON.stringify({ [SEED_ID]: 112 }));
    const prev = process.env.GUIDEPOST_RULES_DIR;
    process.env.GUIDEPOST_RULES_DIR = dir;
    try {
      const { rules, errors } = loadAllRules();
      const seed = rules.filter((r) => r.rule_id === SEED_ID);
      expect(seed).toHaveLength(1);
      expect(seed[0].risk_score).toBe(50);
      expect(seed[0].version).toBe(112);
      expect(errors).toHaveLength(1); // the duplicate is reported
    } finally {
      if (prev === undefined) delete process.env.GUIDEPOST_RULES_DIR;
      else process.env.GUIDEPOST_RULES_DIR = prev;
    }
  });
});

describe('corpus', () => {
  it('all 1,081 rules load into the model', () => {
    const { rules, errors } = loadCorpus(sharedRulesPath('eql-rules.jsonl'));
    expect(errors).toEqual([]);
    expect(rules).toHaveLength(1081);
    expect(new Set(rules.map((r) => r.rule_id)).size).toBeGreaterThan(1000);
    expect(rules.filter((r) => r.type === 'eql')).toHaveLength(1081);
    // defaults from the rule docs where the corpus leaves them out
    expect(rules.filter((r) => r.interval === '5m').length).toBeGreaterThanOrEqual(966);
    expect(rules.filter((r) => r.max_signals === 100).length).toBe(1070);
    expect(rules.filter((r) => r.building_block_type === 'default')).toHaveLength(74);
    const withSub = rules.flatMap((r) => r.mitre).filter((m) => m.subtechniqueId);
    expect(withSub.length).toBeGreaterThan(0);
  });
});
