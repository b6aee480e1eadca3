import { axeViolations } from '../axe';
import { test, expect, type Page } from '@playwright/test';
import { ingestNdjson, listAlerts, runSeedRule, seedRuleEvent, waitForTriage } from '../helpers';

// Issue 17, "the analyst's flow": the queue keeps its view in the address, host cells pivot,
// and an alert can be worked from the queue to the next alert with the keyboard alone.

/** Three seed-rule alerts on hosts `${prefix}-01`, `-02`, `-01`, an hour apart (oldest first). */
async function threeAlerts(request: Parameters<typeof listAlerts>[0], prefix: string, start: Date): Promise<string[]> {
  const times = [0, 1, 2].map((h) => new Date(start.getTime() + h * 3_600_000));
  const hosts = [`${prefix}-01`, `${prefix}-02`, `${prefix}-01`];
  await ingestNdjson(
    request,
    times.map((at, i) => seedRuleEvent({ at, host: hosts[i]!, user: `${prefix}-user`, path: `C:\\Windows\\Temp\\${prefix}-${i}.dll` })),
    `logs-endpoint.events.file-${prefix}`,
  );
  const run = await runSeedRule(request, new Date(start.getTime() - 60_000), new Date(times[2]!.getTime() + 60_000));
  expect(run.created).toHaveLength(3);
  const listed = await listAlerts(request, `pageSize=500&host=${prefix}&sort=timestamp&order=asc&status=open,acknowledged,closed`);
  return listed.map((a) => a.id);
}

const rowIds = (page: Page) => page.getByTestId('alert-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-alert-id')));

test('the queue keeps a filtered and sorted view through reload, back and ← Queue; a host cell filters', async ({ page, request }) => {
  const ids = await threeAlerts(request, 'ws-e2e-view', new Date(Date.UTC(2025, 2, 3, 8, 0, 0)));

  await page.goto('/alerts');
  // "contains", case-insensitive: the upper-case part finds ws-e2e-view-01 and -02
  await page.getByLabel('Host', { exact: true }).fill('E2E-VIEW');
  await page.getByLabel('Host', { exact: true }).press('Enter');
  await expect(page).toHaveURL(/[?&]host=E2E-VIEW/);
  await expect.poll(() => rowIds(page)).toEqual([ids[2], ids[1], ids[0]]);
  // oldest first
  await page.getByRole('button', { name: /^Timestamp \(UTC\)/ }).click();
  await expect(page).toHaveURL(/[?&]order=asc/);
  await expect.poll(() => rowIds(page)).toEqual(ids);
  const view = page.url();
  expect(await axeViolations(page)).toBe('');

  await page.reload();
  await expect(page.getByLabel('Host', { exact: true })).toHaveValue('E2E-VIEW');
  await expect.poll(() => rowIds(page)).toEqual(ids);

  await page.getByTestId('alert-row').first().locator('a.rule-link').click();
  await waitForTriage(page);
  await page.goBack();
  await expect(page).toHaveURL(view);
  await expect.poll(() => rowIds(page)).toEqual(ids);

  await page.getByTestId('alert-row').nth(1).locator('a.rule-link').click();
  await waitForTriage(page);
  await page.getByTestId('back-to-queue').click();
  await expect(page).toHaveURL(view);
  await expect.poll(() => rowIds(page)).toEqual(ids);

  // the host cell of the middle alert (ws-e2e-view-02) pivots to its host
  await page.getByTestId('alert-row').nth(1).getByTestId('pivot-host').click();
  await expect(page).toHaveURL(/[?&]host=ws-e2e-view-02/);
  await expect.poll(() => rowIds(page)).toEqual([ids[1]]);
  await expect(page).toHaveURL(/[?&]order=asc/);
});

test('keyboard only: queue j/k/Enter, tick, note, the step evidence and its Osquery copy, a verdict, the next alert', async ({ page, request, context, baseURL }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL });
  const ids = await threeAlerts(request, 'ws-e2e-kbd', new Date(Date.UTC(2025, 2, 5, 8, 0, 0)));
  const focusedAttr = (attr: string) => page.evaluate((a) => document.activeElement?.getAttribute(a) ?? null, attr);

  await page.goto('/alerts?host=ws-e2e-kbd&order=asc');
  await expect.poll(() => rowIds(page)).toEqual(ids);
  await page.keyboard.press('j');
  await page.keyboard.press('j');
  await page.keyboard.press('k');
  await expect(page.getByTestId('alert-row').first().locator('a.rule-link')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`/alerts/${ids[0]}$`));
  await waitForTriage(page);

  // j puts focus on the step itself
  await page.keyboard.press('j');
  const focused = page.locator('[data-testid="guide-step"][data-focused="true"]');
  await expect(focused).toBeFocused();
  const stepId = await focused.getAttribute('data-step-id');
  await page.keyboard.press('x');
  await expect(focused).toHaveAttribute('data-state', 'done');

  // a note on the step, saved with Ctrl+Enter; focus comes back to the step
  await page.keyboard.press('n');
  const noteDialog = page.getByRole('dialog', { name: 'Note on this step' });
  await expect(noteDialog).toBeVisible();
  await page.keyboard.type('Checked from the keyboard.');
  await page.keyboard.press('Control+Enter');
  await expect(noteDialog).toBeHidden();
  await expect(focused).toContainText('Checked from the keyboard.');
  await expect.poll(() => focusedAttr('data-step-id')).toBe(stepId);

  // on to the DNS-cache step, into its evidence, copy its Osquery query, and back
  for (let i = 0; i < 40 && !((await page.getByTestId('evidence-for').textContent()) ?? '').includes('DNS cache'); i++) await page.keyboard.press('j');
  await expect(page.getByTestId('evidence-for')).toContainText('DNS cache');
  const dnsStep = await focused.getAttribute('data-step-id');
  // the step's own query comes before the network rows, which are folded after it
  const order = await page.getByTestId('evidence').evaluate((panel) => {
    const q = panel.querySelector('[data-testid="osquery"]');
    const more = panel.querySelector('details[data-testid="more-evidence"]');
    return { before: !!q && !!more && !!(q.compareDocumentPosition(more) & Node.DOCUMENT_POSITION_FOLLOWING), open: more?.hasAttribute('open') ?? null };
  });
  expect(order).toEqual({ before: true, open: false });
  await page.keyboard.press('e');
  await expect(page.getByTestId('evidence')).toBeFocused();
  let label = '';
  for (let i = 0; i < 200 && !label.startsWith('Copy the query'); i++) {
    await page.keyboard.press('Tab');
    label = (await focusedAttr('aria-label')) ?? '';
  }
  expect(label).toMatch(/^Copy the query/);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('osquery').first().getByRole('button', { name: /^Copy the query/ })).toHaveText('Copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toContain('dns_cache');
  await page.keyboard.press('e');
  await expect.poll(() => focusedAttr('data-step-id')).toBe(dnsStep);

  // the hash step: the file and its hashes first, the rows folded after them
  for (let i = 0; i < 40 && !((await page.getByTestId('evidence-for').textContent()) ?? '').includes('Get-FileHash'); i++) await page.keyboard.press('j');
  await expect(page.getByTestId('file-evidence')).toBeVisible();
  const fileFirst = await page.getByTestId('evidence').evaluate((panel) => {
    const file = panel.querySelector('[data-testid="file-evidence"]');
    const more = panel.querySelector('details[data-testid="more-evidence"]');
    return !more || (!!file && !!(file.compareDocumentPosition(more) & Node.DOCUMENT_POSITION_FOLLOWING));
  });
  expect(fileFirst).toBe(true);

  // ? lists the shortcuts (an accessible dialog); Escape closes it
  await page.keyboard.press('?');
  const keys = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(keys).toBeVisible();
  expect(await axeViolations(page)).toBe('');
  await page.keyboard.press('Escape');
  await expect(keys).toBeHidden();

  // f: close as false positive (the verdict chosen, the note focused), Ctrl+Enter, confirm the open steps with Ctrl+Enter
  await page.keyboard.press('f');
  const close = page.getByRole('dialog', { name: 'Close the alert' });
  await expect(close.getByLabel('False positive')).toBeChecked();
  await page.keyboard.type('Benign test data.');
  await page.keyboard.press('Control+Enter');
  await expect(page.getByRole('dialog', { name: 'Close with steps still open?' })).toBeVisible();
  await page.keyboard.press('Control+Enter');

  // the next alert of the queue
  await expect(page).toHaveURL(new RegExp(`/alerts/${ids[1]}$`));
  await waitForTriage(page);
  await expect(page.getByTestId('triage-header')).toContainText('ws-e2e-kbd-02');
  const [first] = (await listAlerts(request, 'pageSize=500&host=ws-e2e-kbd&status=closed')).filter((a) => a.id === ids[0]);
  expect(first?.status).toBe('closed');
});
