import { describe, expect, it } from 'vitest';
import { cutText } from '@/components/evidence/process-tree';
import type { Translate } from '@/lib/i18n';
import { translate } from '@/lib/i18n/dictionaries';

const en: Translate = (key, vars) => translate('en', key, vars);
const zh: Translate = (key, vars) => translate('zh', key, vars);

describe("the tree's cuts in the user's words", () => {
  it('says where and why, by the reason the server gave', () => {
    expect(cutText(en, { where: 'WINWORD.EXE (pid 4100)', why: 'depth', detail: 'child processes of this process are not shown (deeper than 4 generations)' })).toBe(
      'Cut below WINWORD.EXE (pid 4100): their child processes are deeper than the generation limit.',
    );
    expect(cutText(en, { where: 'smss.exe (pid 400)', why: 'window', detail: '…' })).toBe('Cut above smss.exe (pid 400): its parent started before the searched window.');
    expect(cutText(zh, { where: 'E0', why: 'parent_outside_data', detail: '…' })).toBe('在 E0 之上截断：没有事件描述其父进程；依据子进程的父进程字段显示。');
  });
  it("keeps the server's words for a reason it does not know", () => {
    expect(cutText(en, { where: 'x', why: 'something_new', detail: 'a new reason' })).toBe('Tree cut at x: a new reason');
  });
});
