/**
 * Issue 14: an integer beyond 2^53 in an alert's event (a 64-bit id, a long field) is kept with
 * all its digits. The embedded store hands detection the exact value (parseDocumentJson →
 * ExactLong); the alert is saved and read back exactly, "close matching alerts" matches an
 * exception on the exact value only, and the triage page's answer and the case export carry the
 * digits. Before, the alert was saved with JSON.stringify: 9007199254740993 became …992.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { useMemoryDb } from '@/lib/store/db';
import { getAlertRow, insertAlerts } from '@/lib/store/alerts';
import { ExactLong, parseDocumentJson } from '@/lib/eql/document';
import { alertsMatchingEntries } from '@/lib/detection/exceptions';
import type { EqlEvent } from '@/lib/eql/types';
import { testAlert } from '@/tests/support/alerts';

process.env.GUIDEPOST_ARGON2_FAST = '1';
const { alertDetail } = await import('@/lib/server/alert-detail');
const { exportCase } = await import('@/lib/server/case-export');

const EXACT = '9007199254740993'; // 2^53 + 1: its double is 9007199254740992
const NEIGHBOUR = '9007199254740992';

/** the event as the embedded store reads it (lib/events/embedded/source: parseDocumentJson) */
const storedEvent = (id: string): EqlEvent => ({
  _index: 'logs-endpoint.events.process-default',
  _id: id,
  _source: parseDocumentJson(
    `{"@timestamp":"2026-01-01T00:00:00.000Z","host":{"name":"h1"},"process":{"name":"cmd.exe","Ext":{"ancestry_id":${EXACT}},"args_count":2}}`,
  ) as Record<string, unknown>,
});

beforeEach(() => {
  useMemoryDb();
});

const ancestry = (event: EqlEvent): unknown => ((event._source.process as { Ext: { ancestry_id: unknown } }).Ext.ancestry_id);

describe('an alert whose event holds an integer beyond 2^53', () => {
  it('is saved and read back with every digit (event and sequence events)', () => {
    const db = useMemoryDb();
    insertAlerts(db, [testAlert('x1', '2026-01-01T00:00:00.000Z', { event: storedEvent('e1'), sequenceEvents: [storedEvent('e1'), storedEvent('e2')] })]);
    // the column holds the digits (json_extract reads them as SQLite's 64-bit integer)
    const col = db.prepare<[], { event: string; id: string }>("SELECT event, CAST(json_extract(event, '$._source.process.Ext.ancestry_id') AS TEXT) AS id FROM alerts").get();
    expect(col?.event).toContain(`"ancestry_id":${EXACT}`);
    expect(col?.id).toBe(EXACT);
    const alert = getAlertRow(db, 'x1')!;
    const v = ancestry(alert.event);
    expect(v).toBeInstanceOf(ExactLong);
    expect((v as ExactLong).exact).toBe(BigInt(EXACT));
    expect(alert.sequenceEvents?.map((e) => (ancestry(e) as ExactLong).exact)).toEqual([BigInt(EXACT), BigInt(EXACT)]);
  });

  it('is closed by an exception on the exact value, not by one on its double', () => {
    insertAlerts(useMemoryDb(), [testAlert('x1', '2026-01-01T00:00:00.000Z', { event: storedEvent('e1') })]);
    const on = (value: string) => alertsMatchingEntries('r1', [{ field: 'process.Ext.ancestry_id', operator: 'is', values: [value] }]).map((a) => a.id);
    expect(on(EXACT)).toEqual(['x1']);
    expect(on(NEIGHBOUR)).toEqual([]);
  });

  it('reaches the triage page and the case export as its digits', async () => {
    insertAlerts(useMemoryDb(), [testAlert('x1', '2026-01-01T00:00:00.000Z', { event: storedEvent('e1') })]);
    // the page renders JSON.parse(JSON.stringify(alertDetail(id))); GET /api/alerts/:id answers it as JSON
    const page = JSON.parse(JSON.stringify(alertDetail('x1'))) as { alert: { event: EqlEvent } };
    expect(ancestry(page.alert.event)).toBe(EXACT);
    // a small number stays a number
    expect((page.alert.event._source.process as { args_count: unknown }).args_count).toBe(2);
    const json = await exportCase('x1', 'json', 'ana');
    expect(json.body).toContain(EXACT);
    expect(json.body).not.toContain(NEIGHBOUR);
    const md = await exportCase('x1', 'markdown', 'ana');
    expect(md.body).toContain(EXACT);
    expect(md.body).not.toContain(NEIGHBOUR);
  });
});
