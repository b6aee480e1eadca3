import { test, expect } from '@playwright/test';
import { storageStateOf } from '../auth-users';
import { apiAs } from '../as-user';
import { alertState, ingestNdjson, listAlerts, runSeedRule, seedRuleEvent } from '../helpers';

const USER = 'e2e-bulk-user';
const ALERTS = 40;

// a short window, so that the virtualised list has rows out of view
test.use({ storageState: storageStateOf('lead'), viewport: { width: 1440, height: 700 } });

test('a lead selects rows (kept while scrolling), bulk-assigns them, sees which one was refused and why', async ({ page, baseURL }) => {
  // enough alerts of one user (old, so they sort below everything else) to make the list scroll
  const admin = await apiAs('admin', baseURL);
  const lead = await apiAs('lead', baseURL);
  const t0 = Date.now() - 20 * 24 * 3_600_000;
  const events = Array.from({ length: ALERTS }, (_, i) =>
    seedRuleEvent({ at: new Date(t0 + i * 60_000), host: `e2e-bulk-host-${i}`, user: USER, path: `C:\\Windows\\Temp\\e2e-bulk-${i}.exe` }),
  );
  await ingestNdjson(admin, events, 'logs-endpoint.events.file-e2e-bulk');
  await runSeedRule(admin, new Date(t0 - 60_000), new Date(t0 + (ALERTS + 1) * 60_000));

  await page.goto('/alerts');
  await page.getByRole('textbox', { name: 'User' }).fill(USER);
  await page.getByRole('button', { name: 'Apply filters' }).click();
  // the count of matching alerts sits above the list, beside the keyboard hint
  await expect(page.locator('#queue-keys').getByRole('status')).toHaveText(`${ALERTS} alerts`);
  const rows = page.getByTestId('alert-row');
  await expect(rows.first()).toBeVisible();
  await expect(rows.first()).toContainText(USER);
  const bar = page.getByTestId('bulk-bar');
  const count = page.getByTestId('selected-count');
  const all = page.getByTestId('select-all');
  await expect(count).toHaveText('0 selected');
  await expect(bar.getByRole('button', { name: /^Assign/ })).toBeDisabled();

  // "select all on this page" and back
  await all.check();
  await expect(count).toHaveText(`${ALERTS} selected`);
  await expect(all).toBeChecked();
  await all.uncheck();
  await expect(count).toHaveText('0 selected');

  // two rows ticked from the keyboard; the header box turns mixed
  const ids = (await rows.evaluateAll((els) => els.slice(0, 2).map((e) => e.getAttribute('data-alert-id')))).filter((x): x is string => !!x);
  expect(ids).toHaveLength(2);
  const [first, second] = ids as [string, string];
  const row = (id: string) => page.locator(`[data-testid="alert-row"][data-alert-id="${id}"]`);
  const box = (id: string) => row(id).getByTestId('select-row');
  await expect(box(first)).toHaveAccessibleName(/^Select alert: /);
  await box(first).focus();
  await page.keyboard.press('Space');
  await box(second).focus();
  await page.keyboard.press('Space');
  await expect(count).toHaveText('2 selected');
  await expect(row(first)).toHaveAttribute('data-selected', 'true');
  expect(await all.evaluate((el) => (el as HTMLInputElement).indeterminate)).toBe(true);
  await expect(all).toHaveAttribute('aria-checked', 'mixed');

  // the virtualised list drops rows scrolled away; the selection does not
  const body = page.locator('.queue-body');
  await body.evaluate((el) => el.scrollTo(0, el.scrollHeight));
  await expect(row(first)).toHaveCount(0);
  await body.evaluate((el) => el.scrollTo(0, 0));
  await expect(box(first)).toBeChecked();
  await expect(box(second)).toBeChecked();
  await expect(count).toHaveText('2 selected');

  // someone else changes the second alert meanwhile: its version is stale in this list
  const before = await Promise.all(ids.map((id) => alertState(admin, id)));
  try {
    const stale = before[1]!;
    const bump = await admin.patch(`/api/alerts/${encodeURIComponent(second)}`, {
      data: { expectedVersion: stale.version, status: stale.status === 'open' ? 'acknowledged' : 'open' },
    });
    expect(bump.status(), await bump.text()).toBe(200);

    await bar.getByLabel('Assign selected to').selectOption('ali.analyst');
    await bar.getByRole('button', { name: 'Assign 2' }).click();
    const result = page.getByTestId('bulk-result');
    await expect(result.getByRole('status')).toContainText('1 assigned to ali.analyst.');
    const refused = result.getByTestId('bulk-refused');
    await expect(refused.locator(`[data-alert-id="${second}"]`)).toContainText('changed by someone else');
    await expect(refused.locator(`[data-alert-id="${first}"]`)).toHaveCount(0);
    // only the refused alert stays selected
    await expect(count).toHaveText('1 selected');
    expect((await alertState(lead, first)).assignee).toBe('ali.analyst');
    expect((await alertState(lead, second)).assignee).toBe(before[1]!.assignee);

    // after the list refreshed, the retry carries the new version and goes through
    const fresh = await alertState(lead, second);
    await expect(row(second)).toHaveAttribute('data-version', String(fresh.version));
    await expect(box(second)).toBeChecked();
    await bar.getByRole('button', { name: 'Assign 1' }).click();
    await expect(result.getByRole('status')).toContainText('1 assigned to ali.analyst.');
    await expect(result.getByTestId('bulk-refused')).toHaveCount(0);
    await expect(count).toHaveText('0 selected');
    expect((await alertState(lead, second)).assignee).toBe('ali.analyst');
  } finally {
    // close this test's alerts, so other tests looking for open unassigned alerts do not get them
    for (const a of await listAlerts(admin, `pageSize=500&status=open,acknowledged&user=${USER}`)) {
      await admin.patch(`/api/alerts/${encodeURIComponent(a.id)}`, { data: { expectedVersion: a.version, status: 'closed', verdict: 'false_positive' } });
    }
    await Promise.all([admin.dispose(), lead.dispose()]);
  }
});
