import { test, expect } from 'vitest';
import { alertListQuerySchema, alertPatchSchema, notePostSchema, stepPutSchema } from './alerts';
import { describeIssues, isApiErrorCode, apiErrorStatus } from './errors';
import { backfillRequestSchema, exceptionCreateSchema, ruleRunRequestSchema } from './rules';
import { ingestStartQuerySchema } from './ingest';
import { guideSchema } from './guide';

test('alert list query: status repeats or is comma-separated, defaults fill in', () => {
  const q = alertListQuerySchema.parse({ status: ['open,acknowledged'], host: '  ws-01 ', page: '3' });
  expect(q.status).toEqual(['open', 'acknowledged']);
  expect(q.host).toBe('ws-01');
  expect(q.page).toBe(3);
  expect(q.pageSize).toBe(100);
  expect(q.sort).toBe('timestamp');
  expect(q.order).toBe('desc');
  expect(alertListQuerySchema.parse({ user: '' }).user).toBeUndefined();
});

test.each([
  [{ status: 'pending' }, 'status'],
  [{ sort: 'password' }, 'sort'],
  [{ page: '0' }, 'page'],
  [{ pageSize: '5000' }, 'pageSize'],
])('alert list query rejects %j at %s', (input, where) => {
  const r = alertListQuerySchema.safeParse(input);
  expect(r.success).toBe(false);
  if (!r.success) expect(describeIssues(r.error)).toContain(where);
});

test('PATCH: closing needs a verdict and the expected version', () => {
  expect(alertPatchSchema.safeParse({ status: 'closed', expectedVersion: 1 }).success).toBe(false);
  expect(alertPatchSchema.safeParse({ status: 'closed', verdict: 'false_positive' }).success).toBe(false);
  expect(alertPatchSchema.parse({ status: 'closed', verdict: 'false_positive', expectedVersion: 2 }).verdict).toBe('false_positive');
  expect(alertPatchSchema.safeParse({ expectedVersion: 2 }).success).toBe(false);
  expect(alertPatchSchema.safeParse({ expectedVersion: 2, status: 'open', owner: 'x' }).success).toBe(false);
});

test('PUT step: not applicable needs a reason', () => {
  expect(stepPutSchema.safeParse({ state: 'not_applicable', expectedVersion: 0 }).success).toBe(false);
  expect(stepPutSchema.safeParse({ state: 'not_applicable', reason: '  ', expectedVersion: 0 }).success).toBe(false);
  const ok = stepPutSchema.parse({ state: 'not_applicable', reason: 'no network telemetry on this host', expectedVersion: 0 });
  expect(ok.section).toBe('guide');
  expect(stepPutSchema.safeParse({ state: 'finished' }).success).toBe(false);
});

test('notes cannot be empty', () => {
  expect(notePostSchema.safeParse({ body: '   ' }).success).toBe(false);
  expect(notePostSchema.parse({ body: ' <img src=x onerror=alert(1)> ' }).body).toBe('<img src=x onerror=alert(1)>');
});

test('exceptions: entries need values except "exists"; "is" takes one value', () => {
  const base = { comment: 'B-TP', closeMatchingAlerts: true };
  expect(exceptionCreateSchema.safeParse({ ...base, entries: [] }).success).toBe(false);
  expect(exceptionCreateSchema.safeParse({ ...base, entries: [{ field: 'file.path', operator: 'is', values: [] }] }).success).toBe(false);
  expect(exceptionCreateSchema.safeParse({ ...base, entries: [{ field: 'file.path', operator: 'is', values: ['a', 'b'] }] }).success).toBe(false);
  const ok = exceptionCreateSchema.parse({ ...base, entries: [{ field: 'process.name', operator: 'exists' }] });
  expect(ok.entries[0]?.values).toEqual([]);
  expect(ok.expiresAt).toBeNull();
  expect(exceptionCreateSchema.safeParse({ ...base, entries: [{ field: 'f', operator: 'exists' }], expiresAt: 'tomorrow' }).success).toBe(false);
});

test('run and backfill windows are ordered', () => {
  expect(ruleRunRequestSchema.safeParse({ from: '2026-01-01T00:00:00Z' }).success).toBe(false);
  expect(backfillRequestSchema.safeParse({ from: '2026-01-02T00:00:00Z', to: '2026-01-01T00:00:00Z' }).success).toBe(false);
  expect(backfillRequestSchema.safeParse({ from: '2026-01-01T00:00:00Z', to: '2026-01-02T00:00:00+01:00' }).success).toBe(true);
});

test('ingest query: format from the list, index names checked', () => {
  expect(ingestStartQuerySchema.parse({}).format).toBe('auto');
  expect(ingestStartQuerySchema.safeParse({ format: 'csv' }).success).toBe(false);
  expect(ingestStartQuerySchema.safeParse({ index: 'Bad Index' }).success).toBe(false);
  expect(ingestStartQuerySchema.parse({ index: 'logs-upload' }).index).toBe('logs-upload');
});

test('error codes map to statuses', () => {
  expect(isApiErrorCode('not_found')).toBe(true);
  expect(isApiErrorCode('toString')).toBe(false);
  expect(apiErrorStatus.conflict).toBe(409);
  expect(apiErrorStatus.not_available).toBe(503);
});

test('guide schema accepts nested steps and keeps markup as plain strings', () => {
  const g = guideSchema.parse({
    sections: [
      {
        id: 's1',
        kind: 'investigation',
        title: 'Possible investigation steps',
        steps: [
          {
            id: 'a',
            section: 'investigation',
            text: '<script>x</script>',
            spans: [{ type: 'text', value: '<script>x</script>' }],
            children: [{ id: 'b', section: 'investigation', text: 'child', spans: [] }],
          },
        ],
      },
    ],
  });
  const step = g.sections[0]?.steps[0];
  expect(step?.spans[0]?.value).toBe('<script>x</script>');
  expect(step?.children[0]?.id).toBe('b');
  expect(step?.children[0]?.osquery).toEqual([]);
});

test('evidence query: the process tree shows 4 generations of descendants unless more are asked for, at most 12', async () => {
  const { evidenceQuerySchema } = await import('./evidence');
  expect(evidenceQuerySchema.parse({})).toEqual({ hours: 48, depth: 4 });
  expect(evidenceQuerySchema.parse({ depth: '8' }).depth).toBe(8);
  expect(evidenceQuerySchema.safeParse({ depth: '13' }).success).toBe(false);
  expect(evidenceQuerySchema.safeParse({ depth: '0' }).success).toBe(false);
});
