/**
 * The triage page's timeline (issue 17, item 8): the process tree's activity around the alert in
 * time order beside the grouped tables, zoomable, filterable by kind and process, keyboard
 * navigable, each entry linked to its process in the tree; the tree marks the writer of the
 * alert's file (item 7); axe-clean with the timeline and an entry's fields open.
 */
import { test, expect, type Page } from '@playwright/test';
import { axeViolations } from '../axe';
import { demoStories, listAlerts, waitForTriage } from '../helpers';

async function lsassAlert(request: Parameters<typeof listAlerts>[0]) {
  const story = demoStories().find((s) => /lsass\.exe writes a DLL/.test(s.title));
  if (!story) throw new Error('no lsass story in the demo data');
  const ref = story.mustFire[0]!;
  const alert = (await listAlerts(request)).find((a) => a.source?._id === ref._id && a.source._index === ref._index);
  if (!alert) throw new Error('the lsass story has no alert');
  return alert;
}

const offsets = (page: Page) =>
  page.getByTestId('timeline').getByTestId('timeline-entry').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-offset'))));

test('timeline: the tree around the alert in time order; zoom, kinds, process, keyboard, link to the tree', async ({ page, request }) => {
  const alert = await lsassAlert(request);
  await page.goto(`/alerts/${encodeURIComponent(alert.id)}`);
  await waitForTriage(page);
  // the process's evidence: its tree and its activity, the timeline beside the grouped tables
  await page.getByTestId('triage-header').getByTestId('entity-process').click();
  const tree = page.getByTestId('process-tree');
  await expect(tree).toBeVisible();
  const tl = page.getByTestId('timeline');
  await expect(tl).toBeVisible();
  const entries = tl.getByTestId('timeline-entry');
  const alertEntry = tl.locator('[data-testid="timeline-entry"][data-kind="alert"]');
  await expect(alertEntry).toHaveCount(1);
  await expect(tl.getByRole('radio', { name: '± 10 min' })).toBeChecked();

  // the alert's file is marked on the process that wrote it (lsass.exe, the subject)
  await expect(tree.locator('[data-role="subject"]').getByTestId('tree-wrote').first()).toContainText('wrote mspsync.dll');

  // time order, the alert among them
  const at10min = await offsets(page);
  expect(at10min.length).toBeGreaterThan(1);
  expect(at10min).toEqual([...at10min].sort((a, b) => a - b));

  // zoom out to ±1 h: the window says so and lists at least as much; in to ±10 s: nothing further than 10 s
  const alertMs = Date.parse(alert.timestamp);
  await tl.getByRole('radio', { name: '± 1 h' }).check();
  await expect(tl.getByTestId('timeline-summary')).toContainText(new Date(alertMs - 3_600_000).toISOString());
  const at1h = await offsets(page);
  expect(at1h.length).toBeGreaterThanOrEqual(at10min.length);
  await tl.getByRole('radio', { name: '± 10 s' }).check();
  await expect(tl.getByTestId('timeline-summary')).toContainText(new Date(alertMs - 10_000).toISOString());
  for (const o of await offsets(page)) expect(Math.abs(o)).toBeLessThanOrEqual(10_000);
  await tl.getByRole('radio', { name: '± 1 h' }).check();
  await expect(tl.getByTestId('timeline-summary')).toContainText(new Date(alertMs - 3_600_000).toISOString());

  // kinds: unticking one hides its entries (the alert stays), ticking it brings them back
  const kinds = tl.getByTestId('timeline-kinds').getByRole('checkbox');
  expect(await kinds.count()).toBeGreaterThan(0);
  const kind = (await kinds.first().getAttribute('value'))!;
  const before = await tl.locator(`[data-testid="timeline-entry"][data-kind="${kind}"]`).count();
  await kinds.first().uncheck();
  await expect(tl.locator(`[data-testid="timeline-entry"][data-kind="${kind}"]`)).toHaveCount(0);
  await expect(alertEntry).toHaveCount(1);
  await kinds.first().check();
  await expect(tl.locator(`[data-testid="timeline-entry"][data-kind="${kind}"]`)).toHaveCount(before);

  // keyboard: the alert's entry is the one in the Tab order; arrows move, Enter shows the fields, Escape comes back
  const alertButton = alertEntry.getByRole('button').first();
  await expect(alertButton).toHaveAttribute('tabindex', '0');
  await alertButton.focus();
  const count = await entries.count();
  const index = (await entries.evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')))).indexOf('alert');
  expect(index).toBeGreaterThanOrEqual(0);
  if (index < count - 1) {
    await page.keyboard.press('ArrowDown');
    await expect(entries.nth(index + 1).getByRole('button').first()).toBeFocused();
    await page.keyboard.press('ArrowUp');
  }
  await expect(alertButton).toBeFocused();
  await page.keyboard.press('Enter');
  const detail = tl.getByTestId('timeline-detail');
  await expect(detail).toBeVisible();
  await expect(detail).toBeFocused();
  await expect(alertButton).toHaveAttribute('aria-expanded', 'true');
  await expect(detail).toContainText('file.path');
  expect(await axeViolations(page)).toBe('');
  await page.keyboard.press('Escape');
  await expect(detail).toHaveCount(0);
  await expect(alertButton).toBeFocused();

  // the entry's process in the tree: selected and focused
  await page.keyboard.press('Enter');
  await tl.getByTestId('timeline-show-in-tree').click();
  const subject = tree.locator('[data-role="subject"]');
  await expect(subject).toBeFocused();
  await expect(subject).toHaveAttribute('aria-selected', 'true');

  // one process: every entry but the alert is that process's
  const select = tl.getByTestId('timeline-process');
  const subjectEntity = (await alertEntry.getAttribute('data-entity'))!;
  await select.selectOption(subjectEntity);
  for (const e of await entries.evaluateAll((els) => els.map((x) => [x.getAttribute('data-kind'), x.getAttribute('data-entity')]))) {
    if (e[0] !== 'alert') expect(e[1]).toBe(subjectEntity);
  }
});

test("filter-out: the source event's host opens the queue without that host; the exclusion shows and comes off", async ({ page, request }) => {
  const alert = await lsassAlert(request);
  const host = alert.hostName!;
  await page.goto(`/alerts/${encodeURIComponent(alert.id)}`);
  await waitForTriage(page);
  const fields = page.getByTestId('event-fields');
  await fields.locator('summary').click();
  await fields.getByRole('link', { name: `Alerts without host.name ${host}` }).click();
  await expect(page).toHaveURL(/[?&]not_host=/);
  const exclusions = page.getByTestId('queue-exclusions');
  await expect(exclusions).toContainText(`Without host: ${host}`);
  const rows = page.getByTestId('alert-row');
  await expect(rows.first()).toBeVisible();
  await expect(page.getByTestId('pivot-host').filter({ hasText: new RegExp(`^${host}$`, 'i') })).toHaveCount(0);
  expect(await axeViolations(page)).toBe('');
  // taken off: the host's alerts are back
  await exclusions.getByRole('button', { name: `Remove the exclusion ${host}` }).click();
  await expect(page.getByTestId('queue-exclusions')).toHaveCount(0);
  await expect(page).not.toHaveURL(/not_host=/);
  // the API leaves out exactly that host's alerts
  const total = async (qs: string) => ((await (await request.get(`/api/alerts?status=open,acknowledged,closed&pageSize=1${qs}`)).json()) as { total: number }).total;
  const all = await total('');
  const ofHost = (await listAlerts(request)).filter((a) => a.hostName?.toLowerCase() === host.toLowerCase()).length;
  expect(ofHost).toBeGreaterThan(0);
  expect(await total(`&not_host=${encodeURIComponent(host.toUpperCase())}`)).toBe(all - ofHost);
});
