/**
 * Lost updates on the checklist (issue 13): a state change carries the step version it was
 * made on and a stale one is refused (409) with a clear message; a note never carries the
 * state, so a stale page saving a note cannot undo a tick; made-up step ids are refused and
 * never stored; a lone surrogate never reaches the store. Issue 17 item 5: working an
 * unassigned alert claims it.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { NextRequest } from 'next/server';
import { getDb, type AppDb } from '@/lib/store/db';
import { insertAlerts, getAlertRow } from '@/lib/store/alerts';
import { listAudit } from '@/lib/store/audit';
import { listSteps } from '@/lib/store/checklist';
import { setRuleCatalogue } from '@/lib/detection/rules';
import { addNote, claimOnWorkSetting, getCase, guideStepsOf } from '@/lib/cases';
import { stepPutSchema } from '@/lib/contracts/alerts';
import { PUT as stepRoute } from '@/app/api/alerts/[id]/steps/[stepId]/route';
import { POST as noteRoute } from '@/app/api/alerts/[id]/notes/route';
import { PATCH as alertRoute } from '@/app/api/alerts/[id]/route';
import { GET as dashboardRoute } from '@/app/api/dashboard/route';
import { dashboardResponseSchema } from '@/lib/contracts/dashboard';
import { signedInTeam } from '@/tests/support/sessions';
import { queueAlert } from '@/tests/support/alerts';
import { GUIDE_NOTE, makeRule } from '@/tests/detection/helpers';

const BASE = 'http://127.0.0.1:3000';

let db: AppDb;
const cookies = signedInTeam({ ana: 'analyst', lee: 'lead', bob: 'analyst' });
let stepIds: string[];
const ALERT = 'a000';

beforeEach(() => {
  delete process.env.GUIDEPOST_CLAIM_ON_WORK;
  db = getDb();
  const rule = makeRule({ note: GUIDE_NOTE });
  setRuleCatalogue([rule]);
  insertAlerts(db, [queueAlert(0, { id: ALERT, ruleId: rule.rule_id, ruleVersion: rule.version, status: 'open', assignee: null })]);
  stepIds = guideStepsOf(rule.rule_id, rule.version).map((s) => s.id);
});

function request(method: string, url: string, who: string, body?: unknown): NextRequest {
  return new NextRequest(`${BASE}${url}`, {
    method,
    headers: { host: '127.0.0.1:3000', origin: BASE, cookie: cookies[who]!, 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
}

async function putStep(who: string, stepId: string, body: unknown) {
  const res = await stepRoute(request('PUT', `/api/alerts/${ALERT}/steps/${encodeURIComponent(stepId)}`, who, body), {
    params: Promise.resolve({ id: ALERT, stepId }),
  });
  return { status: res.status, body: (await res.json()) as { step?: { state: string; version: number; note: string | null }; error?: { code: string; message: string } } };
}

async function postNote(who: string, body: unknown) {
  const res = await noteRoute(request('POST', `/api/alerts/${ALERT}/notes`, who, body), { params: Promise.resolve({ id: ALERT }) });
  return { status: res.status, body: (await res.json()) as { error?: { code: string; message: string } } };
}

describe('PUT /api/alerts/:id/steps/:stepId — versions', () => {
  it('a stale page saving a note leaves the tick in place', async () => {
    const id = stepIds[0]!;
    // both pages loaded the step as never changed (version 0); ana ticks it
    const tick = await putStep('ana', id, { state: 'done', expectedVersion: 0 });
    expect(tick.status).toBe(200);
    expect(tick.body.step).toMatchObject({ state: 'done', version: 1 });
    // the lead, whose page still shows it open, saves a note: the note carries no state
    const note = await putStep('lee', id, { note: 'parent is explorer.exe' });
    expect(note.status).toBe(200);
    const stored = listSteps(db, ALERT).find((s) => s.stepId === id)!;
    expect(stored).toMatchObject({ state: 'done', note: 'parent is explorer.exe', version: 2 });
  });

  it('a stale state change is refused with 409, says who changed it, and changes nothing', async () => {
    const id = stepIds[0]!;
    expect((await putStep('ana', id, { state: 'done', expectedVersion: 0 })).status).toBe(200);
    const stale = await putStep('lee', id, { state: 'open', expectedVersion: 0 });
    expect(stale.status).toBe(409);
    expect(stale.body.error?.code).toBe('conflict');
    expect(stale.body.error?.message).toMatch(/changed since you loaded it/);
    expect(stale.body.error?.message).toContain('ana');
    expect(stale.body.error?.message).toMatch(/reload/);
    expect(listSteps(db, ALERT).find((s) => s.stepId === id)).toMatchObject({ state: 'done', version: 1 });
    // with the version it now sees, the change goes through
    expect((await putStep('lee', id, { state: 'open', expectedVersion: 1 })).status).toBe(200);
  });

  it('a state change without the version it saw is refused (400), naming expectedVersion', async () => {
    const res = await putStep('ana', stepIds[0]!, { state: 'done' });
    expect(res.status).toBe(400);
    expect(res.body.error?.message).toMatch(/expectedVersion/);
    expect(listSteps(db, ALERT)).toEqual([]);
  });

  it('the contract: a note alone is a change, an empty body is not, N/A still needs a reason', () => {
    expect(stepPutSchema.safeParse({ note: 'x' }).success).toBe(true);
    expect(stepPutSchema.safeParse({}).success).toBe(false);
    expect(stepPutSchema.safeParse({ state: 'not_applicable', expectedVersion: 0 }).success).toBe(false);
    expect(stepPutSchema.safeParse({ state: 'done', expectedVersion: -1 }).success).toBe(false);
  });
});

describe('made-up step ids and broken text', () => {
  it('refuses an id that is not a step of the alert\'s guide (404) and stores nothing, audits nothing', async () => {
    const res = await putStep('ana', 'no-such-step', { state: 'done', expectedVersion: 0 });
    expect(res.status).toBe(404);
    expect(res.body.error?.message).toContain('no-such-step');
    expect(listSteps(db, ALERT)).toEqual([]);
    expect(listAudit(getDb(), { entity: 'alert', entityId: ALERT })).toEqual([]);
  });

  it('refuses an id that cannot be a step id (400)', async () => {
    for (const id of ['<script>alert(1)</script>', 'x'.repeat(200), 'Investigation Step']) {
      const res = await putStep('ana', id, { note: 'x' });
      expect(res.status, id).toBe(400);
      expect(res.body.error?.message).toMatch(/stepId/);
    }
    expect(listSteps(db, ALERT)).toEqual([]);
    expect(listAudit(getDb(), { entity: 'alert', entityId: ALERT })).toEqual([]);
  });

  it('refuses a lone surrogate in a note, a step note and a closing note (400), keeps a well-formed pair', async () => {
    const lone = '{"body":"finding \\ud800 here"}';
    const res = await postNote('ana', lone);
    expect(res.status).toBe(400);
    expect(res.body.error?.message).toMatch(/surrogate/);
    expect((await putStep('ana', stepIds[0]!, '{"note":"x \\udc00"}')).status).toBe(400);
    const patch = await alertRoute(request('PATCH', `/api/alerts/${ALERT}`, 'ana', '{"expectedVersion":1,"status":"closed","verdict":"false_positive","note":"\\ud83d"}'), {
      params: Promise.resolve({ id: ALERT }),
    });
    expect(patch.status).toBe(400);
    expect((await postNote('ana', { body: 'emoji 😀 ok' })).status).toBe(201);
  });

  it('text stored before the edge refused it is read back well-formed (U+FFFD), the history included, so the page hydrates', () => {
    // the library below the edge, as before the fix: the note and its audit row keep the lone surrogate
    addNote(ALERT, 'old \ud800 note', { actor: 'ana' });
    const raw = listAudit(getDb(), { entity: 'alert', entityId: ALERT });
    expect(JSON.stringify(raw)).toContain('\\ud800');
    const c = getCase(ALERT);
    const lone = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
    expect(lone.test(c.notes[0]!.body)).toBe(false);
    expect((c.audit[0]!.after as { body: string }).body).toBe('old \ufffd note');
  });
});

describe('working an alert claims it', () => {
  it('an analyst\'s first tick assigns the unassigned alert to them and acknowledges it (audited)', async () => {
    expect((await putStep('ana', stepIds[0]!, { state: 'done', expectedVersion: 0 })).status).toBe(200);
    expect(getAlertRow(db, ALERT)).toMatchObject({ assignee: 'ana', status: 'acknowledged' });
    expect(listAudit(getDb(), { entity: 'alert', entityId: ALERT }).map((a) => [a.actor, a.action])).toContainEqual(['ana', 'claim']);
    // it is now hers: another analyst may not work it
    expect((await putStep('bob', stepIds[1]!, { state: 'done', expectedVersion: 0 })).status).toBe(403);
  });

  it('the dashboard counts the claimed alert as in progress for her', async () => {
    expect((await putStep('ana', stepIds[0]!, { state: 'done', expectedVersion: 0 })).status).toBe(200);
    const res = await dashboardRoute(new NextRequest(`${BASE}/api/dashboard`, { headers: { host: '127.0.0.1:3000', cookie: cookies.lee! } }), { params: Promise.resolve({}) });
    expect(res.status).toBe(200);
    const body = dashboardResponseSchema.parse(await res.json());
    expect(body.analysts.find((a) => a.analyst === 'ana')).toMatchObject({ assigned: 0, inProgress: 1 });
  });

  it('a note claims too; a lead\'s change does not', async () => {
    expect((await postNote('lee', { body: 'supervising' })).status).toBe(201);
    expect(getAlertRow(db, ALERT)).toMatchObject({ assignee: null, status: 'open' });
    expect((await postNote('ana', { body: 'looking' })).status).toBe(201);
    expect(getAlertRow(db, ALERT)).toMatchObject({ assignee: 'ana', status: 'acknowledged' });
  });

  it('an analyst acknowledging by PATCH takes the alert', async () => {
    const res = await alertRoute(request('PATCH', `/api/alerts/${ALERT}`, 'ana', { expectedVersion: 1, verdict: 'false_positive' }), { params: Promise.resolve({ id: ALERT }) });
    expect(res.status).toBe(200);
    expect(getAlertRow(db, ALERT)).toMatchObject({ assignee: 'ana', status: 'acknowledged' });
  });

  it('GUIDEPOST_CLAIM_ON_WORK=off leaves the alert as it was; a bad value is an error naming it', async () => {
    process.env.GUIDEPOST_CLAIM_ON_WORK = 'off';
    expect((await putStep('ana', stepIds[0]!, { state: 'done', expectedVersion: 0 })).status).toBe(200);
    expect(getAlertRow(db, ALERT)).toMatchObject({ assignee: null, status: 'open' });
    expect(() => claimOnWorkSetting({ GUIDEPOST_CLAIM_ON_WORK: 'maybe' })).toThrow(/GUIDEPOST_CLAIM_ON_WORK/);
    expect(claimOnWorkSetting({})).toBe(true);
  });
});
