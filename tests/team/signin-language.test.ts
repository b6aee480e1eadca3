/**
 * The sign-in page's messages in the page's language: the API's 401 and 429 answers (with
 * Retry-After) read through the client's fetch wrapper, then worded by the form.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, fetchJson, retryAfterSeconds } from '@/lib/queries/fetch-json';
import { signInError } from '@/components/auth/signin-form';
import type { Language } from '@/lib/i18n';
import { translate } from '@/lib/i18n/dictionaries';
import { z } from 'zod';

const tIn = (lang: Language) => (key: Parameters<typeof translate>[1], vars?: Record<string, string | number>) => translate(lang, key, vars);

async function failWith(status: number, headers: Record<string, string> = {}): Promise<unknown> {
  vi.stubGlobal(
    'fetch',
    vi.fn(async () => new Response(JSON.stringify({ error: { code: status === 429 ? 'rate_limited' : 'unauthorized', message: 'server words' } }), { status, headers })),
  );
  return fetchJson('/api/auth/signin', z.unknown(), { method: 'POST', body: { name: 'x', password: 'y' } }).then(
    () => null,
    (err: unknown) => err,
  );
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('sign-in errors', () => {
  it('reads Retry-After into the API error (seconds only)', async () => {
    const err = await failWith(429, { 'retry-after': '7' });
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).retryAfter).toBe(7);
    expect(((await failWith(401)) as ApiError).retryAfter).toBeNull();
    expect(retryAfterSeconds('Wed, 21 Oct 2026 07:28:00 GMT')).toBeNull();
    expect(retryAfterSeconds(' 12 ')).toBe(12);
  });

  it('words a wrong password and throttling in Chinese and in English', async () => {
    expect(signInError(tIn('zh'), await failWith(401))).toBe('用户名或密码错误。');
    expect(signInError(tIn('en'), await failWith(401))).toBe('Wrong user name or password.');
    expect(signInError(tIn('zh'), await failWith(429, { 'retry-after': '30' }))).toBe('失败次数过多，请在 30 秒后重试。');
    expect(signInError(tIn('en'), await failWith(429))).toBe('Too many failed attempts. Try again later.');
  });

  it('words any other failure by its code in the page\'s language (issue 16: no server English in a Chinese page)', async () => {
    expect(signInError(tIn('zh'), new ApiError('internal', 'Internal error; the server log has the details.', 500))).toBe('服务器出错，详情见服务器日志。');
    expect(signInError(tIn('en'), new ApiError('internal', 'Internal error; the server log has the details.', 500))).toBe(
      'Something went wrong on the server; its log has the details.',
    );
  });
});
