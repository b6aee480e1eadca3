import { test, expect, request as playwrightRequest, type APIRequestContext } from '@playwright/test';
import { axeViolations } from '../axe';
import { ingestNdjson, runSeedRule, seedRuleEvent } from '../helpers';
import { storageStateOf, USER_PASSWORD, type E2eUser } from '../auth-users';

async function api(user: E2eUser, baseURL: string | undefined): Promise<APIRequestContext> {
  return playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { origin: baseURL ?? '' }, storageState: storageStateOf(user) });
}

test.use({ storageState: storageStateOf('lead') });

test('a lead tells two open investigations on one host apart and assigns one from the dashboard; the page follows changes made elsewhere within seconds', async ({ page, baseURL }) => {
  const admin = await api('admin', baseURL);
  // two alerts of the seed rule on one host, a minute apart, by different processes writing different files
  const host = `ws-dash-${Date.now() % 100000}`;
  const t0 = new Date(Date.now() - 20 * 60_000);
  const t1 = new Date(t0.getTime() + 60_000);
  await ingestNdjson(
    admin,
    [
      seedRuleEvent({ at: t0, host, user: 'CORP\\dana', path: 'C:\\Users\\dana\\AppData\\Local\\Temp\\first-drop.exe', process: 'lsass.exe' }),
      seedRuleEvent({ at: t1, host, user: 'CORP\\dana', path: 'C:\\Windows\\System32\\second-drop.exe', process: 'services.exe' }),
    ],
    'logs-endpoint.events.file-e2e-dash',
  );
  const { created } = await runSeedRule(admin, new Date(t0.getTime() - 60_000), new Date(t1.getTime() + 60_000));
  expect(created.length).toBeGreaterThanOrEqual(2);
  const list = (await (await admin.get(`/api/alerts?host=${host}&status=open&sort=timestamp&order=asc`)).json()) as { items: { id: string }[] };
  expect(list.items).toHaveLength(2);
  const [first, second] = list.items as [{ id: string }, { id: string }];

  // a new analyst with no alert at all
  const free = `fay.free${Date.now() % 100000}`;
  const made = await admin.post('/api/users', { data: { name: free, role: 'analyst', password: USER_PASSWORD } });
  expect(made.status(), await made.text()).toBe(201);

  await page.goto('/dashboard');
  const rowA = page.locator(`[data-investigation="${first.id}"]`);
  const rowB = page.locator(`[data-investigation="${second.id}"]`);
  await expect(rowA).toBeVisible();
  await expect(rowB).toBeVisible();
  // told apart: each says the other is on its host, and shows its own time, process and file
  await expect(rowA.getByTestId('same-host')).toHaveText('1 other open investigation on this host');
  await expect(rowB.getByTestId('same-host')).toHaveText('1 other open investigation on this host');
  await expect(rowA.getByTestId('investigation-subject')).toContainText('lsass.exe');
  await expect(rowA.getByTestId('investigation-subject')).toContainText('first-drop.exe');
  await expect(rowB.getByTestId('investigation-subject')).toContainText('services.exe');
  await expect(rowB.getByTestId('investigation-subject')).toContainText('second-drop.exe');
  await expect(rowA.locator('time').first()).toHaveAttribute('datetime', t0.toISOString());
  await expect(rowB.locator('time').first()).toHaveAttribute('datetime', t1.toISOString());
  // the analyst with no alert has a row, marked free
  await expect(page.locator(`[data-analyst="${free}"]`).getByTestId('analyst-free')).toHaveText('free');
  expect(await axeViolations(page)).toBe('');

  // assign the first to ali.analyst from the dashboard (keyboard: the select, then its button)
  const select = rowA.getByTestId('dash-assignee');
  await expect(select).toHaveAccessibleName(new RegExp(`Assignee of .* on ${host}`));
  await select.selectOption('ali.analyst');
  await rowA.getByTestId('dash-assign').click();
  await expect(page.getByTestId('dash-assign-result')).toContainText(`on ${host} assigned to ali.analyst`);
  await expect(select).toHaveValue('ali.analyst');
  const after = (await (await admin.get(`/api/alerts/${encodeURIComponent(first.id)}`)).json()) as { alert: { assignee: string | null } };
  expect(after.alert.assignee).toBe('ali.analyst');
  await expect(page.locator('[data-analyst="ali.analyst"]')).toBeVisible();

  // a change made elsewhere (the second alert assigned through the API) shows without a reload
  const detail = (await (await admin.get(`/api/alerts/${encodeURIComponent(second.id)}`)).json()) as { alert: { version: number } };
  const started = Date.now();
  const patch = await admin.patch(`/api/alerts/${encodeURIComponent(second.id)}`, { data: { expectedVersion: detail.alert.version, assignee: 'bo.analyst' } });
  expect(patch.status(), await patch.text()).toBe(200);
  await expect(rowB.getByTestId('dash-assignee')).toHaveValue('bo.analyst', { timeout: 12_000 });
  const seconds = (Date.now() - started) / 1000;
  console.log(`dashboard: a change made elsewhere showed after ${seconds.toFixed(1)} s`);
  expect(seconds).toBeLessThan(12);
  await admin.dispose();
});

test('an analyst sees who works an investigation but cannot assign from the dashboard', async ({ browser }) => {
  const context = await browser.newContext({ storageState: storageStateOf('analyst') });
  const page = await context.newPage();
  const res = await page.goto('/dashboard');
  // analysts may or may not have the dashboard; either way there is no assign control
  expect(res?.status()).toBeLessThan(500);
  await expect(page.locator('main')).toBeVisible();
  await expect(page.getByTestId('dash-assignee')).toHaveCount(0);
  await context.close();
});
