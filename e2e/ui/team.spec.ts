import { test, expect, type APIRequestContext } from '@playwright/test';
import { listAlerts, waitForTriage, type ListedAlert } from '../helpers';
import { e2eUsers } from '../auth-users';
import { apiAs, pageAs } from '../as-user';

interface GuideStepJson {
  id: string;
  text: string;
  children: GuideStepJson[];
}
interface DetailJson {
  alert: { version: number; assignee: string | null; status: string };
  guide: { sections: { steps: GuideStepJson[] }[] } | null;
  steps: { state: string }[];
}

async function detail(ctx: APIRequestContext, id: string): Promise<DetailJson> {
  const res = await ctx.get(`/api/alerts/${encodeURIComponent(id)}`);
  expect(res.status(), await res.text()).toBe(200);
  return (await res.json()) as DetailJson;
}

const flat = (steps: GuideStepJson[]): GuideStepJson[] => steps.flatMap((s) => [s, ...flat(s.children)]);

/** An open, unassigned alert of a rule with a guide, not used by another test here. */
async function freshAlert(request: APIRequestContext, skip: string[]): Promise<ListedAlert> {
  const alerts = await listAlerts(request, 'pageSize=500&status=open&assignee=none');
  for (const a of alerts.reverse()) {
    if (skip.includes(a.id)) continue;
    const d = await detail(request, a.id);
    // untouched: other specs (the printable report's, the layout's) work open alerts without taking them
    if (d.guide && flat(d.guide.sections.flatMap((s) => s.steps)).length >= 3 && d.steps.every((s) => s.state === 'open')) return a;
  }
  throw new Error('no open unassigned alert with a guide');
}

const used: string[] = [];

test('sign-in is required on every page; signing in returns to the page asked for', async ({ browser }) => {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  for (const path of ['/', '/alerts', '/alerts/some-id', '/rules', '/ingest', '/dashboard', '/admin/users']) {
    await page.goto(path);
    await expect(page, path).toHaveURL(/\/signin(\?|$)/);
    await expect(page.getByRole('heading', { name: 'Sign in to Guidepost' })).toBeVisible();
  }
  await page.goto('/signin?next=%2Fdashboard');
  await page.getByLabel('User name').fill(e2eUsers.lead.name);
  await page.getByLabel('Password').fill('wrong password!!');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('signin-error')).toContainText('Wrong user name or password');
  await page.getByLabel('Password').fill(e2eUsers.lead.password);
  await page.getByLabel('Password').press('Enter');
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByTestId('signed-in-as')).toContainText('lena.lead');
  // an unknown cookie is no session: the page's data calls get 401 and the browser goes to sign-in
  await context.clearCookies();
  await context.addCookies([{ name: 'gp_session', value: 'forged', url: page.url() }]);
  await page.goto('/alerts');
  await expect(page).toHaveURL(/\/signin/);
  await context.close();
});

test('an analyst cannot reach admin or lead-only actions: the UI hides them and the API refuses', async ({ browser, baseURL, request }) => {
  const { context, page } = await pageAs(browser, 'analyst');
  await page.goto('/alerts');
  await expect(page.getByTestId('signed-in-as')).toContainText('ali.analyst');
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Alerts' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Dashboard' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Users' })).toHaveCount(0);
  await expect(page.getByText('Assign selected to')).toHaveCount(0);
  await page.goto('/dashboard');
  await expect(page.getByTestId('forbidden')).toBeVisible();
  await page.goto('/admin/users');
  await expect(page.getByTestId('forbidden')).toBeVisible();
  const [a] = await listAlerts(request, 'pageSize=5&status=open');
  await page.goto(`/alerts/${encodeURIComponent(a!.id)}`);
  await waitForTriage(page);
  await expect(page.getByTestId('assign-control')).toHaveCount(0);
  const ctx = await apiAs('analyst', baseURL);
  expect((await ctx.get('/api/dashboard')).status()).toBe(403);
  expect((await ctx.post('/api/users', { data: { name: 'x1', role: 'admin' } })).status()).toBe(403);
  await ctx.dispose();
  await context.close();
});

test('a lead assigns an alert, the analyst finds it under "my alerts", works it, the dashboard shows the progress', async ({ browser, request }) => {
  const alert = await freshAlert(request, used);
  used.push(alert.id);

  // the lead assigns from the triage header
  const lead = await pageAs(browser, 'lead');
  await lead.page.goto(`/alerts/${encodeURIComponent(alert.id)}`);
  await waitForTriage(lead.page);
  const control = lead.page.getByTestId('assign-control');
  await control.getByLabel('Assignee').selectOption('ali.analyst');
  await control.getByRole('button', { name: 'Assign' }).click();
  await expect(lead.page.getByTestId('triage-header')).toContainText('ali.analyst');
  await expect(lead.page.getByTestId('alert-history')).toContainText('assignee: — → ali.analyst');

  // the dashboard before: 0 steps done for this alert
  await lead.page.goto('/dashboard');
  const row = lead.page.locator(`[data-investigation="${alert.id}"]`);
  await expect(row).toContainText('ali.analyst');
  await expect(row.getByTestId('progress-text')).toContainText(/^\s*0 \/ \d+/);

  // the analyst sees it under "my alerts" and works it
  const analyst = await pageAs(browser, 'analyst');
  await analyst.page.goto('/alerts');
  await analyst.page.getByLabel('My alerts').check();
  await expect(analyst.page.locator(`[data-alert-id="${alert.id}"]`)).toBeVisible();
  const shownAssignees = await analyst.page.getByTestId('alert-row').count();
  expect(shownAssignees).toBeGreaterThanOrEqual(1);
  await analyst.page.locator(`[data-alert-id="${alert.id}"] a.rule-link`).click();
  await waitForTriage(analyst.page);
  const steps = analyst.page.getByTestId('guide-step');
  await steps.nth(0).getByRole('checkbox').first().click();
  await expect(steps.nth(0)).toHaveAttribute('data-state', 'done');
  await steps.nth(1).getByRole('checkbox').first().click();
  await expect(steps.nth(1)).toHaveAttribute('data-state', 'done');

  // the lead's dashboard shows the change
  await lead.page.reload();
  await expect(lead.page.locator(`[data-investigation="${alert.id}"]`).getByTestId('progress-text')).toContainText(/^\s*2 \/ \d+/);
  await expect(lead.page.locator('[data-analyst="ali.analyst"]')).toBeVisible();
  await Promise.all([lead.context.close(), analyst.context.close()]);
});

test('two people change the same alert: notes both stay, a stale status change gets a clear message', async ({ browser, request }) => {
  const alert = await freshAlert(request, used);
  used.push(alert.id);
  const one = await pageAs(browser, 'lead');
  const two = await pageAs(browser, 'admin');
  await one.page.goto(`/alerts/${encodeURIComponent(alert.id)}`);
  await two.page.goto(`/alerts/${encodeURIComponent(alert.id)}`);
  await Promise.all([waitForTriage(one.page), waitForTriage(two.page)]);

  await one.page.getByLabel('Add a note', { exact: true }).fill('note from the lead');
  await one.page.getByRole('button', { name: 'Add note' }).click();
  await two.page.getByLabel('Add a note', { exact: true }).fill('note from the admin');
  await two.page.getByRole('button', { name: 'Add note' }).click();
  await expect(two.page.getByTestId('notes')).toContainText('note from the admin');

  // one acknowledges; two still holds the old version and tries to close
  await one.page.getByRole('button', { name: 'Acknowledge' }).click();
  await expect(one.page.getByTestId('triage-header')).toContainText('acknowledged');
  await two.page.getByRole('button', { name: 'Close with verdict…' }).click();
  const dialog = two.page.getByRole('dialog', { name: 'Close the alert' });
  await dialog.getByLabel('False positive', { exact: true }).check();
  await dialog.getByRole('button', { name: 'Close alert' }).click();
  await two.page.getByRole('dialog', { name: 'Close with steps still open?' }).getByRole('button', { name: 'Close anyway' }).click();
  await expect(two.page.getByRole('alert').filter({ hasText: 'changed by someone else' })).toBeVisible();

  const d = (await (await request.get(`/api/alerts/${encodeURIComponent(alert.id)}`)).json()) as { alert: { status: string }; notes: { body: string }[] };
  expect(d.alert.status).toBe('acknowledged');
  expect(d.notes.map((n) => n.body)).toEqual(expect.arrayContaining(['note from the lead', 'note from the admin']));
  await Promise.all([one.context.close(), two.context.close()]);
});

test('the Markdown export of a worked alert has every ticked step with its note; the printable report renders', async ({ page, request, baseURL }) => {
  const alert = await freshAlert(request, used);
  used.push(alert.id);
  const d = await detail(request, alert.id);
  const steps = flat(d.guide!.sections.flatMap((s) => s.steps)).slice(0, 3);
  const analyst = await apiAs('analyst', baseURL);
  const take = await analyst.patch(`/api/alerts/${encodeURIComponent(alert.id)}`, { data: { expectedVersion: d.alert.version, assignee: 'ali.analyst' } });
  expect(take.status(), await take.text()).toBe(200);
  for (const [i, s] of steps.entries()) {
    const res = await analyst.put(`/api/alerts/${encodeURIComponent(alert.id)}/steps/${encodeURIComponent(s.id)}`, {
      data: { state: 'done', expectedVersion: 0, note: `checked <b>${i}</b> | pipe` },
    });
    expect(res.status(), await res.text()).toBe(200);
  }
  await analyst.dispose();

  const md = await request.get(`/api/alerts/${encodeURIComponent(alert.id)}/export?format=markdown&download=1`);
  expect(md.status()).toBe(200);
  expect(md.headers()['content-disposition']).toContain('attachment');
  const text = await md.text();
  const ticked = text.split('\n').filter((l) => l.includes('- [x] '));
  expect(ticked.length).toBe(steps.length);
  for (let i = 0; i < steps.length; i++) expect(text).toContain(`checked`);
  for (let i = 0; i < steps.length; i++) expect(text).toMatch(new RegExp(`checked .{0,12}${i}`));
  expect(text).toContain('ali.analyst');

  await page.goto(`/alerts/${encodeURIComponent(alert.id)}`);
  await waitForTriage(page);
  const [report] = await Promise.all([page.waitForEvent('popup'), page.getByRole('link', { name: 'Printable report' }).click()]);
  await report.waitForLoadState();
  await expect(report.locator('h1')).toBeVisible();
  await expect(report.locator('body')).toContainText('checked <b>0</b> | pipe');
  expect(await report.locator('body b').count()).toBe(0);
});

test('the queue\'s Export CSV downloads every alert the filters match, in the queue\'s order', async ({ page, request }) => {
  const listed = await listAlerts(request, 'pageSize=500&status=open,acknowledged&sort=timestamp&order=desc');
  await page.goto('/alerts');
  await expect(page.getByTestId('alert-row').first()).toBeVisible();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export CSV' }).click()]);
  expect(download.suggestedFilename()).toMatch(/^alerts-.+\.csv$/);
  const fs = await import('node:fs/promises');
  const text = await fs.readFile((await download.path())!, 'utf8');
  const lines = text.trimEnd().split('\r\n');
  expect(lines[0]!.split(',').slice(0, 3)).toEqual(['id', 'timestamp', 'severity']);
  // the queue page's default filters: open and acknowledged, newest first
  expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(listed.map((a) => a.id));
});

test('the language switch shows the interface in Simplified Chinese', async ({ browser }) => {
  const { context, page } = await pageAs(browser, 'viewer');
  await page.goto('/alerts');
  await page.getByLabel('Language').selectOption('zh');
  await expect(page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '告警' })).toBeVisible();
  await expect(page.getByTestId('signed-in-as')).toContainText('查看者');
  await page.getByLabel('语言').selectOption('en');
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Alerts' })).toBeVisible();
  await context.close();
});
