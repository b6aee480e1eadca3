import { test, expect } from '@playwright/test';
import { demoStories, focusStep, ingestNdjson, listAlerts, runSeedRule, seedRuleEvent, waitForTriage, type ListedAlert } from '../helpers';

async function alertOfStory(request: Parameters<typeof listAlerts>[0], title: RegExp): Promise<{ alert: ListedAlert; at: string; host: string; user: string }> {
  const story = demoStories().find((s) => title.test(s.title));
  if (!story) throw new Error(`no demo story ${title}`);
  const alerts = await listAlerts(request);
  const ref = story.mustFire[0]!;
  const alert = alerts.find((a) => a.source?._id === ref._id && a.source._index === ref._index);
  if (!alert) throw new Error(`the story "${story.title}" has no alert`);
  return { alert, at: story.at, host: story.host, user: story.user };
}

test('triage: evidence beside the steps, tick and not applicable by keyboard', async ({ page, request }) => {
  const { alert, at, host, user } = await alertOfStory(request, /lsass\.exe writes a DLL/);
  // a second alert on the same host 2 hours earlier, so that "related alerts" has something to relate
  const earlier = new Date(Date.parse(at) - 2 * 3_600_000);
  await ingestNdjson(request, [seedRuleEvent({ at: earlier, host, user, path: 'C:\\Windows\\Temp\\e2e-related.dll' })], 'logs-endpoint.events.file-e2e');
  const run = await runSeedRule(request, new Date(earlier.getTime() - 60_000), new Date(earlier.getTime() + 60_000));
  expect(run.created.length).toBe(1);

  await page.goto(`/alerts/${encodeURIComponent(alert.id)}`);
  await waitForTriage(page);
  await expect(page.getByTestId('triage-header')).toContainText(host);

  await focusStep(page, 'process execution chain');
  const tree = page.getByTestId('process-tree');
  await expect(tree).toBeVisible();
  const subject = tree.locator('[data-role="subject"]');
  await expect(subject).toHaveCount(1);
  await expect(subject).toHaveClass(/node-subject/);
  await expect(subject.locator('.node-label').first()).toContainText('lsass.exe');
  expect(await tree.locator('[data-role="ancestor"]').count()).toBeGreaterThan(0);

  await focusStep(page, '48 hours');
  const related = page.getByTestId('related-alerts');
  await expect(related).toBeVisible();
  await expect(related.getByTestId('related-alert').first()).toBeVisible();
  await expect(related.getByTestId('related-reasons').first()).toContainText(/host/i);

  await focusStep(page, 'abnormal behavior');
  await expect(page.getByTestId('activity')).toBeVisible();
  expect(await page.getByTestId('activity-group').count()).toBeGreaterThan(0);

  await focusStep(page, 'DNS cache');
  await expect(page.getByTestId('osquery').first()).toContainText('dns_cache');
  await expect(page.getByTestId('osquery').first()).not.toContainText('{{');

  await focusStep(page, 'Get-FileHash');
  await expect(page.getByTestId('file-evidence')).toContainText('Get-FileHash -Algorithm SHA256');
  // reputation links when the events carry the hash; otherwise the page says to compute it on the host
  const file = page.getByTestId('file-evidence');
  const hasSha256 = (await file.getByText('SHA256', { exact: true }).count()) > 0;
  if (hasSha256) await expect(file.getByRole('link', { name: 'VirusTotal' })).toHaveCount(1);
  else await expect(file).toContainText('compute it on the host');

  await focusStep(page, '4624');
  const logons = page.getByTestId('logons');
  await expect(logons).toBeVisible();
  expect(await logons.getByTestId('logon').count()).toBeGreaterThan(0);

  // tick the focused step with x, then mark the previous one not applicable with a
  const focused = page.locator('[data-testid="guide-step"][data-focused="true"]');
  await page.keyboard.press('x');
  await expect(focused).toHaveAttribute('data-state', 'done');
  await page.keyboard.press('k');
  await page.keyboard.press('a');
  const dialog = page.getByRole('dialog', { name: 'Not applicable: why?' });
  await dialog.getByLabel('Reason (required)').fill('No registry telemetry on this host.');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(page.locator('[data-testid="guide-step"][data-focused="true"]')).toHaveAttribute('data-state', 'not_applicable');
  await expect(page.getByTestId('evidence')).toBeVisible();
  await expect(page.getByTestId('raw-event')).toContainText('"file"');
});

test('triage header: host, user, process and file link to the evidence about them; every value copies', async ({ page, context, request }) => {
  const { alert, host } = await alertOfStory(request, /lsass\.exe writes a DLL/);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto(`/alerts/${encodeURIComponent(alert.id)}`);
  await waitForTriage(page);
  const header = page.getByTestId('triage-header');

  // the host, from the keyboard: its related alerts and logons replace the step's evidence
  await header.getByRole('button', { name: `Show evidence: Host ${host}` }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('evidence-about')).toContainText(`About: Host ${host}`);
  await expect(page.getByTestId('related-alerts')).toBeVisible();
  await expect(page.getByTestId('logons')).toBeVisible();
  await expect(page.getByTestId('process-tree')).toHaveCount(0);

  // the process: its tree and its activity
  await header.getByTestId('entity-process').click();
  await expect(page.getByTestId('evidence-about')).toContainText('About: Process lsass.exe');
  await expect(page.getByTestId('process-tree')).toBeVisible();
  await expect(page.getByTestId('activity')).toBeVisible();

  // the file: its path and hashes
  await header.getByTestId('entity-file').click();
  await expect(page.getByTestId('file-evidence')).toContainText('Get-FileHash -Algorithm SHA256');

  // the way back to the focused step's evidence, and moving the step focus (j) also brings it back
  await page.getByRole('button', { name: 'Back to the focused step\'s evidence' }).click();
  await expect(page.getByTestId('evidence-about')).toHaveCount(0);
  await expect(page.getByTestId('evidence-for')).toBeVisible();
  await header.getByTestId('entity-user').click();
  await expect(page.getByTestId('evidence-about')).toContainText('About: User');
  await page.keyboard.press('j');
  await expect(page.getByTestId('evidence-about')).toHaveCount(0);
  await expect(page.getByTestId('evidence-for')).toBeVisible();

  // copy buttons beside the values, named after what they copy
  await header.getByRole('button', { name: 'Copy Host' }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(host);
  await header.getByRole('button', { name: 'Copy Alert time' }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(alert.timestamp);
  await expect(header.getByRole('button', { name: 'Copy File' })).toBeVisible();
});

test('triage: benign true positive becomes an exception; a new run over the same events raises nothing', async ({ page, request }) => {
  const { alert, at } = await alertOfStory(request, /Benign true positive/);
  await page.goto(`/alerts/${encodeURIComponent(alert.id)}`);
  await waitForTriage(page);

  await page.getByRole('button', { name: 'Close with verdict…' }).click();
  const close = page.getByRole('dialog', { name: 'Close the alert' });
  await close.getByLabel('Benign true positive').check();
  await close.getByLabel('Closing note').fill('Firmware update (WPBT) at boot: expected on this model.');
  await close.getByRole('button', { name: 'Close alert' }).click();
  await page.getByRole('dialog', { name: 'Close with steps still open?' }).getByRole('button', { name: 'Close anyway' }).click();
  await expect(page.getByTestId('verdict')).toHaveText('Benign true positive');

  await page.getByRole('button', { name: 'Add exception…' }).click();
  const dialog = page.getByRole('dialog', { name: /Add an exception/ });
  await expect(dialog.getByRole('group', { name: 'Entry 1' }).getByLabel('Field')).toHaveValue('process.executable');
  await dialog.getByLabel('Comment').fill('WPBT firmware drop by smss.exe');
  await dialog.getByRole('button', { name: 'Add exception' }).click();
  await expect(dialog.getByRole('status')).toContainText('Exception added');
  await dialog.getByRole('button', { name: 'Done' }).click();

  const before = (await listAlerts(request)).length;
  const t = Date.parse(at);
  const again = await runSeedRule(request, new Date(t - 3_600_000), new Date(t + 3_600_000));
  expect(again.created).toEqual([]);
  expect((await listAlerts(request)).length).toBe(before);

  await page.goto('/rules');
  await page.getByRole('button', { name: /Backfill and exceptions/ }).first().click();
  await expect(page.getByTestId('exception-row')).toContainText('WPBT firmware drop by smss.exe');
});

test('triage page: time to interactive (printed, not asserted)', async ({ page, request }) => {
  const [a] = await listAlerts(request);
  const t0 = Date.now();
  await page.goto(`/alerts/${encodeURIComponent(a!.id)}`);
  await expect(page.getByTestId('guide-step').first().getByRole('checkbox').first()).toBeEnabled();
  const ms = Date.now() - t0;
  const nav = await page.evaluate(() => {
    const n = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
    return n ? { domInteractive: Math.round(n.domInteractive), loadEventEnd: Math.round(n.loadEventEnd) } : null;
  });
  console.log(`[tti] triage page of ${a!.id}: checklist interactive ${ms} ms after navigation start (navigation timing ${JSON.stringify(nav)})`);
  expect(ms).toBeGreaterThan(0);
});
