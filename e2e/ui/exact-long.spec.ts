/**
 * Issue 14: an integer beyond 2^53 in an alert's event keeps every digit from the ingested file to
 * the triage page. 9007199254740993 is 2^53 + 1: a JSON number on the way (the alert saved with
 * JSON.stringify, the page's props, the API answer) would show as …992. The alert is closed again
 * at the end, so the specs after this one see the queue they expect.
 */
import { test, expect } from '@playwright/test';
import { ingestNdjson, runSeedRule, seedRuleEvent, waitForTriage } from '../helpers';

const EXACT = '9007199254740993';
const ROUNDED = '9007199254740992';

test('an integer beyond 2^53 of the source event shows with its exact digits on the triage page', async ({ page, request }) => {
  const at = new Date(Date.now() - 12 * 60_000);
  const doc = { ...seedRuleEvent({ at, host: 'e2e-long-host', user: 'ACME\\long', path: 'C:\\Windows\\Temp\\e2e-long.exe' }), e2e_long: 0 };
  // written as text: a JS number cannot hold the value
  const line = JSON.stringify(doc).replace('"e2e_long":0', `"e2e_long":${EXACT}`);
  expect(line).toContain(EXACT);
  await ingestNdjson(request, [line], 'logs-endpoint.events.file-e2e');
  const run = await runSeedRule(request, new Date(at.getTime() - 60_000), new Date(at.getTime() + 60_000));
  expect(run.created.length).toBe(1);
  const alertId = run.created[0]!;

  await page.goto(`/alerts/${encodeURIComponent(alertId)}`);
  await waitForTriage(page);
  const raw = page.getByTestId('raw-event');
  await expect(raw).toContainText(EXACT);
  await expect(raw).not.toContainText(ROUNDED);
  const fields = page.getByTestId('event-fields');
  await fields.locator('summary').click();
  await expect(fields).toContainText(EXACT);
  await expect(fields).not.toContainText(ROUNDED);

  // leave the queue as the later specs expect it
  const detail = (await (await request.get(`/api/alerts/${encodeURIComponent(alertId)}`)).json()) as { alert: { version: number } };
  const closed = await request.patch(`/api/alerts/${encodeURIComponent(alertId)}`, { data: { expectedVersion: detail.alert.version, status: 'closed', verdict: 'true_positive', note: 'e2e exact-long: closed after the check' } });
  expect(closed.status(), await closed.text()).toBe(200);
});
