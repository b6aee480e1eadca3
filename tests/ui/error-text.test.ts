import { describe, expect, it } from 'vitest';
import { errorText } from '@/components/i18n/use-t';
import { ApiError } from '@/lib/queries/fetch-json';
import type { Translate } from '@/lib/i18n';
import { translate } from '@/lib/i18n/dictionaries';

const zh: Translate = (key, vars) => translate('zh', key, vars);
const en: Translate = (key, vars) => translate('en', key, vars);
const conflict = new ApiError('conflict', 'alert x was changed by someone else (now version 3, you had version 2); reload it and try again', 409);

describe('errors as the user reads them', () => {
  it('keeps the server’s message in English', () => {
    expect(errorText(en, 'en', conflict)).toBe(conflict.message);
  });
  it('says the common cases in Chinese, keeping the detail that names who or what', () => {
    expect(errorText(zh, 'zh', conflict)).toBe('此内容在你加载后已被他人修改，请刷新后重试');
    expect(errorText(zh, 'zh', new ApiError('forbidden', 'this alert is assigned to bo', 403))).toBe('你的角色无权执行此操作（this alert is assigned to bo）');
    expect(errorText(zh, 'zh', new ApiError('network', 'The server did not answer (fetch failed)', 0))).toBe('服务器无响应');
    expect(errorText(zh, 'zh', new ApiError('invalid_request', 'reason: not applicable needs a reason', 400))).toBe('reason: not applicable needs a reason');
  });
});
