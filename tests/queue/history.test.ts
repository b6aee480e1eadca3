/**
 * The alert history reads as words (issue 17, item 9): a step by its text instead of its id,
 * values instead of JSON, times as UTC, in English and Chinese.
 */
import { describe, expect, it } from 'vitest';
import { actionText, describeChangeIn } from '@/components/auth/alert-history';
import type { Translate } from '@/lib/i18n';
import { translate } from '@/lib/i18n/dictionaries';

const en: Translate = (key, vars) => translate('en', key, vars);
const zh: Translate = (key, vars) => translate('zh', key, vars);
const steps = new Map([['a1b2c3', 'Check the DNS cache of the host']]);

describe('alert history text', () => {
  it('names a step by its text, and by its id only when the guide no longer has it', () => {
    expect(actionText(en, 'step:a1b2c3', steps)).toBe('step “Check the DNS cache of the host”');
    expect(actionText(zh, 'step:a1b2c3', steps)).toBe('步骤“Check the DNS cache of the host”');
    expect(actionText(en, 'step:gone', steps)).toBe('step gone');
    expect(actionText(en, 'claim')).toBe('taken (first change)');
    expect(actionText(en, 'status:closed')).toBe('status set to closed');
  });

  it('writes values as words, not JSON', () => {
    expect(describeChangeIn(en, { state: 'open', note: null, section: 'guide' }, { state: 'done', note: 'seen', section: 'guide' })).toEqual([
      'state: Open → Done',
      'note: — → seen',
    ]);
    expect(describeChangeIn(en, { status: 'open', acknowledgedAt: null }, { status: 'acknowledged', acknowledgedAt: '2026-03-01T10:00:00.000Z' })).toEqual([
      'status: open → acknowledged',
      'acknowledged at: — → 2026-03-01T10:00:00Z',
    ]);
    expect(describeChangeIn(en, undefined, { noteId: 'n1', body: 'hello' })).toEqual(['note id: n1', 'text: hello']);
    expect(describeChangeIn(en, { tags: ['a', 'b'] }, { tags: ['a', 'b', 'c'], extraInfo: { hostName: 'ws-1' } })).toEqual([
      'tags: a, b → a, b, c',
      'extra info: — → host name: ws-1',
    ]);
    const lines = describeChangeIn(en, { verdict: null, closingNote: null }, { verdict: 'false_positive', closingNote: 'benign' });
    expect(lines).toEqual(['verdict: — → False positive', 'closing note: — → benign']);
    for (const line of lines) expect(line).not.toMatch(/[{}[\]"]/);
  });
});
