import { test, expect } from '@playwright/test';
import { ingestNdjson, runSeedRule, seedRuleEvent, waitForTriage } from '../helpers';

const IMG = '<img src=x onerror="window.__xss=1">';
const SCRIPT = '<script>window.__xss=2</script>';

test('event fields and notes with HTML or script are shown as text, never run', async ({ page, request }) => {
  const at = new Date(Date.now() - 10 * 60_000);
  const host = 'e2e-xss-host';
  const path = `C:\\Windows\\Temp\\${IMG}${SCRIPT}.exe`;
  await ingestNdjson(request, [{ ...seedRuleEvent({ at, host, user: 'ACME\\mallory', path }), message: SCRIPT }], 'logs-endpoint.events.file-e2e');
  const run = await runSeedRule(request, new Date(at.getTime() - 60_000), new Date(at.getTime() + 60_000));
  expect(run.created.length).toBe(1);
  const alertId = run.created[0]!;

  await page.goto(`/alerts/${encodeURIComponent(alertId)}`);
  await waitForTriage(page);
  await expect(page.getByTestId('triage-header')).toContainText(IMG);
  await expect(page.getByTestId('raw-event')).toContainText('<script>window.__xss=2</script>');

  await page.getByLabel('Add a note', { exact: true }).fill(`${IMG} and ${SCRIPT}`);
  await page.getByRole('button', { name: 'Add note' }).click();
  await expect(page.getByTestId('note-body').last()).toHaveText(`${IMG} and ${SCRIPT}`);

  await page.reload();
  await waitForTriage(page);
  await expect(page.getByTestId('note-body').last()).toHaveText(`${IMG} and ${SCRIPT}`);
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  expect(await page.locator('main img').count()).toBe(0);
  expect(await page.locator('main script').count()).toBe(0);

  await page.goto('/alerts');
  await expect(page.locator(`[data-alert-id="${alertId}"]`)).toContainText(IMG);
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
});
