import { describe, expect, it } from 'vitest';
import { dictionaries, translate, type MessageKey } from './index';

describe('i18n', () => {
  it('has a Chinese text for every English key', () => {
    const missing = (Object.keys(dictionaries.en) as MessageKey[]).filter((k) => !dictionaries.zh[k]);
    expect(missing).toEqual([]);
  });
  it('fills placeholders and keeps unknown ones', () => {
    expect(translate('en', 'user.signedInAs', { name: 'ana', role: 'lead' })).toBe('Signed in as ana (lead)');
    expect(translate('zh', 'signin.tooMany', { seconds: 4 })).toBe('失败次数过多，请在 4 秒后重试。');
    expect(translate('en', 'signin.tooMany')).toContain('{seconds}');
  });
});
