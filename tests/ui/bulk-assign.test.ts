import { describe, expect, it } from 'vitest';
import { assignEach, refusalReason, sendBulk, type SelectedAlert } from '@/components/auth/bulk-assign';
import type { BulkOutcomeResponse } from '@/lib/contracts/bulk-status';
import { ApiError } from '@/lib/queries/fetch-json';
import type { Translate } from '@/lib/i18n';
import { translate } from '@/lib/i18n/dictionaries';

const en: Translate = (key, vars) => translate('en', key, vars);
const zh: Translate = (key, vars) => translate('zh', key, vars);

const alert = (id: string, version: number, assignee: string | null = null): SelectedAlert => ({ id, version, assignee, ruleName: `rule ${id}`, hostName: `host-${id}` });
type Items = { id: string; expectedVersion: number }[];
const allDone = async (items: Items): Promise<BulkOutcomeResponse> => ({ done: items.map((i) => i.id), unchanged: [], refused: [] });

describe('bulk actions of the queue, sent as few requests as they can', () => {
  it('sends the alerts that are not already the target’s, with their versions, in one request, and counts the rest as unchanged', async () => {
    const sent: { items: Items; assignee: string }[] = [];
    const out = await assignEach([alert('a', 3), alert('b', 1, 'ali'), alert('c', 7, 'bo')], 'ali', async (items, assignee) => (sent.push({ items, assignee }), allDone(items)), () => {}, en);
    expect(sent).toEqual([{ items: [{ id: 'a', expectedVersion: 3 }, { id: 'c', expectedVersion: 7 }], assignee: 'ali' }]);
    expect(out).toEqual({ assignee: 'ali', done: 2, unchanged: 1, refused: [] });
  });

  it('a selection larger than 500 goes as requests of at most 500, one after the other, with progress after each', async () => {
    const sizes: number[] = [];
    let inFlight = 0;
    const progress: number[] = [];
    const out = await sendBulk(
      Array.from({ length: 1234 }, (_, i) => alert(String(i), 1)),
      () => true,
      async (items) => {
        expect(++inFlight).toBe(1);
        sizes.push(items.length);
        await new Promise((r) => setTimeout(r, 1));
        inFlight--;
        return allDone(items);
      },
      (n) => progress.push(n),
      en,
    );
    expect(sizes).toEqual([500, 500, 234]);
    expect(progress).toEqual([500, 1000, 1234]);
    expect(out.done).toBe(1234);
  });

  it('names each alert the server refused with its reason, in selection order, and counts what it found unchanged', async () => {
    const out = await sendBulk(
      [alert('a', 1), alert('b', 1), alert('c', 1), alert('d', 1), alert('e', 1)],
      () => true,
      async () => ({
        done: ['a', 'e'],
        unchanged: ['c'],
        refused: [
          { id: 'd', code: 'forbidden', message: 'this alert is assigned to bo' },
          { id: 'b', code: 'conflict', message: 'alert b was changed by someone else' },
        ],
      }),
      () => {},
      en,
    );
    expect(out.done).toBe(2);
    expect(out.unchanged).toBe(1);
    expect(out.refused.map((r) => r.alert.id)).toEqual(['b', 'd']);
    expect(out.refused[0]!.reason).toContain('changed by someone else');
    expect(out.refused[1]!.reason).toBe('not allowed: this alert is assigned to bo');
  });

  it('a request that fails as a whole refuses its alerts with that error; the next request is still sent', async () => {
    let calls = 0;
    const out = await sendBulk(
      Array.from({ length: 600 }, (_, i) => alert(`x${i}`, 1)),
      () => true,
      async (items) => {
        if (calls++ === 0) throw new ApiError('forbidden', 'your role (viewer) may not work alerts', 403);
        return allDone(items);
      },
      () => {},
      en,
    );
    expect(calls).toBe(2);
    expect(out.done).toBe(100);
    expect(out.refused).toHaveLength(500);
    expect(out.refused[0]).toMatchObject({ alert: { id: 'x0' }, reason: 'not allowed: your role (viewer) may not work alerts' });
  });

  it('sends nothing when every alert has the change already', async () => {
    let calls = 0;
    const out = await sendBulk([alert('a', 1), alert('b', 2)], () => false, async (items) => (calls++, allDone(items)), () => {}, en);
    expect(calls).toBe(0);
    expect(out).toEqual({ done: 0, unchanged: 2, refused: [] });
  });

  it('says why in the user’s language; other errors are worded by their code', () => {
    expect(refusalReason(new ApiError('conflict', 'x', 409), zh)).toBe('加载列表后已被他人修改，请刷新后重试');
    expect(refusalReason(new ApiError('internal', 'boom', 500), en)).toBe('Something went wrong on the server; its log has the details.');
    expect(refusalReason(new ApiError('not_found', 'alert a9 not found', 404), zh)).toBe('未找到：alert a9 not found');
  });
});
