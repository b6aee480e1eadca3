/**
 * The exception policy (issue 13 High 1, Low "DELETE ignores the rule id"), through the route
 * handlers as the browser calls them: an analyst's exception is a proposal that suppresses and
 * closes nothing until a lead approves it; approval closes only open alerts, each audited;
 * every exception expires; vacuous exceptions are refused; DELETE honours the rule in the URL.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NextRequest } from 'next/server';
import { getDb, type AppDb } from '@/lib/store/db';
import { insertAlerts, getAlertRow } from '@/lib/store/alerts';
import { listAudit } from '@/lib/store/audit';
import { setRuleCatalogue } from '@/lib/detection/rules';
import { runRule } from '@/lib/detection/run';
import { listExceptions } from '@/lib/detection/exceptions';
import { GET as listRoute, POST as createRoute, DELETE as deleteRoute } from '@/app/api/rules/[id]/exceptions/route';
import { POST as decideRoute } from '@/app/api/rules/[id]/exceptions/[exceptionId]/route';
import { GET as pendingRoute } from '@/app/api/rules/exceptions/pending/route';
import { signedInTeam } from '@/tests/support/sessions';
import { queueAlert } from '@/tests/support/alerts';
import { at, fakeSource, fileEvent, makeRule, RULE_ID } from './helpers';

const BASE = 'http://127.0.0.1:3000';
const OTHER_RULE = '00000000-0000-4000-8000-000000000002';
const DAY = 86_400_000;

let db: AppDb;
const cookies = signedInTeam({ ana: 'analyst', bob: 'analyst', lee: 'lead', vic: 'viewer' });

function alertOn(i: number, host: string, over: Parameters<typeof queueAlert>[1] = {}) {
  return queueAlert(i, {
    ruleId: RULE_ID,
    ruleName: 'rule',
    hostName: host,
    event: { _index: 'logs-x', _id: `e${i}`, _source: { host: { name: host }, process: { name: 'lsass.exe' } } },
    ...over,
  });
}

beforeEach(() => {
  delete process.env.GUIDEPOST_EXCEPTION_MAX_DAYS;
  db = getDb();
  setRuleCatalogue([makeRule(), makeRule({ rule_id: OTHER_RULE, name: 'Other rule' })]);
  insertAlerts(db, [
      alertOn(1, 'build-01', { status: 'open', assignee: null }),
      alertOn(2, 'build-01', { status: 'open', assignee: 'bob' }),
      alertOn(3, 'build-01', { status: 'acknowledged', assignee: 'bob' }),
      alertOn(4, 'ws-02', { status: 'open', assignee: null }),
    ]);
});

afterEach(() => {
  setRuleCatalogue(null);
  delete process.env.GUIDEPOST_EXCEPTION_MAX_DAYS;
});

function request(method: string, url: string, who: string, body?: unknown): NextRequest {
  return new NextRequest(`${BASE}${url}`, {
    method,
    headers: { host: '127.0.0.1:3000', origin: BASE, cookie: cookies[who]!, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

type Answer = {
  status: number;
  body: {
    exception?: { id: string; status: string; expiresAt: string | null; decidedBy: string | null };
    closedAlertIds?: string[];
    items?: { id: string; status: string; ruleName?: string | null }[];
    error?: { code: string; message: string };
  };
};

async function answer(res: Response): Promise<Answer> {
  return { status: res.status, body: (await res.json()) as Answer['body'] };
}

const buildHost = [{ field: 'host.name', operator: 'is', values: ['build-01'] }];

const propose = async (who: string, body: Record<string, unknown>, rule = RULE_ID) =>
  answer(await createRoute(request('POST', `/api/rules/${rule}/exceptions`, who, body), { params: Promise.resolve({ id: rule }) }));
const decide = async (who: string, id: string, body: Record<string, unknown>, rule = RULE_ID) =>
  answer(await decideRoute(request('POST', `/api/rules/${rule}/exceptions/${id}`, who, body), { params: Promise.resolve({ id: rule, exceptionId: id }) }));

describe('an analyst proposes, a lead decides', () => {
  it("an analyst's exception with closeMatchingAlerts is a proposal: nothing closed, nothing suppressed", async () => {
    const res = await propose('ana', { entries: buildHost, closeMatchingAlerts: true, comment: 'build server' });
    expect(res.status).toBe(201);
    expect(res.body.exception?.status).toBe('pending');
    expect(res.body.closedAlertIds).toEqual([]);
    for (const id of ['a001', 'a002', 'a003']) expect(getAlertRow(getDb(), id)?.status).not.toBe('closed');
    expect(listExceptions(RULE_ID, { activeOnly: true })).toEqual([]);
    // a run still alerts on the build server
    const source = fakeSource([fileEvent(at(-1), { host: 'build-01' })]);
    const run = await runRule(makeRule(), { from: at(-9), to: at(0) }, { source, trigger: 'manual' });
    expect(source.requests.at(-1)?.exceptions).toEqual([]);
    expect(run.created).toHaveLength(1);
    expect(listAudit(getDb(), { entity: 'exception' }).map((a) => [a.actor, a.action])).toEqual([['ana', 'propose']]);
  });

  it('the rules page lists what is pending; a lead approves: it closes only open alerts, each audited, and suppresses', async () => {
    const proposed = await propose('ana', { entries: buildHost, closeMatchingAlerts: true, closeVerdict: 'false_positive' });
    const id = proposed.body.exception!.id;
    const pending = await answer(await pendingRoute(request('GET', '/api/rules/exceptions/pending', 'vic'), { params: Promise.resolve({}) }));
    expect(pending.body.items?.map((e) => [e.id, e.status, e.ruleName])).toEqual([[id, 'pending', makeRule().name]]);

    const approved = await decide('lee', id, { decision: 'approve', note: 'checked with IT' });
    expect(approved.status).toBe(200);
    expect(approved.body.exception).toMatchObject({ status: 'approved', decidedBy: 'lee' });
    // open alerts of the build server closed; the acknowledged one bob is working stays; ws-02 untouched
    expect(approved.body.closedAlertIds?.sort()).toEqual(['a001', 'a002']);
    expect(getAlertRow(getDb(), 'a001')).toMatchObject({ status: 'closed', verdict: 'false_positive' });
    expect(getAlertRow(getDb(), 'a003')?.status).toBe('acknowledged');
    expect(getAlertRow(getDb(), 'a004')?.status).toBe('open');
    expect(listAudit(getDb(), { entity: 'alert', entityId: 'a002' }).map((a) => [a.actor, a.action])).toEqual([['lee', 'close']]);
    expect(listAudit(getDb(), { entity: 'exception' }).map((a) => a.action).sort()).toEqual(['approve', 'propose']);
    expect(listExceptions(RULE_ID, { activeOnly: true }).map((e) => e.id)).toEqual([id]);

    // decided once only
    expect((await decide('lee', id, { decision: 'reject' })).status).toBe(409);
  });

  it('analysts and viewers cannot decide; nobody decides their own proposal; a rejected one never applies', async () => {
    const id = (await propose('ana', { entries: buildHost })).body.exception!.id;
    expect((await decide('bob', id, { decision: 'approve' })).status).toBe(403);
    expect((await decide('ana', id, { decision: 'approve' })).status).toBe(403);
    expect((await decide('vic', id, { decision: 'approve' })).status).toBe(403);
    // the decision is about THIS rule's exception
    expect((await decide('lee', id, { decision: 'approve' }, OTHER_RULE)).status).toBe(404);
    const rejected = await decide('lee', id, { decision: 'reject', note: 'too broad' });
    expect(rejected.body.exception).toMatchObject({ status: 'rejected', decidedBy: 'lee' });
    expect(listExceptions(RULE_ID, { activeOnly: true })).toEqual([]);
  });

  it("a lead's own exception is in force at once and closes only the open alerts it matches", async () => {
    const res = await propose('lee', { entries: buildHost, closeMatchingAlerts: true });
    expect(res.body.exception).toMatchObject({ status: 'approved', decidedBy: 'lee' });
    expect(res.body.closedAlertIds?.sort()).toEqual(['a001', 'a002']);
  });
});

describe('every exception expires', () => {
  it('by default after 30 days; at most the configured maximum; never only for a lead who asks', async () => {
    const t0 = Date.now();
    const plain = await propose('ana', { entries: buildHost });
    const exp = Date.parse(plain.body.exception!.expiresAt!);
    expect(exp - t0).toBeGreaterThanOrEqual(30 * DAY - 60_000);
    expect(exp - t0).toBeLessThanOrEqual(30 * DAY + 60_000);

    const never = await propose('ana', { entries: buildHost, neverExpires: true });
    expect(never.status).toBe(403);
    expect(never.body.error?.message).toMatch(/never expires/);
    expect((await propose('lee', { entries: buildHost, neverExpires: true })).body.exception?.expiresAt).toBeNull();

    const far = new Date(t0 + 200 * DAY).toISOString();
    const tooFar = await propose('lee', { entries: buildHost, expiresAt: far });
    expect(tooFar.status).toBe(400);
    expect(tooFar.body.error?.message).toMatch(/more than 90 days ahead/);
    process.env.GUIDEPOST_EXCEPTION_MAX_DAYS = '365';
    expect((await propose('lee', { entries: buildHost, expiresAt: far })).status).toBe(201);
  });
});

describe('vacuous exceptions are refused', () => {
  it('one that matches a document without its fields (only negated entries)', async () => {
    const res = await propose('lee', { entries: [{ field: 'no.such', operator: 'exists', negate: true }] });
    expect(res.status).toBe(400);
    expect(res.body.error?.message).toMatch(/none of its fields.*silence the rule/);
    expect(listExceptions(RULE_ID)).toEqual([]);
  });

  it('one that matches every recent alert of the rule', async () => {
    const res = await propose('lee', { entries: [{ field: 'process.name', operator: 'matches', values: ['*.EXE'] }], closeMatchingAlerts: true });
    expect(res.status).toBe(400);
    expect(res.body.error?.message).toMatch(/matches all 4 recent alerts/);
    expect(getAlertRow(getDb(), 'a001')?.status).toBe('open');
  });
});

describe('patterns are capped and matched in linear time', () => {
  it('`************!` against open alerts returns at once (it blocked the server 79 s)', async () => {
    insertAlerts(db, [alertOn(9, 'a'.repeat(28), { status: 'open' })]);
    const t0 = performance.now();
    const res = await propose('lee', { entries: [{ field: 'host.name', operator: 'matches', values: ['************!'] }], closeMatchingAlerts: true });
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(res.status).toBe(201);
    expect(res.body.closedAlertIds).toEqual([]);
  });

  it('refuses a pattern longer than 1024 characters, saying where', async () => {
    const res = await propose('lee', { entries: [buildHost[0], { field: 'file.path', operator: 'matches', values: ['a'.repeat(1025)] }] });
    expect(res.status).toBe(400);
    expect(res.body.error?.message).toMatch(/entries\.1\.values.*1024/);
  });
});

describe('DELETE /api/rules/:id/exceptions', () => {
  it('removes only an exception of the rule in the URL', async () => {
    const id = (await propose('lee', { entries: buildHost })).body.exception!.id;
    const del = (rule: string) => deleteRoute(request('DELETE', `/api/rules/${rule}/exceptions?exceptionId=${id}`, 'lee'), { params: Promise.resolve({ id: rule }) });
    const wrong = await answer(await del(OTHER_RULE));
    expect(wrong.status).toBe(404);
    expect(wrong.body.error?.message).toMatch(new RegExp(`not found on rule ${OTHER_RULE}`));
    expect(listExceptions(RULE_ID).map((e) => e.id)).toEqual([id]);
    expect((await del(RULE_ID)).status).toBe(200);
    expect(listExceptions(RULE_ID)).toEqual([]);
  });

  it('analysts cannot delete', async () => {
    const id = (await propose('lee', { entries: buildHost })).body.exception!.id;
    const res = await deleteRoute(request('DELETE', `/api/rules/${RULE_ID}/exceptions?exceptionId=${id}`, 'ana'), { params: Promise.resolve({ id: RULE_ID }) });
    expect(res.status).toBe(403);
  });
});

describe('GET /api/rules/:id/exceptions', () => {
  it('shows proposals with their state to everyone signed in', async () => {
    await propose('ana', { entries: buildHost });
    const res = await answer(await listRoute(request('GET', `/api/rules/${RULE_ID}/exceptions`, 'vic'), { params: Promise.resolve({ id: RULE_ID }) }));
    expect(res.body.items?.map((e) => e.status)).toEqual(['pending']);
  });
});
