import { describe, expect, it } from 'vitest';
import { translate } from '@/lib/i18n/dictionaries';
import { en as investigationMessagesEn } from '@/lib/i18n/messages/investigation/en';
import { zh as investigationMessagesZh } from '@/lib/i18n/messages/investigation/zh';

describe("the timeline's texts", () => {
  it('count events and processes by the language’s plural rules', () => {
    const vars = { from: 'A', to: 'B' };
    expect(translate('en', 'tl.summary', { n: 1, p: 1, ...vars })).toBe('1 event of 1 process and the host’s logons, A to B');
    expect(translate('en', 'tl.summary', { n: 12, p: 3, ...vars })).toBe('12 events of 3 processes and the host’s logons, A to B');
    expect(translate('zh', 'tl.summary', { n: 12, p: 3, ...vars })).toBe('3 个进程的 12 个事件及主机登录，A 至 B');
    expect(translate('en', 'tl.earlier', { n: 1 })).toBe('Show 1 earlier event');
    expect(translate('en', 'seq.title', { n: 2 })).toBe('The sequence: 2 events in order');
  });
  it('has a Chinese text for every English one', () => {
    expect(Object.keys(investigationMessagesZh).sort()).toEqual(Object.keys(investigationMessagesEn).sort());
    expect(Object.entries(investigationMessagesZh).filter(([, v]) => !v.trim())).toEqual([]);
  });
});
