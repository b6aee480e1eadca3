import { beforeEach, describe, expect, test, vi } from 'vitest';
import { createUser, type Role } from '../auth';
import { insertAlerts } from '../store/alerts';
import { getDb, useMemoryDb } from '../store/db';
import { queueAlert } from '@/tests/support/alerts';
import { assignAlerts, changeAlertAs, requireWork, resolveAssignee, type Worker } from './assignment';
import { getAlertOrThrow } from './workflow';

process.env.GUIDEPOST_ARGON2_FAST = '1';

const ana: Worker = { name: 'ana', role: 'analyst' };
const lee: Worker = { name: 'lee', role: 'lead' };

beforeEach(async () => {
  useMemoryDb();
  vi.unstubAllEnvs();
  const users: [string, Role][] = [['ana', 'analyst'], ['bob', 'analyst'], ['lee', 'lead'], ['vic', 'viewer']];
  for (const [name, role] of users) await createUser(getDb(), { name, role, password: 'a long enough password' }, 'test');
  // a001: bob's, open; a002: nobody's, open; a003: nobody's, closed; a004: ana's, acknowledged
  insertAlerts(getDb(), [
    queueAlert(1, { assignee: 'bob', status: 'open' }),
    queueAlert(2, { assignee: null, status: 'open' }),
    queueAlert(3, { assignee: null, status: 'closed', verdict: 'false_positive' }),
    queueAlert(4, { assignee: 'ana', status: 'acknowledged' }),
  ]);
});

const codeOf = (f: () => unknown): string | null => {
  try {
    f();
    return null;
  } catch (e) {
    return (e as { code?: string }).code ?? 'no code';
  }
};

describe('who may work and assign', () => {
  test('an analyst works their own and unassigned items, a lead any, a viewer none', () => {
    expect(codeOf(() => requireWork(ana, null))).toBeNull();
    expect(codeOf(() => requireWork(ana, 'ana'))).toBeNull();
    expect(codeOf(() => requireWork(ana, 'bob'))).toBe('forbidden');
    expect(codeOf(() => requireWork(lee, 'bob'))).toBeNull();
    expect(codeOf(() => requireWork({ name: 'vic', role: 'viewer' }, null))).toBe('forbidden');
    expect(codeOf(() => requireWork(null, null))).toBe('forbidden');
  });

  test('an analyst may take an unassigned item or release their own, nothing else', () => {
    expect(resolveAssignee(ana, null, 'ana')).toBe('ana');
    expect(resolveAssignee(ana, 'ana', null)).toBeNull();
    expect(codeOf(() => resolveAssignee(ana, null, 'bob'))).toBe('forbidden');
    expect(codeOf(() => resolveAssignee(ana, 'ana', 'bob'))).toBe('forbidden');
  });

  test('a lead assigns anyone who works alerts, by their stored name; not a viewer, not a stranger', () => {
    expect(resolveAssignee(lee, null, 'BOB')).toBe('bob');
    expect(codeOf(() => resolveAssignee(lee, null, 'vic'))).toBe('invalid_request');
    expect(codeOf(() => resolveAssignee(lee, null, 'nobody'))).toBe('invalid_request');
    expect(() => resolveAssignee(lee, null, 'vic', 'incident')).toThrow("assignee: vic is a viewer and cannot work incidents");
  });

  test('working an unassigned open alert claims it for the analyst and acknowledges it', () => {
    const after = changeAlertAs(ana, 'a002', { verdict: 'true_positive' }, 1);
    expect(after.assignee).toBe('ana');
    expect(after.status).toBe('acknowledged');
  });

  test('with GUIDEPOST_CLAIM_ON_WORK=off nothing is claimed', () => {
    vi.stubEnv('GUIDEPOST_CLAIM_ON_WORK', 'off');
    expect(changeAlertAs(ana, 'a002', { verdict: 'true_positive' }, 1).assignee).toBeNull();
  });

  test("an analyst cannot change bob's alert", () => {
    expect(codeOf(() => changeAlertAs(ana, 'a001', { status: 'acknowledged' }, 1))).toBe('forbidden');
    expect(getAlertOrThrow('a001').status).toBe('open');
  });
});

describe('assignAlerts', () => {
  test('a lead assigns many at once; the same assignee is unchanged; a stale version is refused alone', () => {
    const out = assignAlerts(lee, [{ id: 'a001', expectedVersion: 1 }, { id: 'a002', expectedVersion: 9 }, { id: 'a004', expectedVersion: 1 }, { id: 'a003', expectedVersion: 1 }], 'ana');
    expect(out.done).toEqual(['a001', 'a003']);
    expect(out.unchanged).toEqual(['a004']);
    expect(out.refused.map((r) => [r.id, r.code])).toEqual([['a002', 'conflict']]);
    expect(getAlertOrThrow('a001').assignee).toBe('ana');
    expect(getAlertOrThrow('a002').assignee).toBeNull();
  });

  test('an analyst in bulk gets the same refusals as one by one', () => {
    const out = assignAlerts(ana, [{ id: 'a001', expectedVersion: 1 }, { id: 'a002', expectedVersion: 1 }, { id: 'zzz', expectedVersion: 1 }], 'ana');
    expect(out.done).toEqual(['a002']);
    expect(out.refused.map((r) => [r.id, r.code])).toEqual([
      ['a001', 'forbidden'],
      ['zzz', 'not_found'],
    ]);
  });
});
