import Database from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import { getDb, useMemoryDb } from '@/lib/store/db';
import { migrate, migrations } from '@/lib/store/migrations';
import { getRuleVersion, recordRuleVersions } from '@/lib/store/rule-versions';
import { runRule } from '@/lib/detection/run';
import { loadRules, setRuleCatalogue } from '@/lib/detection/rules';
import { getCase, guideOfVersion, guideStepsOf, setStepState } from '@/lib/cases';
import { ruleGuide } from '@/lib/server/triage';
import { NextRequest } from 'next/server';
import { createSession, createUser } from '@/lib/auth';
import { updateAlertRow } from '@/lib/store/alerts';
import { dashboardResponseSchema } from '@/lib/contracts/dashboard';
import { GET as dashboardRoute } from '@/app/api/dashboard/route';
import { at, fakeSource, fileEvent, GUIDE_NOTE, makeRule, RULE_ID } from './helpers';

// an upgrade that rewrites every step (as 111 → today's upstream version does)
const noteV112 = `## Triage and analysis

#### Possible investigation steps

- Examine the file creation event, including the file path, hash and the writing process.
- Review the parent and child process tree of the writer.
- Check the host for persistence added around the alert time.

### Response and remediation

- Contain the host with the endpoint agent.
- Reset the credentials of the affected accounts.
`;

const v111 = makeRule({ note: GUIDE_NOTE });
const v112 = makeRule({ note: noteV112, version: 112 });

async function raise(rule = v111) {
  const out = await runRule(rule, { from: at(-9), to: at(0) }, { source: fakeSource([fileEvent(at(-1))]), trigger: 'manual' });
  return out.created[0];
}

beforeEach(() => {
  useMemoryDb();
  setRuleCatalogue([v111]);
  loadRules();
});

describe('an alert keeps the guide of the rule version that raised it', () => {
  it('after an upgrade that rewrites the steps, the old alert still shows its own guide, ticks and progress', async () => {
    const alert = await raise();
    expect(alert.ruleVersion).toBe(111);
    const oldSteps = guideStepsOf(RULE_ID, 111);
    expect(oldSteps.map((s) => s.text)).toEqual([
      'Investigate the process execution chain (parent process tree).',
      'Investigate other alerts associated with the user/host during the past 48 hours.',
      'Isolate the involved host.',
    ]);
    setStepState(alert.id, oldSteps[0].id, { state: 'done', note: 'tree checked' }, { actor: 'alice' });
    setStepState(alert.id, oldSteps[2].id, { state: 'done', section: 'response' }, { actor: 'alice' });

    setRuleCatalogue([v112]);
    loadRules();

    const view = ruleGuide(alert);
    expect(view.rule?.version).toBe(112);
    expect(view.guideVersion).toBe(111);
    const shownIds = guideStepsOf(RULE_ID, 111).map((s) => s.id);
    expect(shownIds).toEqual(oldSteps.map((s) => s.id));
    expect(view.guide?.guide).toBeTruthy();

    // the current guide has other step ids: the old ticks would be orphaned there
    const newIds = guideStepsOf(RULE_ID).map((s) => s.id);
    expect(newIds).toHaveLength(5);
    expect(newIds).not.toContain(oldSteps[0].id);

    const c = getCase(alert.id);
    expect(c.progress.all).toMatchObject({ done: 2, total: 3 });
    expect(c.progress.response).toMatchObject({ done: 1, total: 1 });
  });

  it('an alert raised by the new version gets the new guide', async () => {
    setRuleCatalogue([v112]);
    loadRules();
    const alert = await raise(v112);
    const view = ruleGuide(alert);
    expect(view.guideVersion).toBe(112);
    expect(getCase(alert.id).progress.all.total).toBe(5);
  });

  it('a version never recorded falls back to the rule as loaded now, and says which version it shows', () => {
    setRuleCatalogue([v112]);
    loadRules();
    const g = guideOfVersion(RULE_ID, 100);
    expect(g.guideVersion).toBe(112);
    expect(guideStepsOf(RULE_ID, 100)).toHaveLength(5);
    expect(guideOfVersion('no-such-rule', 1)).toEqual({ rule: null, guide: null, guideVersion: null });
  });

  it('records each version once; the same version with edited text keeps the newer text and its first-seen time', () => {
    const db = useMemoryDb();
    expect(recordRuleVersions(db, [{ ruleId: 'r1', version: 1, name: 'R', note: 'a' }], '2026-01-01T00:00:00.000Z')).toBe(1);
    expect(recordRuleVersions(db, [{ ruleId: 'r1', version: 1, name: 'R', note: 'a' }], '2026-01-02T00:00:00.000Z')).toBe(0);
    expect(recordRuleVersions(db, [{ ruleId: 'r1', version: 1, name: 'R2', note: 'b' }, { ruleId: 'r1', version: 2, name: 'R', note: null }], '2026-01-03T00:00:00.000Z')).toBe(2);
    expect(getRuleVersion(db, 'r1', 1)).toEqual({ ruleId: 'r1', version: 1, name: 'R2', note: 'b', firstSeenAt: '2026-01-01T00:00:00.000Z' });
    expect(getRuleVersion(db, 'r1', 2)?.note).toBeNull();
    expect(getRuleVersion(db, 'r1', 3)).toBeNull();
  });

  it('an app.db from before the rule_versions table is upgraded in place', () => {
    const db = new Database(':memory:');
    for (const m of migrations.filter((x) => x.version <= 3)) db.exec(m.sql);
    db.pragma('user_version = 3');
    expect(() => db.prepare('SELECT 1 FROM rule_versions').get()).toThrow(/no such table/);
    expect(migrate(db)).toBeGreaterThanOrEqual(1);
    recordRuleVersions(db, [{ ruleId: RULE_ID, version: 111, name: 'seed', note: GUIDE_NOTE }]);
    expect(getRuleVersion(db, RULE_ID, 111)?.note).toBe(GUIDE_NOTE);
    db.close();
  });

  it("the lead's dashboard counts each alert's progress against its own version's steps", async () => {
    const old = await raise();
    const oldSteps = guideStepsOf(RULE_ID, 111);
    setStepState(old.id, oldSteps[0].id, { state: 'done' }, { actor: 'ana' });
    setStepState(old.id, oldSteps[1].id, { state: 'done' }, { actor: 'ana' });
    setRuleCatalogue([v112]);
    loadRules();
    const fresh = (await runRule(v112, { from: at(-9), to: at(0) }, { source: fakeSource([fileEvent(at(-2))]), trigger: 'manual' })).created[0];
    for (const a of [old, fresh]) expect(updateAlertRow(getDb(), a.id, { assignee: 'ana' }, 1, new Date().toISOString())).toBe(true);

    const lead = await createUser(getDb(), { name: 'lee', role: 'lead', password: 'a long enough password' }, 'test');
    const res = await dashboardRoute(
      new NextRequest('http://127.0.0.1:3000/api/dashboard?period=30d', { headers: { host: '127.0.0.1:3000', cookie: `gp_session=${createSession(getDb(), lead.id).token}` } }),
      { params: Promise.resolve({}) },
    );
    expect(res.status).toBe(200);
    const d = dashboardResponseSchema.parse(await res.json());
    const byId = new Map(d.investigations.items.map((i) => [i.id, i]));
    expect(byId.get(old.id)).toMatchObject({ stepsDone: 2, stepsTotal: 3 });
    expect(byId.get(fresh.id)).toMatchObject({ stepsDone: 0, stepsTotal: 5 });
    // ana's two alerts: 2/3 and 0/5 done, median of the two = 1/3 (with the new version's 5 steps for both it would be 0.2)
    const ana = d.analysts.find((a) => a.analyst === 'ana');
    expect(ana?.assigned).toBe(2);
    expect(ana?.medianCompletion).toBeCloseTo(1 / 3, 6);
  });
});
