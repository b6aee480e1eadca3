import { describe, expect, it } from 'vitest';
import { actionText, describeChangeIn } from '@/components/auth/alert-history';
import { describeChange } from '@/lib/auth/history';
import type { Translate } from '@/lib/i18n';
import { translate } from '@/lib/i18n/dictionaries';

const zh: Translate = (key, vars) => translate('zh', key, vars);
const en: Translate = (key, vars) => translate('en', key, vars);

describe('the alert history in the user’s language', () => {
  const before = { status: 'open', verdict: null, assignee: null, closingNote: null, version: 1 };
  const after = { status: 'closed', verdict: 'false_positive', assignee: 'ali', closingNote: null, version: 2 };

  it('names fields and known values in Chinese, leaves names and free text as recorded', () => {
    expect(describeChangeIn(zh, before, after)).toEqual(['状态：待处理 → 已关闭', '结论：— → 误报', '负责人：— → ali']);
    expect(describeChangeIn(zh, null, { state: 'not_applicable', reason: 'no <b>telemetry</b>', section: 'response' })).toEqual([
      '步骤状态：不适用',
      '原因：no <b>telemetry</b>',
      '所属部分：响应与处置',
    ]);
  });

  it('leaves unchanged fields out, and a change that is not a record as describeChange writes it', () => {
    expect(describeChangeIn(en, { ...before, version: 1 }, { ...before, version: 2 })).toEqual([]);
    expect(describeChangeIn(zh, 'a', 'b')).toEqual(describeChange('a', 'b'));
  });

  it('translates the recorded actions it knows and keeps the others', () => {
    expect(actionText(zh, 'close')).toBe('关闭告警');
    expect(actionText(zh, 'status:acknowledged')).toBe('状态改为已确认');
    expect(actionText(zh, 'step:s-3')).toBe('步骤 s-3');
    expect(actionText(zh, 'rule:enable')).toBe('rule:enable');
  });
});
