import { beforeEach, describe, expect, it } from 'vitest';
import { useMemoryDb, getDb } from '@/lib/store/db';
import { listAudit } from '@/lib/store/audit';
import { runRule } from '@/lib/detection/run';
import { setRuleCatalogue } from '@/lib/detection/rules';
import { addNote, CaseError, getCase, listNotes, progressOf, setStepState, updateAlert } from '@/lib/cases';
import { at, fakeSource, fileEvent, GUIDE_NOTE, makeRule } from './helpers';

let alertId = '';

beforeEach(async () => {
  useMemoryDb();
  const rule = makeRule({ note: GUIDE_NOTE });
  setRuleCatalogue([rule]);
  const out = await runRule(rule, { from: at(-9), to: at(0) }, { source: fakeSource([fileEvent(at(-1))]), trigger: 'manual' });
  alertId = out.created[0].id;
});

function expectCaseError(fn: () => unknown, code: string, text: RegExp) {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CaseError);
    expect((e as CaseError).code).toBe(code);
    expect((e as CaseError).message).toMatch(text);
    return;
  }
  throw new Error('expected a CaseError');
}

describe('alert workflow', () => {
  it('moves open → acknowledged → closed with a verdict and a closing note, then reopens; audits each change', () => {
    const ack = updateAlert(alertId, { status: 'acknowledged', assignee: 'alice' }, { expectedVersion: 1, actor: 'alice' });
    expect(ack).toMatchObject({ status: 'acknowledged', assignee: 'alice', version: 2 });
    expect(ack.acknowledgedAt).not.toBeNull();
    const closed = updateAlert(alertId, { status: 'closed', verdict: 'true_positive', note: 'confirmed dropper' }, { expectedVersion: 2, actor: 'alice' });
    expect(closed).toMatchObject({ status: 'closed', verdict: 'true_positive', closingNote: 'confirmed dropper', version: 3 });
    expect(listNotes(alertId).map((n) => n.body)).toEqual(['confirmed dropper']);
    const reopened = updateAlert(alertId, { status: 'open' }, { expectedVersion: 3, actor: 'bob' });
    expect(reopened).toMatchObject({ status: 'open', verdict: null, closingNote: null, version: 4 });

    const audit = listAudit(getDb(), { entity: 'alert', entityId: alertId });
    expect(audit.map((a) => [a.actor, a.action])).toEqual([
      ['alice', 'status:acknowledged'],
      ['alice', 'close'],
      ['bob', 'reopen'],
    ]);
    expect(audit[1].before).toMatchObject({ status: 'acknowledged', verdict: null });
    expect(audit[1].after).toMatchObject({ status: 'closed', verdict: 'true_positive', note: 'confirmed dropper' });
  });

  it('refuses a stale change (expectedVersion) and leaves the alert as it was', () => {
    updateAlert(alertId, { assignee: 'alice' }, { expectedVersion: 1, actor: 'alice' });
    expectCaseError(() => updateAlert(alertId, { assignee: 'bob' }, { expectedVersion: 1, actor: 'bob' }), 'conflict', /changed by someone else.*version 2.*version 1/);
    expect(getCase(alertId).alert).toMatchObject({ assignee: 'alice', version: 2 });
    expect(listAudit(getDb(), { entity: 'alert', entityId: alertId })).toHaveLength(1);
  });

  it('refuses closing without a verdict, impossible transitions and unknown alerts', () => {
    expectCaseError(() => updateAlert(alertId, { status: 'closed' }, { expectedVersion: 1, actor: 'a' }), 'invalid_request', /verdict/);
    updateAlert(alertId, { status: 'closed', verdict: 'false_positive' }, { expectedVersion: 1, actor: 'a' });
    expectCaseError(() => updateAlert(alertId, { status: 'acknowledged' }, { expectedVersion: 2, actor: 'a' }), 'invalid_request', /reopen it first/);
    expectCaseError(() => updateAlert('nope', { status: 'acknowledged' }, { expectedVersion: 1, actor: 'a' }), 'not_found', /nope/);
  });

  it('an audit row cannot be changed or deleted', () => {
    updateAlert(alertId, { assignee: 'alice' }, { expectedVersion: 1, actor: 'alice' });
    expect(() => getDb().prepare("UPDATE audit SET actor = 'mallory'").run()).toThrow(/append-only/);
    expect(() => getDb().prepare('DELETE FROM audit').run()).toThrow(/append-only/);
  });
});

describe('checklist', () => {
  it('stores done / not applicable (with reason) / open per step, merged per step, with who and when', () => {
    const { progress: p0 } = getCase(alertId);
    expect(p0.all).toEqual({ done: 0, notApplicable: 0, completed: 0, total: 3 });
    const ids = ['s1', 's2'];
    const a = setStepState(alertId, ids[0], { state: 'done', note: 'tree looks benign' }, { actor: 'alice', now: new Date(at(1)) });
    expect(a).toMatchObject({ state: 'done', note: 'tree looks benign', actor: 'alice', updatedAt: at(1), version: 1 });
    // another analyst changes another step: no conflict
    setStepState(alertId, ids[1], { state: 'not_applicable', reason: 'no user context' }, { actor: 'bob' });
    // changing only the note keeps the state
    const a2 = setStepState(alertId, ids[0], { note: 'parent is services.exe' }, { actor: 'alice' });
    expect(a2).toMatchObject({ state: 'done', note: 'parent is services.exe', version: 2 });
    // back to open
    const a3 = setStepState(alertId, ids[0], { state: 'open' }, { actor: 'alice' });
    expect(a3.state).toBe('open');
    expect(getCase(alertId).steps.map((s) => [s.stepId, s.state, s.actor])).toEqual([
      ['s1', 'open', 'alice'],
      ['s2', 'not_applicable', 'bob'],
    ]);
    expect(listAudit(getDb(), { entity: 'alert', entityId: alertId }).map((e) => e.action)).toEqual(['step:s1', 'step:s2', 'step:s1', 'step:s1']);
  });

  it('needs a reason for not applicable, and refuses a stale step change', () => {
    expectCaseError(() => setStepState(alertId, 's1', { state: 'not_applicable' }, { actor: 'a' }), 'invalid_request', /reason/);
    setStepState(alertId, 's1', { state: 'done' }, { actor: 'a', expectedVersion: 0 });
    expectCaseError(() => setStepState(alertId, 's1', { state: 'open' }, { actor: 'b', expectedVersion: 0 }), 'conflict', /step s1/);
    expectCaseError(() => setStepState('missing', 's1', { state: 'done' }, { actor: 'a' }), 'not_found', /missing/);
  });

  it('counts progress as done + n/a of the guide model steps, response steps apart', () => {
    const view = getCase(alertId);
    expect(view.progress.response.total).toBe(1);
    expect(progressOf([{ stepId: 'x', state: 'done' }, { stepId: 'y', state: 'not_applicable' }, { stepId: 'z', state: 'open' }, { stepId: 'gone', state: 'done' }], ['x', 'y', 'z'])).toEqual({
      done: 1,
      notApplicable: 1,
      completed: 2,
      total: 3,
    });
  });

  it('progress follows the ids of the rule guide', async () => {
    const { guideStepsOf } = await import('@/lib/cases');
    const steps = guideStepsOf(getCase(alertId).alert.ruleId);
    expect(steps.map((s) => s.section)).toEqual(['investigation', 'investigation', 'response']);
    setStepState(alertId, steps[0].id, { state: 'done' }, { actor: 'a' });
    setStepState(alertId, steps[2].id, { state: 'not_applicable', reason: 'host already isolated', section: 'response' }, { actor: 'a' });
    const p = getCase(alertId).progress;
    expect(p.all).toEqual({ done: 1, notApplicable: 1, completed: 2, total: 3 });
    expect(p.response).toEqual({ done: 0, notApplicable: 1, completed: 1, total: 1 });
  });
});

describe('notes', () => {
  it('appends notes (never edits them) and audits each', () => {
    addNote(alertId, 'first finding', { actor: 'alice' });
    addNote(alertId, '<script>alert(1)</script>', { actor: 'bob' });
    expect(listNotes(alertId).map((n) => [n.author, n.body])).toEqual([
      ['alice', 'first finding'],
      ['bob', '<script>alert(1)</script>'],
    ]);
    expect(() => getDb().prepare("UPDATE alert_notes SET body = 'x'").run()).toThrow(/append-only/);
    expectCaseError(() => addNote(alertId, '   ', { actor: 'a' }), 'invalid_request', /empty/);
    expect(listAudit(getDb(), { entity: 'alert', entityId: alertId }).filter((e) => e.action === 'note')).toHaveLength(2);
  });
});
