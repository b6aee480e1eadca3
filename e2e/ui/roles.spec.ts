import { test, expect } from '@playwright/test';
import { listAlerts, SEED_RULE_ID, waitForTriage } from '../helpers';
import { apiAs, pageAs } from '../as-user';

/** Each role sees only the controls it can use; the API refuses the rest (checked in e2e/api). */

test('a viewer on a triage page sees the state but no control to tick, mark, note, close, assign or except', async ({ browser, request }) => {
  const [a] = await listAlerts(request, 'pageSize=5&status=open');
  const { context, page } = await pageAs(browser, 'viewer');
  await page.goto(`/alerts/${encodeURIComponent(a!.id)}`);
  await expect(page.getByTestId('triage-header')).toBeVisible();
  await expect(page.getByTestId('read-only')).toBeVisible();
  const steps = page.getByTestId('guide-step');
  await expect(steps.first()).toBeVisible();
  // the state of each step is shown, as text, without a checkbox
  await expect(steps.first().getByTestId('step-state').first()).toBeVisible();
  await expect(page.getByTestId('guide-step').getByRole('checkbox')).toHaveCount(0);
  await expect(page.locator('.step-tools')).toHaveCount(0);
  const header = page.getByTestId('triage-header');
  for (const name of ['Acknowledge', 'Close with verdict…', 'Reopen', 'Assign to me', 'Unassign me', 'Add exception…']) {
    await expect(header.getByRole('button', { name }), name).toHaveCount(0);
  }
  await expect(page.getByTestId('assign-control')).toHaveCount(0);
  await expect(page.getByLabel('Add a note', { exact: true })).toHaveCount(0);
  // the export stays: reading is what a viewer does
  await expect(header.getByRole('link', { name: 'Markdown' })).toBeVisible();
  // the keyboard shortcuts that change a step do nothing either
  const before = await steps.first().getAttribute('data-state');
  await page.locator('body').click({ position: { x: 2, y: 2 } });
  await page.keyboard.press('x');
  await page.keyboard.press('a');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(steps.first()).toHaveAttribute('data-state', before ?? 'open');
  await context.close();
});

test('a viewer gets no selection, no "my alerts", no rule controls, and no ingest page', async ({ browser }) => {
  const { context, page } = await pageAs(browser, 'viewer');
  await page.goto('/alerts');
  await expect(page.getByTestId('alert-row').first()).toBeVisible();
  await expect(page.getByTestId('select-row')).toHaveCount(0);
  await expect(page.getByTestId('select-all')).toHaveCount(0);
  await expect(page.getByTestId('bulk-bar')).toHaveCount(0);
  await expect(page.getByLabel('My alerts')).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Export CSV' })).toBeVisible();

  await page.goto('/rules');
  const row = page.locator(`[data-testid="rule-row"][data-rule-id="${SEED_RULE_ID}"]`);
  await expect(row).toBeVisible();
  await expect(row.getByRole('checkbox')).toHaveCount(0);
  await expect(row.getByTestId('rule-enabled')).toHaveText(/enabled|disabled/);
  await expect(row.getByRole('button', { name: /Run now/ })).toHaveCount(0);
  await row.getByRole('button', { name: /^Exceptions/ }).click();
  await expect(page.getByRole('heading', { name: 'Exceptions', level: 3 })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Start backfill' })).toHaveCount(0);

  await page.goto('/ingest');
  await expect(page.getByTestId('forbidden')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Upload and ingest' })).toHaveCount(0);
  await context.close();
});

test('an analyst sees no bulk assign and no rules admin controls; may add but not remove an exception', async ({ browser, baseURL }) => {
  // an exception to look at (matches nothing; removed at the end)
  const admin = await apiAs('admin', baseURL);
  const created = await admin.post(`/api/rules/${SEED_RULE_ID}/exceptions`, {
    data: { entries: [{ field: 'host.name', operator: 'is', values: ['e2e-roles-no-such-host'] }], comment: 'e2e roles check' },
  });
  expect(created.status(), await created.text()).toBe(201);
  const { exception } = (await created.json()) as { exception: { id: string } };
  const { context, page } = await pageAs(browser, 'analyst');
  try {
    await page.goto('/alerts');
    await expect(page.getByTestId('alert-row').first()).toBeVisible();
    await expect(page.getByLabel('My alerts')).toBeVisible();
    await expect(page.getByTestId('bulk-bar')).toHaveCount(0);
    await expect(page.getByText('Assign selected to')).toHaveCount(0);
    await expect(page.getByTestId('select-row')).toHaveCount(0);

    await page.goto('/rules');
    const row = page.locator(`[data-testid="rule-row"][data-rule-id="${SEED_RULE_ID}"]`);
    await expect(row).toBeVisible();
    await expect(page.getByTestId('rule-row').getByRole('checkbox')).toHaveCount(0);
    await expect(page.getByRole('button', { name: /Run now/ })).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Reload rule files' })).toHaveCount(0);
    await row.getByRole('button', { name: /^Exceptions/ }).click();
    const exceptions = page.getByRole('region', { name: /^Exceptions of/ });
    await expect(exceptions.getByTestId('exception-row').filter({ hasText: 'e2e roles check' })).toBeVisible();
    await expect(exceptions.getByRole('button', { name: /Remove/ })).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Start backfill' })).toHaveCount(0);
    await expect(page.getByRole('region', { name: /^Backfill/ })).toHaveCount(0);
  } finally {
    const del = await admin.delete(`/api/rules/${SEED_RULE_ID}/exceptions?exceptionId=${encodeURIComponent(exception.id)}`);
    expect(del.status(), await del.text()).toBeLessThan(300);
    await admin.dispose();
    await context.close();
  }
});

test('an analyst on an alert assigned to someone else reads it without work controls', async ({ browser, baseURL, request }) => {
  const alerts = await listAlerts(request, 'pageSize=500&status=open&assignee=none');
  const target = alerts[Math.floor(alerts.length / 2)]!;
  const lead = await apiAs('lead', baseURL);
  const take = await lead.patch(`/api/alerts/${encodeURIComponent(target.id)}`, { data: { expectedVersion: target.version, assignee: 'bo.analyst' } });
  expect(take.status(), await take.text()).toBe(200);
  const { context, page } = await pageAs(browser, 'analyst');
  try {
    await page.goto(`/alerts/${encodeURIComponent(target.id)}`);
    await expect(page.getByTestId('read-only')).toContainText('bo.analyst');
    await expect(page.getByTestId('guide-step').getByRole('checkbox')).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Close with verdict…' })).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Assign to me' })).toHaveCount(0);
    await expect(page.getByTestId('assign-control')).toHaveCount(0);
    // the alert's own analyst does get them
    const bo = await pageAs(browser, 'analyst2');
    await bo.page.goto(`/alerts/${encodeURIComponent(target.id)}`);
    await waitForTriage(bo.page);
    await expect(bo.page.getByTestId('guide-step').first().getByRole('checkbox').first()).toBeEnabled();
    await expect(bo.page.getByRole('button', { name: 'Close with verdict…' })).toBeVisible();
    await expect(bo.page.getByTestId('read-only')).toHaveCount(0);
    await bo.context.close();
  } finally {
    const now = (await (await lead.get(`/api/alerts/${encodeURIComponent(target.id)}`)).json()) as { alert: { version: number } };
    await lead.patch(`/api/alerts/${encodeURIComponent(target.id)}`, { data: { expectedVersion: now.alert.version, assignee: null } });
    await lead.dispose();
    await context.close();
  }
});
