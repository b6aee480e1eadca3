import { beforeEach, describe, expect, it } from 'vitest';
import { getDb, useMemoryDb } from '@/lib/store/db';
import { getAlertRow, countAlerts } from '@/lib/store/alerts';
import { listAudit } from '@/lib/store/audit';
import { runRule } from '@/lib/detection/run';
import { createException, listExceptions, removeException, suggestExceptionEntries } from '@/lib/detection/exceptions';
import { entryMatches } from '@/lib/events/exception-match';
import { AppError } from '@/lib/errors';
import { at, fakeSource, fileEvent, makeRule, RULE_ID } from './helpers';

beforeEach(() => {
  useMemoryDb();
});

const rule = makeRule();

describe('exceptions', () => {
  it('prefills entries from the alert fields', async () => {
    const e = fileEvent(at(-1), { host: 'ws-07', path: 'C:\\Windows\\Temp\\x.dll' });
    const out = await runRule(rule, { from: at(-9), to: at(0) }, { source: fakeSource([e]), trigger: 'manual' });
    const entries = suggestExceptionEntries(out.created[0]);
    expect(entries).toEqual([
      { field: 'process.executable', operator: 'is', values: ['C:\\Windows\\System32\\lsass.exe'] },
      { field: 'process.name', operator: 'is', values: ['lsass.exe'] },
      { field: 'file.path', operator: 'is', values: ['C:\\Windows\\Temp\\x.dll'] },
      { field: 'host.name', operator: 'is', values: ['ws-07'] },
      { field: 'user.name', operator: 'is', values: ['SYSTEM'] },
    ]);
  });

  it('suppresses future alerts of the rule and closes the open alerts it matches', async () => {
    const onHost = [fileEvent(at(-5), { host: 'build-01' }), fileEvent(at(-4), { host: 'build-01' })];
    const other = fileEvent(at(-3), { host: 'ws-02' });
    const source = fakeSource([...onHost, other]);
    const first = await runRule(rule, { from: at(-9), to: at(0) }, { source, trigger: 'scheduled' });
    expect(first.created).toHaveLength(3);
    const fromAlert = first.created[0];

    const { exception, closedAlertIds } = createException(
      {
        ruleId: RULE_ID,
        fromAlertId: fromAlert.id,
        entries: [
          { field: 'host.name', operator: 'is', values: ['build-01'] },
          { field: 'file.path', operator: 'matches', values: ['c:\\windows\\temp\\*.DLL'] },
        ],
        comment: 'build server writes DLLs',
        closeMatchingAlerts: true,
      },
      { actor: 'alice', now: new Date(at(1)) },
    );
    expect(closedAlertIds.sort()).toEqual(first.created.slice(0, 2).map((a) => a.id).sort());
    const closed = getAlertRow(getDb(), fromAlert.id);
    expect(closed).toMatchObject({ status: 'closed', verdict: 'benign_true_positive', version: 2 });
    expect(closed?.closingNote).toContain(exception.id);
    expect(getAlertRow(getDb(), first.created[2].id)?.status).toBe('open');
    expect(listAudit(getDb(), { entity: 'exception' }).map((e) => e.action)).toEqual(['create']);
    expect(listAudit(getDb(), { entity: 'alert', entityId: fromAlert.id }).map((e) => e.action)).toEqual(['close']);

    // new events on the build server no longer alert; others still do
    source.events.push(fileEvent(at(2), { host: 'build-01' }), fileEvent(at(3), { host: 'ws-03' }));
    const next = await runRule(rule, { from: at(-4), to: at(5) }, { source, trigger: 'scheduled', now: () => new Date(at(6)) });
    expect(source.requests.at(-1)?.exceptions).toEqual([{ id: exception.id, entries: exception.entries }]);
    expect(next.created.map((a) => a.hostName)).toEqual(['ws-03']);

    // removed: it no longer applies (not through another rule)
    expect(() => removeException(exception.id, { actor: 'lead', ruleId: 'other-rule' })).toThrow(/not found on rule other-rule/);
    removeException(exception.id, { actor: 'lead', ruleId: RULE_ID });
    expect(listExceptions(RULE_ID)).toEqual([]);
    const after = await runRule(rule, { from: at(-4), to: at(5) }, { source, trigger: 'scheduled', now: () => new Date(at(6)) });
    expect(after.created.map((a) => a.hostName)).toEqual(['build-01']);
    expect(countAlerts(getDb())).toBe(5);
  });

  it('stops applying an exception once it expires', async () => {
    const source = fakeSource([fileEvent(at(-1), { host: 'h1' })]);
    createException({ ruleId: RULE_ID, entries: [{ field: 'host.name', operator: 'is', values: ['h1'] }], expiresAt: at(10) }, { actor: 'a', now: new Date(at(-20)) });
    const during = await runRule(rule, { from: at(-9), to: at(0) }, { source, trigger: 'manual', now: () => new Date(at(0)) });
    expect(during.created).toHaveLength(0);
    expect(listExceptions(RULE_ID, { activeOnly: true, now: new Date(at(11)) })).toHaveLength(0);
    const after = await runRule(rule, { from: at(-9), to: at(0) }, { source, trigger: 'manual', now: () => new Date(at(11)) });
    expect(after.created).toHaveLength(1);
  });

  it('refuses bad exceptions with what and where', () => {
    const attempt = (input: unknown) => {
      try {
        createException(input, { actor: 'a', now: new Date(at(0)) });
      } catch (e) {
        expect(e).toBeInstanceOf(AppError);
        return (e as Error).message;
      }
      return 'accepted';
    };
    expect(attempt({ ruleId: RULE_ID, entries: [] })).toMatch(/entries: an exception needs at least one entry/);
    expect(attempt({ ruleId: RULE_ID, entries: [{ field: 'host.name', operator: 'is', values: [] }] })).toMatch(/entries\.0\.values/);
    expect(attempt({ ruleId: RULE_ID, entries: [{ field: 'host.name', operator: 'exists' }], expiresAt: at(-1) })).toMatch(/expiresAt.*past/);
    expect(attempt({ ruleId: RULE_ID, entries: [{ field: 'host.name', operator: 'exists' }], fromAlertId: 'nope' })).toMatch(/alert nope not found/);
    expect(listExceptions(RULE_ID)).toEqual([]);
  });

  it('evaluates operators: is, is_one_of, matches (wildcards, case-insensitive), exists, negate; dotted and nested fields', () => {
    const src = { 'process.name': 'LSASS.exe', file: { path: 'C:\\Temp\\a.dll', tags: ['x', 'y'] } };
    expect(entryMatches(src, { field: 'process.name', operator: 'is', values: ['LSASS.exe'] })).toBe(true);
    expect(entryMatches(src, { field: 'process.name', operator: 'is', values: ['lsass.exe'] })).toBe(false);
    expect(entryMatches(src, { field: 'file.tags', operator: 'is_one_of', values: ['z', 'y'] })).toBe(true);
    expect(entryMatches(src, { field: 'process.name', operator: 'matches', values: ['lsass.e?e'] })).toBe(true);
    expect(entryMatches(src, { field: 'file.path', operator: 'matches', values: ['c:\\temp\\*'] })).toBe(true);
    expect(entryMatches(src, { field: 'file.hash.sha256', operator: 'exists', values: [] })).toBe(false);
    expect(entryMatches(src, { field: 'file.hash.sha256', operator: 'exists', values: [], negate: true })).toBe(true);
  });
});
