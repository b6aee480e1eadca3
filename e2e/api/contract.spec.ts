import { test, expect } from '@playwright/test';
import { SEED_RULE_ID, listAlerts } from '../helpers';

interface ErrorBody {
  error: { code: string; message: string };
}

async function expectError(res: { status(): number; json(): Promise<unknown> }, status: number, code: string, messagePart?: string) {
  expect(res.status()).toBe(status);
  const body = (await res.json()) as ErrorBody;
  expect(body.error.code).toBe(code);
  expect(typeof body.error.message).toBe('string');
  if (messagePart) expect(body.error.message).toContain(messagePart);
}

test('GET /api/health – names the embedded source and says it answers', async ({ request }) => {
  const res = await request.get('/api/health');
  expect(res.status()).toBe(200);
  const body = (await res.json()) as { ok: boolean; source: { kind: string; ok: boolean; detail: string } };
  expect(body.ok).toBe(true);
  expect(body.source.kind).toBe('embedded');
  expect(body.source.ok).toBe(true);
  expect(body.source.detail.length).toBeGreaterThan(0);
});

test('GET /api/alerts – a page of alerts with total, sorted by time descending', async ({ request }) => {
  const res = await request.get('/api/alerts?pageSize=5&status=open,acknowledged,closed');
  expect(res.status()).toBe(200);
  const body = (await res.json()) as { items: { timestamp: string; ruleId: string }[]; total: number; page: number; pageSize: number };
  expect(body.page).toBe(1);
  expect(body.pageSize).toBe(5);
  expect(body.total).toBeGreaterThan(0);
  expect(body.items.length).toBeLessThanOrEqual(5);
  const times = body.items.map((a) => a.timestamp);
  expect([...times].sort().reverse()).toEqual(times);
});

test('GET /api/alerts – filters by host', async ({ request }) => {
  const all = await listAlerts(request);
  const host = all.find((a) => a.hostName)?.hostName;
  expect(host).toBeTruthy();
  const filtered = await listAlerts(request, `pageSize=500&status=open,acknowledged,closed&host=${encodeURIComponent(host ?? '')}`);
  expect(filtered.length).toBeGreaterThan(0);
  expect(filtered.every((a) => a.hostName === host)).toBe(true);
});

for (const [query, field] of [
  ['status=pending', 'status'],
  ['sort=password', 'sort'],
  ['page=0', 'page'],
  ['pageSize=100000', 'pageSize'],
] as const) {
  test(`GET /api/alerts – rejects ${query}`, async ({ request }) => {
    await expectError(await request.get(`/api/alerts?${query}`), 400, 'invalid_request', field);
  });
}

test('GET /api/alerts/:id – unknown alert is a 404 envelope', async ({ request }) => {
  await expectError(await request.get('/api/alerts/no-such-alert'), 404, 'not_found');
});

test('GET /api/alerts/:id – alert, rule, guide with step ids and evidence kinds', async ({ request }) => {
  const [first] = await listAlerts(request);
  expect(first).toBeTruthy();
  const res = await request.get(`/api/alerts/${encodeURIComponent(first!.id)}`);
  expect(res.status()).toBe(200);
  const body = (await res.json()) as {
    alert: { id: string; event: { _index: string; _id: string } };
    rule: { ruleId: string } | null;
    guide: { sections: { kind: string; steps: { id: string }[] }[] } | null;
    evidenceKinds: Record<string, string[]>;
    steps: unknown[];
  };
  expect(body.alert.id).toBe(first!.id);
  expect(body.alert.event._id).toBe(first!.source?._id);
  expect(body.rule?.ruleId).toBe(first!.ruleId);
  const investigation = body.guide?.sections.find((s) => s.kind === 'investigation');
  expect(investigation?.steps.length).toBeGreaterThan(3);
  expect(body.evidenceKinds[investigation!.steps[0]!.id]).toContain('process_tree');
  expect(Array.isArray(body.steps)).toBe(true);
});

test('PATCH /api/alerts/:id – refuses a stale version (409) and bad bodies (400/415)', async ({ request }) => {
  const alerts = await listAlerts(request, 'pageSize=500&status=open');
  const target = alerts[alerts.length - 1]!;
  const url = `/api/alerts/${encodeURIComponent(target.id)}`;
  await expectError(await request.patch(url, { data: { expectedVersion: target.version + 5, status: 'acknowledged' } }), 409, 'conflict');
  await expectError(await request.patch(url, { data: { expectedVersion: target.version, status: 'closed' } }), 400, 'invalid_request', 'verdict');
  await expectError(await request.patch(url, { data: { expectedVersion: target.version, status: 'done' } }), 400, 'invalid_request', 'status');
  await expectError(
    await request.patch(url, { data: 'status=closed', headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
    415,
    'unsupported_media_type',
  );
  await expectError(await request.patch(url, { data: Buffer.from('{"expectedVersion":'), headers: { 'content-type': 'application/json' } }), 400, 'invalid_request', 'JSON');
  const ok = await request.patch(url, { data: { expectedVersion: target.version, status: 'acknowledged' } });
  expect(ok.status()).toBe(200);
  const body = (await ok.json()) as { alert: { status: string; version: number } };
  expect(body.alert.status).toBe('acknowledged');
  expect(body.alert.version).toBeGreaterThan(target.version);
});

test('PUT /api/alerts/:id/steps/:stepId – not applicable needs a reason; state persists', async ({ request }) => {
  const [a] = await listAlerts(request);
  const before = (await (await request.get(`/api/alerts/${encodeURIComponent(a!.id)}`)).json()) as {
    guide: { sections: { steps: { id: string }[] }[] } | null;
    steps: { stepId: string; version: number }[];
  };
  const stepId = before.guide!.sections.flatMap((s) => s.steps)[0]!.id;
  const version = before.steps.find((s) => s.stepId === stepId)?.version ?? 0;
  const url = `/api/alerts/${encodeURIComponent(a!.id)}/steps/${encodeURIComponent(stepId)}`;
  await expectError(await request.put(url, { data: { state: 'not_applicable', expectedVersion: version } }), 400, 'invalid_request', 'reason');
  await expectError(await request.put(`/api/alerts/${encodeURIComponent(a!.id)}/steps/no-such-step`, { data: { note: 'x' } }), 404, 'not_found', 'no-such-step');
  const res = await request.put(url, { data: { state: 'not_applicable', reason: 'no telemetry', expectedVersion: version } });
  expect(res.status()).toBe(200);
  const detail = (await (await request.get(`/api/alerts/${encodeURIComponent(a!.id)}`)).json()) as { steps: { stepId: string; state: string; reason: string }[] };
  expect(detail.steps.find((s) => s.stepId === stepId)).toMatchObject({ state: 'not_applicable', reason: 'no telemetry' });
});

test('POST /api/alerts/:id/notes – empty note refused, notes append', async ({ request }) => {
  const [a] = await listAlerts(request);
  const url = `/api/alerts/${encodeURIComponent(a!.id)}/notes`;
  await expectError(await request.post(url, { data: { body: '  ' } }), 400, 'invalid_request', 'body');
  expect((await request.post(url, { data: { body: 'first finding' } })).status()).toBe(201);
  expect((await request.post(url, { data: { body: 'second finding' } })).status()).toBe(201);
  const notes = (await (await request.get(url)).json()) as { items: { body: string }[] };
  const bodies = notes.items.map((n) => n.body);
  expect(bodies.indexOf('first finding')).toBeLessThan(bodies.indexOf('second finding'));
});

test('GET /api/rules – the seed rule with enabled state and its last run', async ({ request }) => {
  const res = await request.get('/api/rules');
  expect(res.status()).toBe(200);
  const body = (await res.json()) as { items: { ruleId: string; enabled: boolean; lastRun: { status: string; alertsCreated: number } | null }[] };
  const seed = body.items.find((r) => r.ruleId === SEED_RULE_ID);
  expect(seed?.enabled).toBe(true);
  expect(seed?.lastRun).not.toBeNull();
});

test('rules routes – unknown rule is 404, bad windows are 400', async ({ request }) => {
  await expectError(await request.post('/api/rules/no-such-rule/run', { data: {} }), 404, 'not_found');
  await expectError(await request.post('/api/rules', { data: { ruleId: 'no-such-rule', enabled: false } }), 404, 'not_found');
  await expectError(
    await request.post(`/api/rules/${SEED_RULE_ID}/backfill`, { data: { from: '2026-01-02T00:00:00Z', to: '2026-01-01T00:00:00Z' } }),
    400,
    'invalid_request',
    'from',
  );
  await expectError(await request.post(`/api/rules/${SEED_RULE_ID}/exceptions`, { data: { entries: [] } }), 400, 'invalid_request', 'entries');
});

test('POST /api/ingest – streams a file, reports progress, stores good lines and names the bad one', async ({ request }) => {
  const now = new Date().toISOString();
  const lines = [
    JSON.stringify({ '@timestamp': now, event: { category: ['process'], type: ['start'] }, host: { name: 'e2e-ingest' }, process: { name: 'a.exe', pid: 1 } }),
    '{"@timestamp": broken',
    JSON.stringify({ '@timestamp': now, event: { category: ['process'], type: ['start'] }, host: { name: 'e2e-ingest' }, process: { name: 'b.exe', pid: 2 } }),
  ].join('\n');
  const start = await request.post('/api/ingest?format=ecs&index=logs-e2e-ingest&name=e2e.ndjson', {
    data: Buffer.from(lines + '\n'),
    headers: { 'content-type': 'application/octet-stream' },
  });
  expect(start.status(), await start.text()).toBe(202);
  const { job } = (await start.json()) as { job: { id: string } };
  let report: { read: number; stored: number; rejectedCount: number; rejected: { line: number; reason: string }[] } | null = null;
  await expect
    .poll(async () => {
      const res = await request.get(`/api/ingest?job=${job.id}`);
      const body = (await res.json()) as { job: { state: string; report: typeof report; error: string | null } };
      report = body.job.report;
      return body.job.state;
    })
    .toBe('done');
  expect(report).not.toBeNull();
  expect(report!.stored + 0).toBe(2);
  expect(report!.rejectedCount).toBe(1);
  expect(report!.rejected[0]?.line).toBe(2);
  // the list of jobs the server holds has it first, with who started it
  const list = (await (await request.get('/api/ingest')).json()) as { items: { id: string; startedBy: string; state: string }[] };
  expect(list.items[0]).toMatchObject({ id: job.id, startedBy: 'admin', state: 'done' });
});

test('GET /api/ingest – unknown job is 404, bad format is 400', async ({ request }) => {
  await expectError(await request.get('/api/ingest?job=nope'), 404, 'not_found');
  await expectError(await request.post('/api/ingest?format=csv', { data: Buffer.from('x') }), 400, 'invalid_request', 'format');
});
