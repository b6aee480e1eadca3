import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { createUser, type Role } from '../auth';
import { getAlertOrThrow } from '../cases';
import { insertAlerts } from '../store/alerts';
import { getDb, useMemoryDb } from '../store/db';
import { queueAlert } from '@/tests/support/alerts';
import { main } from './assign';
import { captureConsole } from '@/tests/support/console';

process.env.GUIDEPOST_ARGON2_FAST = '1';
let out: string[] = [];
let err: string[] = [];

beforeEach(async () => {
  useMemoryDb();
  const users: [string, Role][] = [['ana', 'analyst'], ['bob', 'analyst'], ['lee', 'lead']];
  for (const [name, role] of users) await createUser(getDb(), { name, role, password: 'a long enough password' }, 'test');
  insertAlerts(getDb(), [queueAlert(1, { assignee: 'bob', status: 'open' }), queueAlert(2, { assignee: null, status: 'open' })]);
  ({ out, err } = captureConsole());
});
afterEach(() => {
  vi.restoreAllMocks();
});

test('a lead assigns alerts from the command line, one JSON line each', async () => {
  expect(await main(['a001', 'a002', '--to', 'ana', '--as', 'lee'])).toBe(0);
  expect(out.map((l) => JSON.parse(l) as unknown)).toEqual([
    { id: 'a001', result: 'assigned' },
    { id: 'a002', result: 'assigned' },
  ]);
  expect(getAlertOrThrow('a001').assignee).toBe('ana');
});

test("the API's policy holds: an analyst cannot take bob's alert (exit 1, the reason), an unknown alert is refused", async () => {
  expect(await main(['a001', 'a002', 'a999', '--to', 'ana', '--as', 'ana'])).toBe(1);
  expect(out.map((l) => JSON.parse(l) as unknown)).toEqual([
    { id: 'a002', result: 'assigned' },
    { id: 'a001', result: 'refused', code: 'forbidden', reason: 'this alert is assigned to bob; only they or a lead may work it' },
    { id: 'a999', result: 'refused', code: 'not_found', reason: 'alert a999 not found' },
  ]);
  expect(getAlertOrThrow('a001').assignee).toBe('bob');
});

test('bad arguments are a usage error (exit 2)', async () => {
  expect(await main(['--to', 'ana', '--as', 'lee'])).toBe(2);
  expect(await main(['a001', '--as', 'lee'])).toBe(2);
  expect(await main(['a001', '--to', 'ana', '--as', 'nobody'])).toBe(2);
  expect(err.join('\n')).toContain("--as: no active user 'nobody'");
});
