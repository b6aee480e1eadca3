import { describe, expect, it } from 'vitest';
import { assignEach, refusalReason, type SelectedAlert } from '@/components/auth/bulk-assign';
import { ApiError } from '@/lib/queries/fetch-json';
import type { Translate } from '@/lib/i18n';
import { translate } from '@/lib/i18n/dictionaries';

const en: Translate = (key, vars) => translate('en', key, vars);
const zh: Translate = (key, vars) => translate('zh', key, vars);

const alert = (id: string, version: number, assignee: string | null = null): SelectedAlert => ({ id, version, assignee, ruleName: `rule ${id}`, hostName: `host-${id}` });

describe('bulk assign of the selected alerts', () => {
  it('sends one version-checked change per alert that is not already the target’s, and counts the rest as unchanged', async () => {
    const sent: { id: string; body: unknown }[] = [];
    const out = await assignEach([alert('a', 3), alert('b', 1, 'ali'), alert('c', 7, 'bo')], 'ali', async (id, body) => void sent.push({ id, body }), () => {}, en);
    expect(sent.map((s) => s.id).sort()).toEqual(['a', 'c']);
    expect(sent.find((s) => s.id === 'c')!.body).toEqual({ expectedVersion: 7, assignee: 'ali' });
    expect(out).toMatchObject({ assignee: 'ali', done: 2, unchanged: 1, refused: [] });
  });

  it('keeps going after a refusal and names each refused alert with its reason, in selection order', async () => {
    const progress: number[] = [];
    const out = await assignEach(
      [alert('a', 1), alert('b', 1), alert('c', 1), alert('d', 1), alert('e', 1)],
      'ali',
      async (id) => {
        await new Promise((r) => setTimeout(r, id === 'b' ? 20 : 1));
        if (id === 'b') throw new ApiError('conflict', 'alert b was changed by someone else', 409);
        if (id === 'd') throw new ApiError('forbidden', 'this alert is assigned to bo', 403);
      },
      (n) => progress.push(n),
      en,
    );
    expect(out.done).toBe(3);
    expect(out.refused.map((r) => r.alert.id)).toEqual(['b', 'd']);
    expect(out.refused[0]!.reason).toContain('changed by someone else');
    expect(out.refused[1]!.reason).toBe('not allowed: this alert is assigned to bo');
    expect(progress.at(-1)).toBe(5);
  });

  it('never has more than a few requests in flight', async () => {
    let inFlight = 0;
    let most = 0;
    await assignEach(
      Array.from({ length: 12 }, (_, i) => alert(String(i), 1)),
      'ali',
      async () => {
        most = Math.max(most, ++inFlight);
        await new Promise((r) => setTimeout(r, 2));
        inFlight--;
      },
      () => {},
      en,
    );
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(4);
  });

  it('says why in the user’s language; other errors are worded by their code', () => {
    expect(refusalReason(new ApiError('conflict', 'x', 409), zh)).toBe('加载列表后已被他人修改，请刷新后重试');
    expect(refusalReason(new ApiError('internal', 'boom', 500), en)).toBe('Something went wrong on the server; its log has the details.');
    expect(refusalReason(new ApiError('not_found', 'alert a9 not found', 404), zh)).toBe('未找到：alert a9 not found');
  });
});
