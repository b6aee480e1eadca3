import { test, expect } from '@playwright/test';
import { demoStories, openTruePositive, waitForTriage } from '../helpers';

test('the queue shows the demo true positives and none of the near misses', async ({ page }) => {
  const stories = demoStories();
  await page.goto('/alerts');
  await expect(page.getByRole('heading', { name: 'Alerts' })).toBeVisible();
  await expect(page.getByTestId('source-status')).toContainText('embedded store');
  await expect(page.getByTestId('alert-row').first()).toBeVisible();

  const shown = await page.getByTestId('alert-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-source-id')));
  const truePositives = stories.filter((s) => s.expected === 'alert').flatMap((s) => s.mustFire.map((r) => r._id));
  const nearMisses = stories.flatMap((s) => s.mustNotFire.map((r) => r._id));
  expect(truePositives.length).toBeGreaterThanOrEqual(3);
  for (const id of truePositives) expect(shown, `true positive ${id} is in the queue`).toContain(id);
  for (const id of nearMisses) expect(shown, `near miss ${id} is not in the queue`).not.toContain(id);
});

test('an analyst opens a true positive, ticks two steps, reloads, and closes it with a verdict', async ({ page, request }) => {
  const { alert } = await openTruePositive(request);
  await page.goto('/alerts');
  await page.locator(`[data-alert-id="${alert.id}"] a.rule-link`).click();
  await expect(page).toHaveURL(new RegExp(`/alerts/${encodeURIComponent(alert.id)}$`));
  await waitForTriage(page);

  const steps = page.getByTestId('guide-step');
  const first = steps.nth(0);
  const second = steps.nth(1);
  await first.getByRole('checkbox').first().click();
  await expect(first).toHaveAttribute('data-state', 'done');
  await second.getByRole('checkbox').first().click();
  await expect(second).toHaveAttribute('data-state', 'done');
  await expect(page.getByTestId('progress')).toContainText(/^\s*2 of \d+ steps/);

  await page.reload();
  await waitForTriage(page);
  await expect(page.getByTestId('guide-step').nth(0)).toHaveAttribute('data-state', 'done');
  await expect(page.getByTestId('guide-step').nth(1)).toHaveAttribute('data-state', 'done');
  await expect(page.getByTestId('guide-step').nth(2)).toHaveAttribute('data-state', 'open');

  await page.getByRole('button', { name: 'Close with verdict…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Close the alert' });
  await dialog.getByLabel('True positive', { exact: true }).check();
  await dialog.getByLabel('Closing note').fill('Credential dumping confirmed; host isolated.');
  await dialog.getByRole('button', { name: 'Close alert' }).click();
  // steps are still open: closing asks once, listing them
  const confirm = page.getByRole('dialog', { name: 'Close with steps still open?' });
  await expect(confirm.getByTestId('close-confirm-step').first()).toBeVisible();
  const closed = page.waitForResponse((r) => r.request().method() === 'PATCH' && r.url().endsWith(`/api/alerts/${encodeURIComponent(alert.id)}`));
  await confirm.getByRole('button', { name: 'Close anyway' }).click();
  expect((await closed).status()).toBe(200);
  // a close lands on the next alert of the queue; the closed one keeps its verdict and closing note
  await page.goto(`/alerts/${encodeURIComponent(alert.id)}`);
  await waitForTriage(page);
  await expect(page.getByTestId('triage-header')).toContainText('closed');
  await expect(page.getByTestId('verdict')).toHaveText('True positive');
  await expect(page.getByTestId('notes')).toContainText('Credential dumping confirmed; host isolated.');

  await page.reload();
  await waitForTriage(page);
  await expect(page.getByTestId('verdict')).toHaveText('True positive');
  await expect(page.getByRole('button', { name: 'Reopen' })).toBeVisible();
});
