/**
 * GET /api/rules is polled by every rules page (every 15 s; 1,081 rules ≈ 1.4 MB): it carries
 * an ETag and answers 304 with no body while nothing changed, and a new list after a change.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { NextRequest } from 'next/server';
import { closeDb } from '@/lib/store/db';
import { signedInTeam } from '@/tests/support/sessions';
import { SEED_RULE_ID } from '@/e2e/helpers';

const BASE = 'http://127.0.0.1:3000';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-rules-etag-'));
const cookies = signedInTeam({ vic: 'viewer', ada: 'admin' });

beforeAll(() => vi.stubEnv('GUIDEPOST_DATA_DIR', dir));
afterAll(() => {
  vi.unstubAllEnvs();
  closeDb();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function getRules(headers: Record<string, string> = {}) {
  const { GET } = await import('@/app/api/rules/route');
  const req = new NextRequest(`${BASE}/api/rules`, { headers: { host: '127.0.0.1:3000', cookie: cookies.vic!, ...headers } });
  const res = await GET(req, { params: Promise.resolve({}) });
  return { status: res.status, etag: res.headers.get('etag'), cacheControl: res.headers.get('cache-control'), text: await res.text() };
}

async function setEnabled(enabled: boolean) {
  const { POST } = await import('@/app/api/rules/route');
  const req = new NextRequest(`${BASE}/api/rules`, {
    method: 'POST',
    headers: { host: '127.0.0.1:3000', origin: BASE, cookie: cookies.ada!, 'content-type': 'application/json' },
    body: JSON.stringify({ ruleId: SEED_RULE_ID, enabled }),
  });
  const res = await POST(req, { params: Promise.resolve({}) });
  expect(res.status).toBe(200);
}

describe('GET /api/rules revalidation', () => {
  test('answers with a validator the browser keeps and revalidates, and 304 with no body while unchanged', async () => {
    const first = await getRules();
    expect(first.status).toBe(200);
    expect(first.etag).toMatch(/^"[\w-]{32}"$/);
    expect(first.cacheControl).toBe('private, no-cache');
    const list = JSON.parse(first.text) as { items: { ruleId: string; enabled: boolean }[] };
    expect(list.items.find((r) => r.ruleId === SEED_RULE_ID)?.enabled).toBe(true);

    const again = await getRules({ 'if-none-match': first.etag! });
    expect(again).toMatchObject({ status: 304, etag: first.etag, text: '' });
    // a list of validators, and the weak form of ours, match too; another does not
    expect((await getRules({ 'if-none-match': `"other", W/${first.etag}` })).status).toBe(304);
    expect((await getRules({ 'if-none-match': '"other"' })).status).toBe(200);
  });

  test('a change (a rule disabled) gives a new list under a new validator', async () => {
    const before = await getRules();
    await setEnabled(false);
    const after = await getRules({ 'if-none-match': before.etag! });
    expect(after.status).toBe(200);
    expect(after.etag).not.toBe(before.etag);
    const list = JSON.parse(after.text) as { items: { ruleId: string; enabled: boolean }[] };
    expect(list.items.find((r) => r.ruleId === SEED_RULE_ID)?.enabled).toBe(false);
  });

  test('signed out, the list is refused as before', async () => {
    const { GET } = await import('@/app/api/rules/route');
    const res = await GET(new NextRequest(`${BASE}/api/rules`, { headers: { host: '127.0.0.1:3000' } }), { params: Promise.resolve({}) });
    expect(res.status).toBe(401);
  });
});
