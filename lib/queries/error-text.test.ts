import { expect, test } from 'vitest';
import type { Language, Translate } from '@/lib/i18n';
import { translate } from '@/lib/i18n/dictionaries';
import { appErrorCodes } from '@/lib/errors';
import { describeError } from './error-text';
import { ApiError } from './fetch-json';

const tIn = (lang: Language): Translate => (key, vars) => translate(lang, key, vars);

test('an API error is worded by its code in the user\'s language, where it is, then the server\'s own words', () => {
  const err = new ApiError('invalid_request', "assignee: no active user 'bob'", 400, null, { field: 'assignee' });
  expect(describeError(tIn('en'), err)).toBe("Not accepted (field assignee): assignee: no active user 'bob'");
  expect(describeError(tIn('zh'), err)).toBe("请求未被接受（字段 assignee）：assignee: no active user 'bob'");
});

test('a line and column are named', () => {
  const err = new ApiError('invalid_request', 'unexpected token', 400, null, { line: 3, column: 14 });
  expect(describeError(tIn('en'), err)).toBe('Not accepted (line 3, column 14): unexpected token');
  expect(describeError(tIn('zh'), new ApiError('invalid_request', 'x', 400, null, { line: 3 }))).toBe('请求未被接受（第 3 行）：x');
});

test('a conflict or an ended session says all in the sentence; the server\'s words are left out', () => {
  expect(describeError(tIn('zh'), new ApiError('conflict', 'alert a1 was changed by someone else (now version 3)', 409))).toBe('此内容在你加载后已被他人修改，请刷新后重试。');
  expect(describeError(tIn('en'), new ApiError('unauthorized', 'sign in first', 401))).toBe('Your session has ended; sign in again.');
  expect(describeError(tIn('en'), new ApiError('http_error', '/api/x answered 502 Bad Gateway', 502))).toBe('The server refused the request (HTTP 502).');
});

test('every code the API answers has a sentence in both languages', () => {
  for (const code of appErrorCodes) {
    for (const lang of ['en', 'zh'] as const) {
      const text = describeError(tIn(lang), new ApiError(code, '', 500));
      expect(text, `${lang} ${code}`).not.toMatch(/^error\./);
      expect(text.length, `${lang} ${code}`).toBeGreaterThan(1);
    }
  }
});

test('an unknown code, or an error that is not the API\'s, is shown as it is', () => {
  expect(describeError(tIn('en'), new ApiError('teapot', 'I am a teapot', 418))).toBe('I am a teapot');
  expect(describeError(tIn('zh'), new Error('boom'))).toBe('boom');
});
