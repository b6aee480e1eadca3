/**
 * Lost updates and claiming (issue 13, issue 17 item 5), in two real browser sessions:
 * a stale page saving a note never undoes a tick; a stale state change is refused and the
 * page shows what changed; working an unassigned alert claims it; closing with open steps
 * asks once, listing them, by keyboard.
 */
import { test, expect, type Page } from '@playwright/test';
import { ingestNdjson, runSeedRule, seedRuleEvent, waitForTriage } from '../helpers';
import { pageAs } from '../as-user';

/** A new alert of the seed rule on a host of its own, so that no other test works it. */
async function newAlert(request: Parameters<typeof ingestNdjson>[0], host: string): Promise<string> {
  const at = new Date(Date.now() - 3 * 3_600_000 - Math.floor(Math.random() * 3_600_000));
  await ingestNdjson(request, [seedRuleEvent({ at, host, user: 'CORP\\rel', path: `C:\\Windows\\Temp\\${host}.dll` })], 'logs-endpoint.events.file-e2e');
  const run = await runSeedRule(request, new Date(at.getTime() - 60_000), new Date(at.getTime() + 60_000));
  expect(run.created).toHaveLength(1);
  return run.created[0]!;
}

const step = (page: Page, n: number) => page.getByTestId('guide-step').nth(n);

test('a stale page: its note keeps the tick, its state change is refused and the page shows the change', async ({ browser, request }) => {
  const id = await newAlert(request, 'rel-lost-update');
  const ana = await pageAs(browser, 'analyst');
  const lead = await pageAs(browser, 'lead');
  for (const p of [ana.page, lead.page]) {
    await p.goto(`/alerts/${encodeURIComponent(id)}`);
    await waitForTriage(p);
  }
  const tick = async (n: number) => {
    const saved = ana.page.waitForResponse((r) => r.url().includes('/steps/') && r.request().method() === 'PUT');
    await step(ana.page, n).getByRole('checkbox').check();
    expect((await saved).status()).toBe(200);
    await expect(step(ana.page, n)).toHaveAttribute('data-state', 'done');
  };
  // ana ticks step 1 (her first change claims the unassigned alert for her)
  await tick(0);
  // the lead's page still shows it open
  await expect(step(lead.page, 0)).toHaveAttribute('data-state', 'open');

  // the lead saves a note on step 1: saved, and the tick stays
  await step(lead.page, 0).getByRole('button', { name: /^Note/ }).click();
  const noteDialog = lead.page.getByRole('dialog', { name: 'Note on this step' });
  await noteDialog.getByLabel('Note').fill('parent process checked by the lead');
  const noteSaved = lead.page.waitForResponse((r) => r.url().includes('/steps/') && r.request().method() === 'PUT');
  await noteDialog.getByRole('button', { name: 'Save' }).click();
  expect((await noteSaved).status()).toBe(200);
  await expect(step(lead.page, 0)).toHaveAttribute('data-state', 'done');
  await expect(step(lead.page, 0)).toContainText('parent process checked by the lead');

  // ana ticks step 2 while the lead's page shows it open; the lead marks it not applicable:
  // refused, said why, and the page now shows ana's tick
  await tick(1);
  await expect(step(lead.page, 1)).toHaveAttribute('data-state', 'open');
  await step(lead.page, 1).getByRole('button', { name: /^N\/A/ }).click();
  const naDialog = lead.page.getByRole('dialog', { name: 'Not applicable: why?' });
  await naDialog.getByLabel('Reason (required)').fill('no such telemetry');
  const refused = lead.page.waitForResponse((r) => r.url().includes('/steps/') && r.request().method() === 'PUT');
  await naDialog.getByRole('button', { name: 'Save' }).click();
  expect((await refused).status()).toBe(409);
  await expect(lead.page.getByRole('alert').filter({ hasText: 'someone else changed this step first' })).toBeVisible();
  await expect(step(lead.page, 1)).toHaveAttribute('data-state', 'done');

  // after a reload in ana's session: both ticks, the lead's note, the alert hers and acknowledged
  await ana.page.reload();
  await waitForTriage(ana.page);
  await expect(step(ana.page, 0)).toHaveAttribute('data-state', 'done');
  await expect(step(ana.page, 1)).toHaveAttribute('data-state', 'done');
  await expect(step(ana.page, 0)).toContainText('parent process checked by the lead');
  await expect(ana.page.getByTestId('triage-header')).toContainText('ali.analyst');
  await expect(ana.page.getByTestId('triage-header')).toContainText('acknowledged');
  await Promise.all([ana.context.close(), lead.context.close()]);
});

test('closing with open steps asks once, listing them; Escape goes back, the keyboard closes', async ({ page, request }) => {
  const id = await newAlert(request, 'rel-close-confirm');
  await page.goto(`/alerts/${encodeURIComponent(id)}`);
  await waitForTriage(page);
  const total = await page.getByTestId('guide-step').count();
  await step(page, 0).getByRole('checkbox').check();
  await expect(step(page, 0)).toHaveAttribute('data-state', 'done');

  const closeWith = async () => {
    await page.getByRole('button', { name: 'Close with verdict…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Close the alert' });
    await dialog.getByLabel('False positive', { exact: true }).check();
    await dialog.getByRole('button', { name: 'Close alert' }).click();
    return page.getByRole('dialog', { name: 'Close with steps still open?' });
  };
  let confirm = await closeWith();
  await expect(confirm.getByTestId('close-confirm-step')).toHaveCount(total - 1);
  await expect(confirm).toContainText(`${total - 1} of ${total} checklist steps`);
  // going back is the focused default; Escape goes back
  await expect(confirm.getByRole('button', { name: 'Go back to the checklist' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(confirm).toHaveCount(0);
  await expect(page.getByTestId('triage-header')).not.toContainText('closed');

  confirm = await closeWith();
  await page.keyboard.press('Tab');
  await expect(confirm.getByRole('button', { name: 'Close anyway' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('verdict')).toHaveText('False positive');
});
