/**
 * Reading the rule files again while the server runs (POST /api/rules/reload, admins): a rule
 * file added, one replaced by another version, a broken one; the catalogue, the recorded
 * versions, the audit trail and the rules list's load errors all follow.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signedInTeam } from '@/tests/support/sessions';
import { NextRequest } from 'next/server';
import { getDb } from '@/lib/store/db';
import { getRule, loadRules, setRuleCatalogue } from '@/lib/detection/rules';
import { bundledRulesDir } from '@/lib/rules/load';
import { getRuleVersion } from '@/lib/store/rule-versions';
import { listAudit } from '@/lib/store/audit';
import { ruleListResponseSchema, ruleReloadResponseSchema } from '@/lib/contracts/rules';
import { POST as reloadRoute } from '@/app/api/rules/reload/route';
import { GET as rulesRoute } from '@/app/api/rules/route';

const BASE = 'http://127.0.0.1:3000';
const segment = { params: Promise.resolve({}) };
const SEED_ID = 'e94262f2-c1e9-4d3f-a907-aeab16712e1a';
const NEW_ID = '00000000-0000-4000-8000-00000000beef';
const seedText = () => fs.readFileSync(path.join(bundledRulesDir(), 'unusual-executable-file-creation-by-system-critical-process.toml'), 'utf8');

let dir: string;
const cookies = signedInTeam({ ada: 'admin', ana: 'analyst' });
const prevDir = process.env.GUIDEPOST_RULES_DIR;

beforeEach(() => {
  delete process.env.GUIDEPOST_RULES_DIR;
  setRuleCatalogue(null);
  loadRules();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-reload-'));
});

afterEach(() => {
  if (prevDir === undefined) delete process.env.GUIDEPOST_RULES_DIR;
  else process.env.GUIDEPOST_RULES_DIR = prevDir;
  setRuleCatalogue(null);
  fs.rmSync(dir, { recursive: true, force: true });
});

function post(who: string) {
  return reloadRoute(new NextRequest(`${BASE}/api/rules/reload`, { method: 'POST', headers: { host: '127.0.0.1:3000', origin: BASE, cookie: cookies[who]!, 'content-type': 'application/json' }, body: '{}' }), segment);
}

describe('POST /api/rules/reload', () => {
  it('reads the files again: a new rule, a new version of the seed rule, a broken file named; audited once per change', async () => {
    expect(getRule(SEED_ID)?.version).toBe(111);
    expect(getRule(NEW_ID)).toBeNull();

    // while the server runs: a new version of the seed rule, a new rule, and a file that does not parse
    fs.writeFileSync(path.join(dir, 'seed.toml'), seedText().replace('risk_score = 73', 'risk_score = 50'));
    fs.writeFileSync(path.join(dir, 'versions.json'), JSON.stringify({ [SEED_ID]: 112, [NEW_ID]: 3 }));
    fs.writeFileSync(
      path.join(dir, 'new.toml'),
      seedText().replace(SEED_ID, NEW_ID).replace('name = "Unusual Executable File Creation by a System Critical Process"', 'name = "A rule added later"'),
    );
    fs.writeFileSync(path.join(dir, 'broken.toml'), '[rule]\nname = "unterminated\n');
    process.env.GUIDEPOST_RULES_DIR = dir;
    // nothing changes before someone asks
    expect(getRule(NEW_ID)).toBeNull();

    const res = await post('ada');
    expect(res.status).toBe(200);
    const body = ruleReloadResponseSchema.parse(await res.json());
    expect(body.added).toEqual([{ ruleId: NEW_ID, name: 'A rule added later', version: 3 }]);
    expect(body.upgraded).toEqual([{ ruleId: SEED_ID, name: 'Unusual Executable File Creation by a System Critical Process', from: 111, to: 112 }]);
    expect(body.removed).toEqual([]);
    expect(body.errors.map((e) => path.basename(e.file.split(':')[0]!))).toContain('broken.toml');
    expect(getRule(SEED_ID)?.risk_score).toBe(50);
    expect(getRule(NEW_ID)?.name).toBe('A rule added later');
    // the new version's guide is recorded; the old one stays for the alerts it raised
    expect(getRuleVersion(getDb(), SEED_ID, 112)).not.toBeNull();
    expect(getRuleVersion(getDb(), SEED_ID, 111)).not.toBeNull();

    const audit = listAudit(getDb(), { entity: 'rule', entityId: '*' });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'ada', action: 'reload', before: { [SEED_ID]: 111, [NEW_ID]: null }, after: { [SEED_ID]: 112, [NEW_ID]: 3 } });

    // the rules list names the files that failed
    const list = ruleListResponseSchema.parse(await (await rulesRoute(new NextRequest(`${BASE}/api/rules`, { headers: { host: '127.0.0.1:3000', cookie: cookies.ana! } }), segment)).json());
    expect(list.errors.some((e) => e.file.includes('broken.toml'))).toBe(true);

    // again with nothing changed: same catalogue, no audit entry
    const again = ruleReloadResponseSchema.parse(await (await post('ada')).json());
    expect([again.added, again.upgraded, again.removed]).toEqual([[], [], []]);
    expect(listAudit(getDb(), { entity: 'rule', entityId: '*' })).toHaveLength(1);

    // the extra directory gone: the added rule is removed, the seed rule back to its bundled version
    delete process.env.GUIDEPOST_RULES_DIR;
    const back = ruleReloadResponseSchema.parse(await (await post('ada')).json());
    expect(back.removed).toEqual([{ ruleId: NEW_ID, name: 'A rule added later', version: 3 }]);
    expect(back.upgraded).toEqual([{ ruleId: SEED_ID, name: 'Unusual Executable File Creation by a System Critical Process', from: 112, to: 111 }]);
    expect(getRule(NEW_ID)).toBeNull();
  });

  it('is for admins: an analyst gets 403 and nothing is read again', async () => {
    fs.writeFileSync(path.join(dir, 'new.toml'), seedText().replace(SEED_ID, NEW_ID));
    process.env.GUIDEPOST_RULES_DIR = dir;
    const res = await post('ana');
    expect(res.status).toBe(403);
    expect(getRule(NEW_ID)).toBeNull();
  });
});
