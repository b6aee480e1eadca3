import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { signedInTeam } from '@/tests/support/sessions';
import { NextRequest } from 'next/server';
import { useMemoryDb, getDb, openAppDb } from '@/lib/store/db';
import { deleteSession, updateUser } from '@/lib/auth';
import { json, withRoute } from '@/app/api/_lib/route';
import { requireWork } from '@/lib/cases';
import { cached, dataVersion, jsonAnswer, JsonBody } from '@/lib/store/answer-cache';

const BASE = 'http://127.0.0.1:3000';
const cookies = signedInTeam({ vic: 'viewer', ana: 'analyst', lee: 'lead' });

function req(method: string, headers: Record<string, string> = {}) {
  return new NextRequest(`${BASE}/api/x`, { method, headers: { host: '127.0.0.1:3000', ...headers } });
}
const segment = { params: Promise.resolve({}) };

describe('withRoute', () => {
  const who = withRoute(({ actor, user }) => json({ actor, role: user?.role ?? null }));
  const assign = withRoute(() => json({ ok: true }), { action: 'assign' });
  const write = withRoute(() => json({ ok: true }), { action: 'work' });

  it('answers 401 without a session or with an unknown one', async () => {
    expect((await who(req('GET'), segment)).status).toBe(401);
    expect((await who(req('GET', { cookie: 'gp_session=forged' }), segment)).status).toBe(401);
    expect((await who(req('GET', { authorization: 'Bearer gp_forged' }), segment)).status).toBe(401);
  });

  it('names the signed-in user as the actor', async () => {
    const res = await who(req('GET', { cookie: cookies.ana! }), segment);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ actor: 'ana', role: 'analyst' });
  });

  it('checks the role of the action: 403 forbidden below it', async () => {
    const refused = await assign(req('GET', { cookie: cookies.ana! }), segment);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('forbidden');
    expect((await assign(req('GET', { cookie: cookies.lee! }), segment)).status).toBe(200);
    expect((await write(req('POST', { cookie: cookies.vic!, origin: BASE }), segment)).status).toBe(403);
  });

  it('refuses a cross-site state-changing request, not a same-origin one', async () => {
    expect((await write(req('POST', { cookie: cookies.ana!, origin: 'https://evil.example' }), segment)).status).toBe(403);
    expect((await write(req('POST', { cookie: cookies.ana! }), segment)).status).toBe(403);
    expect((await write(req('POST', { cookie: cookies.ana!, origin: BASE }), segment)).status).toBe(200);
  });

  it('reads the session and the role on every request: a role change or a sign-out counts on the next one', async () => {
    expect((await assign(req('GET', { cookie: cookies.lee! }), segment)).status).toBe(200);
    updateUser(getDb(), 'lee', { role: 'analyst' }, 'test');
    expect((await assign(req('GET', { cookie: cookies.lee! }), segment)).status).toBe(403);
    expect((await who(req('GET', { cookie: cookies.ana! }), segment)).status).toBe(200);
    deleteSession(getDb(), cookies.ana!.slice('gp_session='.length));
    expect((await who(req('GET', { cookie: cookies.ana! }), segment)).status).toBe(401);
  });

  it('looks sessions up in the database in use: a swapped-in one does not know the last one\'s', async () => {
    expect((await who(req('GET', { cookie: cookies.ana! }), segment)).status).toBe(200);
    useMemoryDb();
    expect((await who(req('GET', { cookie: cookies.ana! }), segment)).status).toBe(401);
  });

  it('requireWork: analysts only on their own or unassigned alerts', () => {
    const ana = { id: 1, name: 'ana', role: 'analyst' as const, language: 'en' as const, disabled: false, createdAt: '' };
    expect(() => requireWork(ana, null)).not.toThrow();
    expect(() => requireWork(ana, 'ana')).not.toThrow();
    expect(() => requireWork(ana, 'bob')).toThrow(/assigned to bob/);
    expect(() => requireWork(null, null)).toThrow();
  });
});

describe('dashboard cache', () => {
  it('keeps an answer until the database changes or it is too old', () => {
    const db = getDb();
    let computed = 0;
    const compute = () => ++computed;
    const v1 = dataVersion(db);
    expect(cached('t', v1, compute, 1_000)).toBe(1);
    expect(cached('t', dataVersion(db), compute, 2_000)).toBe(1);
    db.prepare("UPDATE users SET language = 'zh' WHERE name = 'ana'").run();
    expect(dataVersion(db)).not.toBe(v1);
    expect(cached('t', dataVersion(db), compute, 3_000)).toBe(2);
    expect(cached('t', dataVersion(db), compute, 3_000 + 10_001)).toBe(3);
  });
});

describe('jsonAnswer', () => {
  it('sends a cached body whole to every reader, at once too, and keeps it for the next', async () => {
    const text = JSON.stringify({ items: Array.from({ length: 2000 }, (_, i) => ({ id: `a${i}`, note: 'é' })) });
    const body = new JsonBody(text);
    const answers = [jsonAnswer(body), jsonAnswer(body), jsonAnswer(body, 201)];
    expect(answers.map((a) => a.status)).toEqual([200, 200, 201]);
    expect(answers[0]!.headers.get('content-type')).toBe('application/json');
    expect(await Promise.all(answers.map((a) => a.text()))).toEqual([text, text, text]);
    expect(body.bytes.byteLength).toBe(Buffer.byteLength(text));
    expect(await jsonAnswer(body).text()).toBe(text);
  });
});

describe('json', () => {
  it('sends a small answer as it is (no-transform), leaves a larger one to compression, and the JSON is the same', async () => {
    const small = json({ a: 1, b: 'two' });
    expect(small.headers.get('cache-control')).toBe('no-store, no-transform');
    expect(small.headers.get('content-type')).toBe('application/json');
    expect(await small.text()).toBe('{"a":1,"b":"two"}');
    const data = { items: Array.from({ length: 100 }, (_, i) => ({ id: i, name: `alert ${i}` })) };
    const large = json(data, 201);
    expect(large.status).toBe(201);
    expect(large.headers.get('cache-control')).toBe('no-store');
    expect(await large.text()).toBe(JSON.stringify(data));
    // counted in bytes: 400 Chinese characters are 1,200 bytes
    expect(json({ s: '中'.repeat(400) }).headers.get('cache-control')).toBe('no-store');
  });
});

describe('dataVersion', () => {
  it("changes with another connection's write, and only then", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-version-'));
    const file = path.join(dir, 'app.db');
    const reader = openAppDb(file);
    const writer = openAppDb(file);
    try {
      writer.exec('CREATE TABLE scratch (x INTEGER)');
      const v1 = dataVersion(reader);
      expect(dataVersion(reader)).toBe(v1);
      writer.prepare('INSERT INTO scratch (x) VALUES (1)').run();
      const v2 = dataVersion(reader);
      expect(v2).not.toBe(v1);
      expect(dataVersion(reader)).toBe(v2);
    } finally {
      reader.close();
      writer.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('clientKey', () => {
  it('trusts forwarded addresses only behind a proxy', async () => {
    const { clientKey } = await import('@/lib/auth');
    const h = new Headers({ 'x-forwarded-for': '203.0.113.7, 10.0.0.1' });
    expect(clientKey(h, false)).toBe('direct');
    // the right-most hop is the one our (single trusted) proxy added; the left ones are the client's say
    expect(clientKey(h, true)).toBe('10.0.0.1');
    expect(clientKey(new Headers(), true)).toBe('direct');
  });
});
