/** The webhook routes are for admins only; the secret is shown once; bad addresses are refused with the field named. */
import { describe, expect, it } from 'vitest';
import { NextRequest } from 'next/server';
import { signedInTeam } from '@/tests/support/sessions';
import * as hooks from '@/app/api/webhooks/route';
import * as one from '@/app/api/webhooks/[id]/route';
import * as deliveries from '@/app/api/webhooks/[id]/deliveries/route';

const BASE = 'http://127.0.0.1:3000';
const cookies = signedInTeam({ lee: 'lead', ada: 'admin' });
function req(method: string, who: string, body?: unknown) {
  return new NextRequest(`${BASE}/api/webhooks`, {
    method,
    headers: { host: '127.0.0.1:3000', cookie: cookies[who]!, origin: BASE, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
}
const seg = <P,>(p: P) => ({ params: Promise.resolve(p) });
const good = { name: 'soc', url: 'http://127.0.0.1:9/hook', format: 'slack', events: ['incident.created'], minSeverity: 'high' };

describe('webhook routes', () => {
  it('refuses a lead, lets an admin add, list, change and delete; the secret only in the answer to the add', async () => {
    expect((await hooks.GET(req('GET', 'lee'), seg({}))).status).toBe(403);
    expect((await hooks.POST(req('POST', 'lee', good), seg({}))).status).toBe(403);
    const created = await hooks.POST(req('POST', 'ada', good), seg({}));
    expect(created.status).toBe(201);
    const { webhook, secret } = (await created.json()) as { webhook: { id: string }; secret: string };
    expect(secret.length).toBeGreaterThanOrEqual(40);
    const listed = await (await hooks.GET(req('GET', 'ada'), seg({}))).text();
    expect(listed).toContain(webhook.id);
    expect(listed).not.toContain(secret);
    expect((await one.PATCH(req('PATCH', 'ada', { enabled: false }), seg({ id: webhook.id }))).status).toBe(200);
    expect((await deliveries.GET(req('GET', 'ada'), seg({ id: webhook.id }))).status).toBe(200);
    expect((await one.DELETE(req('DELETE', 'lee'), seg({ id: webhook.id }))).status).toBe(403);
    expect((await one.DELETE(req('DELETE', 'ada'), seg({ id: webhook.id }))).status).toBe(200);
    expect((await one.DELETE(req('DELETE', 'ada'), seg({ id: webhook.id }))).status).toBe(404);
  });

  it('refuses an address that is not http(s) or carries credentials, naming the field', async () => {
    for (const url of ['file:///etc/passwd', 'http://user:pw@127.0.0.1/x', 'not a url']) {
      const res = await hooks.POST(req('POST', 'ada', { ...good, url }), seg({}));
      expect(res.status).toBe(400);
      expect(JSON.stringify(await res.json())).toContain('url');
    }
  });
});
