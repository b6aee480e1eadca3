/**
 * The rule catalogue's import: Kibana's export (NDJSON with its summary line), the corpus
 * JSONL, bad input refused per rule with line and rule_id, one transaction, idempotent
 * re-import, new versions, enabled defaults (new and deprecated rules start disabled), the
 * CLI's output, and the routes' authorisation.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { NextRequest } from 'next/server';
import { signedInCookies } from '@/tests/support/sessions';
import { getDb, useMemoryDb } from '@/lib/store/db';
import { getRule, listEnabledRules, listRulesWithStatus, loadRules, reloadRules, rulesMatchingData, setRuleCatalogue } from '@/lib/detection/rules';
import { parseImportText, readImport } from '@/lib/rules/import';
import { applyImport } from '@/lib/rules/import-apply';
import { listRuleVersionsOf } from '@/lib/store/rule-versions';
import { main as rulesCli } from '@/lib/cli/rules';
import { ruleDetailSchema, ruleImportReportSchema } from '@/lib/contracts/rules';
import { POST as importRoute } from '@/app/api/rules/import/route';
import { POST as rulesPost } from '@/app/api/rules/route';
import { GET as ruleGet } from '@/app/api/rules/[id]/route';

process.env.GUIDEPOST_ARGON2_FAST = '1';

const BASE = 'http://127.0.0.1:3000';
const CORPUS = '/work/shared/rules/eql-rules.jsonl';

const EQL_ID = '11111111-1111-4111-8111-111111111111';
const QUERY_ID = '22222222-2222-4222-8222-222222222222';
const DEP_ID = '33333333-3333-4333-8333-333333333333';

/** a rule object as Kibana's "Export rules" writes it (fields trimmed to the ones that matter here) */
function kibanaRule(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'b1a2c3d4-0000-0000-0000-000000000000',
    created_at: '2024-05-01T10:00:00.000Z',
    updated_at: '2024-05-02T10:00:00.000Z',
    created_by: 'elastic',
    rule_id: EQL_ID,
    name: 'Kibana EQL rule',
    description: 'Finds a thing.',
    type: 'eql',
    language: 'eql',
    query: 'process where host.os.type == "windows" and process.name : "evil.exe"',
    index: ['logs-endpoint.events.process-*', 'winlogbeat-*'],
    risk_score: 47,
    severity: 'medium',
    from: 'now-9m',
    to: 'now',
    interval: '5m',
    max_signals: 100,
    timestamp_override: 'event.ingested',
    timestamp_override_fallback_disabled: false,
    version: 7,
    enabled: true,
    immutable: true,
    rule_source: { type: 'external', is_customized: false },
    setup: '## Setup\nInstall Elastic Defend.',
    note: '## Triage and analysis\n- Look at the process.',
    references: ['https://example.org/evil'],
    tags: ['OS: Windows', 'Tactic: Execution', 'Data Source: Elastic Defend'],
    related_integrations: [{ package: 'endpoint', version: '^8.2.0' }, { package: 'windows', version: '^2.0.0' }],
    required_fields: [{ name: 'process.name', type: 'keyword', ecs: true }],
    threat: [
      {
        framework: 'MITRE ATT&CK',
        tactic: { id: 'TA0002', name: 'Execution', reference: 'https://attack.mitre.org/tactics/TA0002/' },
        technique: [{ id: 'T1059', name: 'Command and Scripting Interpreter', reference: 'https://attack.mitre.org/techniques/T1059/' }],
      },
    ],
    exceptions_list: [],
    actions: [],
    ...over,
  };
}

const queryRule = () =>
  kibanaRule({ rule_id: QUERY_ID, name: 'Kibana KQL rule', type: 'query', language: 'kuery', query: 'event.action:"x"', version: 3 });
const summaryLine = (n: number) => ({ exported_count: n, exported_rules_count: n, missing_rules: [], missing_rules_count: 0, exported_exception_list_count: 0 });
const ndjson = (objs: unknown[]) => objs.map((o) => (typeof o === 'string' ? o : JSON.stringify(o))).join('\n') + '\n';

let dir: string;
beforeEach(() => {
  useMemoryDb();
  delete process.env.GUIDEPOST_RULES_DIR;
  setRuleCatalogue(null);
  reloadRules();
  loadRules();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-catalogue-'));
});
afterEach(() => {
  vi.restoreAllMocks();
  fs.rmSync(dir, { recursive: true, force: true });
});

function importText(text: string, name: string, enable = false) {
  const parsed = parseImportText(text, name);
  const report = applyImport(parsed, { actor: 'test', enable, catalogue: new Map(loadRules().rules.map((r) => [r.rule_id, r.version])) });
  reloadRules();
  return report;
}

describe('reading an import', () => {
  it("reads Kibana's export: every rule kept with its fields, the summary line is not a rule, other types kept", () => {
    const parsed = parseImportText(ndjson([kibanaRule(), queryRule(), summaryLine(2)]), 'export.ndjson');
    expect(parsed.refused).toEqual([]);
    expect(parsed.exportedCount).toBe(2);
    expect(parsed.candidates.map((c) => [c.rule.rule_id, c.rule.type, c.rule.version])).toEqual([
      [EQL_ID, 'eql', 7],
      [QUERY_ID, 'query', 3],
    ]);
    const r = parsed.candidates[0]!.rule;
    expect(r.setup).toBe('## Setup\nInstall Elastic Defend.');
    expect(r.note).toBe('## Triage and analysis\n- Look at the process.');
    expect(r.references).toEqual(['https://example.org/evil']);
    expect(r.tags).toEqual(['OS: Windows', 'Tactic: Execution', 'Data Source: Elastic Defend']);
    expect(r.mitre).toEqual([{ tacticId: 'TA0002', tacticName: 'Execution', techniqueId: 'T1059', techniqueName: 'Command and Scripting Interpreter' }]);
    expect(r.related_integrations).toEqual([
      { package: 'endpoint', version: '^8.2.0' },
      { package: 'windows', version: '^2.0.0' },
    ]);
    expect(r.metadata.integration).toEqual(['endpoint', 'windows']);
    expect([r.from, r.interval, r.max_signals, r.timestamp_override]).toEqual(['now-9m', '5m', 100, 'event.ingested']);
  });

  it('refuses each bad rule with its line, rule_id and reason, and keeps the good ones', () => {
    const text = ndjson([
      kibanaRule(), // 1 good
      '{"rule_id": "broken", "name": ', // 2 broken line
      kibanaRule({ rule_id: 'unknown-type', type: 'sigma' }), // 3 unknown type
      kibanaRule({ rule_id: 'bad-query', query: 'process where and' }), // 4 query that does not parse
      kibanaRule({ version: 8 }), // 5 the id of line 1 with another version
      queryRule(), // 6 good
      kibanaRule({ rule_id: 'no-severity', severity: 'urgent' }), // 7 invalid field
      summaryLine(7),
    ]);
    const parsed = parseImportText(text, 'mixed.ndjson');
    expect(parsed.candidates.map((c) => c.rule.rule_id)).toEqual([EQL_ID, QUERY_ID]);
    expect(parsed.refused.map((r) => [r.where, r.line, r.ruleId])).toEqual([
      ['mixed.ndjson:2', 2, null],
      ['mixed.ndjson:3', 3, 'unknown-type'],
      ['mixed.ndjson:4', 4, 'bad-query'],
      ['mixed.ndjson:5', 5, EQL_ID],
      ['mixed.ndjson:7', 7, 'no-severity'],
    ]);
    const reasons = parsed.refused.map((r) => r.reason);
    expect(reasons[0]).toMatch(/^not valid JSON/);
    expect(reasons[1]).toMatch(/^unknown rule type "sigma"/);
    expect(reasons[2]).toMatch(/^query does not parse: line 1, column \d+/);
    expect(reasons[3]).toBe('rule_id already read at mixed.ndjson:1 with another version (7, here 8); only the first is imported');
    expect(reasons[4]).toMatch(/severity/);
  });

  it('reads the corpus JSONL shape and a directory of TOML files', () => {
    const lines = fs.readFileSync(CORPUS, 'utf8').split('\n').filter((l) => l.trim() !== '').slice(0, 3);
    fs.writeFileSync(path.join(dir, 'three.jsonl'), lines.join('\n'));
    fs.copyFileSync(path.resolve('rules/unusual-executable-file-creation-by-system-critical-process.toml'), path.join(dir, 'seed.toml'));
    fs.writeFileSync(path.join(dir, 'versions.json'), JSON.stringify({ 'e94262f2-c1e9-4d3f-a907-aeab16712e1a': 5 }));
    fs.writeFileSync(path.join(dir, 'broken.toml'), '[rule]\nname = "unterminated\n');
    const parsed = readImport(dir);
    const ids = lines.map((l) => (JSON.parse(l) as { rule_id: string }).rule_id);
    expect(parsed.candidates.map((c) => c.rule.rule_id).sort()).toEqual([...ids, 'e94262f2-c1e9-4d3f-a907-aeab16712e1a'].sort());
    expect(parsed.candidates.find((c) => c.rule.rule_id === 'e94262f2-c1e9-4d3f-a907-aeab16712e1a')?.rule.version).toBe(5);
    expect(parsed.refused).toHaveLength(1);
    expect(parsed.refused[0]!.where).toBe(`${path.join(dir, 'broken.toml')}:2`);
  });
});

describe('storing an import', () => {
  it('adds new rules disabled (enabled with --enable, never a deprecated one); a re-import is unchanged', () => {
    const dep = kibanaRule({ rule_id: DEP_ID, name: 'Deprecated - Old thing', version: 2 });
    const text = ndjson([kibanaRule(), queryRule(), dep, summaryLine(3)]);
    const first = importText(text, 'export.ndjson');
    expect([first.added, first.newVersion, first.unchanged, first.refused.length]).toEqual([3, 0, 0, 0]);
    const status = new Map(listRulesWithStatus().map((r) => [r.ruleId, r]));
    expect([EQL_ID, QUERY_ID, DEP_ID].map((id) => status.get(id)?.enabled)).toEqual([false, false, false]);
    // the seed rule stays enabled
    expect(status.get('e94262f2-c1e9-4d3f-a907-aeab16712e1a')?.enabled).toBe(true);

    const again = importText(text, 'export.ndjson', true);
    expect([again.added, again.newVersion, again.unchanged, again.refused.length]).toEqual([0, 0, 3, 0]);
    // a re-import with --enable does not enable rules already known
    expect(listRulesWithStatus().find((r) => r.ruleId === EQL_ID)?.enabled).toBe(false);
  });

  it('--enable enables the added rules that can run, but not a deprecated one; other types are listed, never run', () => {
    const dep = kibanaRule({ rule_id: DEP_ID, name: 'Deprecated - Old thing', version: 2 });
    const r = importText(ndjson([kibanaRule(), queryRule(), dep]), 'export.ndjson', true);
    expect(r.enabledIds.sort()).toEqual([EQL_ID, QUERY_ID].sort());
    const status = new Map(listRulesWithStatus().map((x) => [x.ruleId, x]));
    expect(status.get(DEP_ID)).toMatchObject({ enabled: false, deprecated: true });
    expect(status.get(QUERY_ID)).toMatchObject({ enabled: true, supported: false, type: 'query' });
    expect(status.get(EQL_ID)).toMatchObject({ enabled: true, supported: true, os: ['Windows'], source: 'import' });
    const running = listEnabledRules().map((x) => x.rule_id);
    expect(running).toContain(EQL_ID);
    expect(running).not.toContain(QUERY_ID);
  });

  it('a new version is stored beside the old one and becomes current; the enabled state is kept; survives a reload', () => {
    importText(ndjson([kibanaRule()]), 'v7.ndjson', true);
    const r = importText(ndjson([kibanaRule({ version: 8, query: 'process where process.name : "worse.exe"' })]), 'v8.ndjson');
    expect([r.added, r.newVersion, r.unchanged]).toEqual([0, 1, 0]);
    expect(listRuleVersionsOf(getDb(), EQL_ID).map((v) => v.version)).toEqual([8, 7]);
    // the file is gone, the process's caches too: the rule comes back from app.db
    setRuleCatalogue(null);
    reloadRules();
    expect(getRule(EQL_ID)).toMatchObject({ version: 8, query: 'process where process.name : "worse.exe"' });
    expect(listRulesWithStatus().find((x) => x.ruleId === EQL_ID)?.enabled).toBe(true);
    // an older version imported later is recorded but does not replace the current one
    const older = importText(ndjson([kibanaRule({ version: 6 })]), 'v6.ndjson');
    expect([older.added, older.newVersion]).toEqual([0, 1]);
    expect(getRule(EQL_ID)?.version).toBe(8);
    expect(listRuleVersionsOf(getDb(), EQL_ID).map((v) => v.version)).toEqual([8, 7, 6]);
  });

  it('nothing is half-imported: a failure while storing leaves the catalogue as it was', () => {
    getDb().exec(`CREATE TRIGGER fail_second BEFORE INSERT ON imported_rules WHEN NEW.rule_id = '${QUERY_ID}' BEGIN SELECT RAISE(ABORT, 'disk full'); END;`);
    expect(() => importText(ndjson([kibanaRule(), queryRule()]), 'export.ndjson')).toThrow(/disk full/);
    expect(getRule(EQL_ID)).toBeNull();
    expect(getDb().prepare('SELECT count(*) AS n FROM imported_rules').get()).toEqual({ n: 0 });
    expect(getDb().prepare("SELECT count(*) AS n FROM rules WHERE rule_id = ?").get(EQL_ID)).toEqual({ n: 0 });
  });

  it('the rules that can match the stored data: index patterns against index names', () => {
    importText(ndjson([kibanaRule(), kibanaRule({ rule_id: QUERY_ID, index: ['logs-aws.cloudtrail-*'] })]), 'x.ndjson');
    const rules = loadRules().rules.filter((r) => r.rule_id === EQL_ID || r.rule_id === QUERY_ID);
    expect(rulesMatchingData(rules, ['logs-endpoint.events.process-default']).map((r) => r.rule_id)).toEqual([EQL_ID]);
    expect(rulesMatchingData(rules, ['other']).map((r) => r.rule_id)).toEqual([]);
  });

  it("imports Elastic's whole EQL set (1,081 rules) in one transaction; deprecated ones disabled; the second time all unchanged", () => {
    const raw = fs
      .readFileSync(CORPUS, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as { rule_id: string; name: string; maturity?: string });
    const t0 = performance.now();
    const read = readImport(CORPUS);
    const report = applyImport(read, { actor: 'test', enable: true, catalogue: new Map(loadRules().rules.map((r) => [r.rule_id, r.version])) });
    const ms = performance.now() - t0;
    reloadRules();
    console.log(`[catalogue] import of ${raw.length} corpus rules: ${Math.round(ms)} ms (storing ${report.ms} ms)`);
    expect(report.refused).toEqual([]);
    expect(report.added + report.newVersion).toBe(raw.length);
    const deprecated = raw.filter((r) => r.maturity === 'deprecated' || /^Deprecated - /.test(r.name)).map((r) => r.rule_id);
    expect(deprecated.length).toBeGreaterThan(0);
    const status = new Map(listRulesWithStatus().map((r) => [r.ruleId, r]));
    expect(status.size).toBe(raw.length);
    expect(deprecated.filter((id) => status.get(id)?.enabled)).toEqual([]);
    const again = applyImport(readImport(CORPUS), { actor: 'test', enable: false, catalogue: new Map(loadRules().rules.map((r) => [r.rule_id, r.version])) });
    expect([again.added, again.newVersion, again.unchanged]).toEqual([0, 0, raw.length]);
  });
});

describe('guidepost rules (CLI)', () => {
  function capture() {
    const out: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    return out;
  }

  it('import prints the summary line, then one line per refused rule', async () => {
    const file = path.join(dir, 'export.ndjson');
    fs.writeFileSync(file, ndjson([kibanaRule(), '{oops', kibanaRule({ rule_id: 'bad-query', query: 'process where (' }), queryRule(), summaryLine(3)]));
    const out = capture();
    expect(await rulesCli(['import', file])).toBe(0);
    expect(out[0]).toBe('rules import: 2 added, 0 new version, 0 unchanged, 2 refused');
    expect(out).toHaveLength(3);
    expect(out[1]).toMatch(new RegExp(`^refused ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2 rule_id \\(none\\): not valid JSON`));
    expect(out[2]).toMatch(/:3 rule_id bad-query: query does not parse: line 1, column \d+: /);
    out.length = 0;
    expect(await rulesCli(['import', file])).toBe(0);
    expect(out[0]).toBe('rules import: 0 added, 0 new version, 2 unchanged, 2 refused');
  });

  it('list prints rule_id, name, version, type and enabled per rule; enable/disable change what runs', async () => {
    importText(ndjson([kibanaRule(), queryRule()]), 'x.ndjson');
    const out = capture();
    expect(await rulesCli(['enable', EQL_ID, QUERY_ID])).toBe(0);
    expect(out.pop()).toBe('rules enable: 2 enabled, 0 already enabled');
    expect(await rulesCli(['list'])).toBe(0);
    expect(out).toContain(`${EQL_ID}\tKibana EQL rule\tv7\teql\tenabled`);
    expect(out).toContain(`${QUERY_ID}\tKibana KQL rule\tv3\tquery (not supported yet)\tenabled`);
    out.length = 0;
    expect(await rulesCli(['disable', '--all'])).toBe(0);
    expect(out[0]).toMatch(/^rules disable: 3 disabled, 0 already disabled$/);
    expect(listEnabledRules()).toEqual([]);
    out.length = 0;
    expect(await rulesCli(['list', '--json'])).toBe(0);
    expect(out.map((l) => JSON.parse(l) as { enabled: boolean }).every((r) => r.enabled === false)).toBe(true);
    expect(await rulesCli(['enable', 'no-such-rule'])).toBe(1);
  });
});

describe('routes', () => {
  let cookies: Record<string, string>;
  beforeEach(async () => {
    cookies = await signedInCookies({ ada: 'admin', ana: 'analyst' });
  });
  const headers = (who: string, type = 'application/json') => ({ host: '127.0.0.1:3000', origin: BASE, cookie: cookies[who]!, 'content-type': type });
  const seg = { params: Promise.resolve({}) };

  it('an import is for admins: an analyst is refused and nothing is stored; an admin gets the report', async () => {
    const body = ndjson([kibanaRule(), summaryLine(1)]);
    const refused = await importRoute(new NextRequest(`${BASE}/api/rules/import?name=e.ndjson`, { method: 'POST', headers: headers('ana', 'application/x-ndjson'), body }), seg);
    expect(refused.status).toBe(403);
    expect(getRule(EQL_ID)).toBeNull();
    const ok = await importRoute(new NextRequest(`${BASE}/api/rules/import?name=e.ndjson&enable=1`, { method: 'POST', headers: headers('ada', 'application/x-ndjson'), body }), seg);
    expect(ok.status).toBe(200);
    const report = ruleImportReportSchema.parse(await ok.json());
    expect(report.summary).toBe('rules import: 1 added, 0 new version, 0 unchanged, 0 refused');
    expect(report.enabled).toBe(1);
  });

  it('bulk enable/disable is for admins; unknown ids are refused before anything changes', async () => {
    importText(ndjson([kibanaRule(), queryRule()]), 'x.ndjson');
    const post = (who: string, b: unknown) => rulesPost(new NextRequest(`${BASE}/api/rules`, { method: 'POST', headers: headers(who), body: JSON.stringify(b) }), seg);
    expect((await post('ana', { ruleIds: [EQL_ID], enabled: true })).status).toBe(403);
    expect(listRulesWithStatus().find((r) => r.ruleId === EQL_ID)?.enabled).toBe(false);
    expect((await post('ada', { ruleIds: [EQL_ID, 'nope'], enabled: true })).status).toBe(404);
    expect(listRulesWithStatus().find((r) => r.ruleId === EQL_ID)?.enabled).toBe(false);
    const ok = await post('ada', { ruleIds: [EQL_ID, QUERY_ID], enabled: true });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { changed: string[] }).changed.sort()).toEqual([EQL_ID, QUERY_ID].sort());
    expect((await post('ada', { all: true, ruleIds: [EQL_ID], enabled: true })).status).toBe(400);
  });

  it('the rule page data: formatted query with problem positions, guide, setup, MITRE, versions', async () => {
    importText(ndjson([kibanaRule({ query: 'process   where process.name : "a"\n  and nosuch(process.name)' })]), 'x.ndjson');
    const res = await ruleGet(new NextRequest(`${BASE}/api/rules/${EQL_ID}`, { headers: headers('ana') }), { params: Promise.resolve({ id: EQL_ID }) });
    expect(res.status).toBe(200);
    const d = ruleDetailSchema.parse(await res.json());
    expect(d.formattedQuery).toBe('process where process.name : "a" and nosuch(process.name)');
    expect(d.problems.length).toBeGreaterThan(0);
    const p = d.problems[0]!;
    // the position is in the formatted text shown, not the text as written
    expect(d.formattedQuery!.slice(p.start, p.end)).toBe('nosuch');
    expect([p.line, p.column]).toEqual([1, 38]);
    expect(d.setup).toBe('## Setup\nInstall Elastic Defend.');
    expect(d.threat[0]?.tactic.id).toBe('TA0002');
    expect(d.versions.map((v) => v.version)).toEqual([7]);
    const missing = await ruleGet(new NextRequest(`${BASE}/api/rules/nope`, { headers: headers('ana') }), { params: Promise.resolve({ id: 'nope' }) });
    expect(missing.status).toBe(404);
  });
});
