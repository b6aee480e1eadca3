import { describe, expect, it } from 'vitest';
import { errorText } from '@/components/i18n/use-t';
import { ApiError } from '@/lib/queries/fetch-json';
import type { Translate } from '@/lib/i18n';
import { translate } from '@/lib/i18n/dictionaries';

const zh: Translate = (key, vars) => translate('zh', key, vars);
const en: Translate = (key, vars) => translate('en', key, vars);
const conflict = new ApiError('conflict', 'alert x was changed by someone else (now version 3, you had version 2); reload it and try again', 409);

describe('errors as the user reads them', () => {
  // worded by the error's code in both languages (issue 16: the client words errors by code);
  // where the server's words name who or what (refusals, bad input) they follow the sentence
  it('words the common cases by code in English', () => {
    expect(errorText(en, 'en', conflict)).toBe('Changed by someone else since you loaded it; reload and try again.');
    expect(errorText(en, 'en', new ApiError('forbidden', 'this alert is assigned to bo', 403))).toBe('Not allowed: this alert is assigned to bo');
    expect(errorText(en, 'en', new ApiError('network', 'The server did not answer (fetch failed)', 0))).toBe('The server did not answer.');
  });
  it('says the common cases in Chinese, keeping the detail that names who or what', () => {
    expect(errorText(zh, 'zh', conflict)).toBe('此内容在你加载后已被他人修改，请刷新后重试。');
    expect(errorText(zh, 'zh', new ApiError('forbidden', 'this alert is assigned to bo', 403))).toBe('无权执行此操作：this alert is assigned to bo');
    expect(errorText(zh, 'zh', new ApiError('network', 'The server did not answer (fetch failed)', 0))).toBe('服务器无响应。');
    expect(errorText(zh, 'zh', new ApiError('invalid_request', 'reason: not applicable needs a reason', 400))).toBe('请求未被接受：reason: not applicable needs a reason');
  });
});
