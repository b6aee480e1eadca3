import { axeViolations } from '../axe';
import { test, expect, request as playwrightRequest } from '@playwright/test';
import { listAlerts, waitForTriage } from '../helpers';
import { storageStateOf } from '../auth-users';

// bo.analyst switches to Chinese here (and back at the end); no other test signs in as bo in a browser before this one
test.use({ storageState: storageStateOf('analyst2') });

test('switched to 中文, the queue and the triage page are in Chinese, also after a reload', async ({ page, request, baseURL }) => {
  const [alert] = await listAlerts(request, 'pageSize=50&status=open&assignee=none');
  try {
    await page.goto('/alerts');
    await expect(page.getByRole('columnheader', { name: 'Severity' })).toBeVisible();
    await page.getByLabel('Language').selectOption('zh');

    // the queue: title, column headers, a filter, the status values of the rows
    await expect(page.getByRole('heading', { name: '告警', level: 1 })).toBeVisible();
    await expect(page.getByRole('columnheader', { name: '严重性' })).toBeVisible();
    await expect(page.getByRole('columnheader', { name: '状态' })).toBeVisible();
    await expect(page.getByRole('button', { name: '应用筛选' })).toBeVisible();
    await expect(page.getByRole('group', { name: '状态' }).getByLabel('已确认')).toBeVisible();
    const firstStatus = page.getByTestId('alert-row').first().locator('.badge[data-value]').last();
    await expect(firstStatus).toHaveText(/^(待处理|已确认|已关闭)$/);
    await expect(page.getByRole('navigation', { name: '分页' }).getByRole('button', { name: '下一页' })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-Hans');

    // the server already renders the user's language (no English first paint)
    const html = await (await page.request.get('/alerts')).text();
    expect(html).toContain('<html lang="zh-Hans"');
    await page.reload();
    await expect(page.getByRole('columnheader', { name: '严重性' })).toBeVisible();
    await expect(page.getByTestId('alert-row').first().locator('.badge[data-value]').last()).toHaveText(/^(待处理|已确认|已关闭)$/);
    expect(await axeViolations(page)).toBe('');

    // the triage page: header labels, status value, actions, checklist and evidence
    await page.goto(`/alerts/${encodeURIComponent(alert!.id)}`);
    await waitForTriage(page);
    const header = page.getByTestId('triage-header');
    await expect(header.locator('.badge.status-open')).toHaveText('待处理');
    await expect(header.getByText('告警时间')).toBeVisible();
    await expect(header.getByRole('button', { name: '给出结论并关闭…' })).toBeVisible();
    await expect(page.getByTestId('verdict')).toHaveText('尚无结论');
    await expect(page.getByTestId('progress')).toContainText(/已完成 \d+\/\d+ 步/);
    await expect(page.getByRole('heading', { name: '证据', level: 2 })).toBeVisible();
    await expect(page.getByRole('heading', { name: '备注', level: 2 })).toBeVisible();
    await expect(page.getByTestId('guide-step').first().getByRole('button', { name: /^不适用/ })).toBeVisible();
    // the close dialog: its title and the verdicts
    await header.getByRole('button', { name: '给出结论并关闭…' }).click();
    const dialog = page.getByRole('dialog', { name: '关闭告警' });
    for (const verdict of ['真阳性', '良性真阳性', '误报']) await expect(dialog.getByLabel(verdict, { exact: true })).toBeVisible();
    await dialog.getByRole('button', { name: '取消' }).click();
    await expect(dialog).toHaveCount(0);

    await page.reload();
    await waitForTriage(page);
    await expect(page.getByTestId('triage-header').locator('.badge.status-open')).toHaveText('待处理');
    await expect(page.getByTestId('triage-header').getByText('告警时间')).toBeVisible();
    expect(await axeViolations(page)).toBe('');

    // the API and its machine fields stay English
    const res = await request.get(`/api/alerts/${encodeURIComponent(alert!.id)}`);
    expect(((await res.json()) as { alert: { status: string } }).alert.status).toBe('open');
    // the case exports this user makes speak Chinese too (Markdown, the printable report); JSON stays as the API
    const md = await (await page.request.get(`/api/alerts/${encodeURIComponent(alert!.id)}/export?format=markdown`)).text();
    expect(md).toContain('## 检查清单');
    expect(md).toMatch(/\| 状态 +\| 待处理 +\|/);
    const [report] = await Promise.all([page.waitForEvent('popup'), page.getByRole('link', { name: '可打印报告' }).click()]);
    await report.waitForLoadState();
    await expect(report.getByRole('heading', { level: 2, name: '检查清单' })).toBeVisible();
    await expect(report.locator('html')).toHaveAttribute('lang', 'zh-Hans');
    await report.close();
    const json = (await (await page.request.get(`/api/alerts/${encodeURIComponent(alert!.id)}/export?format=json`)).json()) as { alert: { status: string } };
    expect(json.alert.status).toBe('open');

    await page.getByLabel('语言').selectOption('en');
    await expect(page.getByTestId('triage-header').getByText('Alert time')).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  } finally {
    const bo = await playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { origin: baseURL ?? '' }, storageState: storageStateOf('analyst2') });
    await bo.patch('/api/auth/me', { data: { language: 'en' } });
    await bo.dispose();
  }
});

test('before sign-in the page speaks the browser\'s language (Accept-Language)', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'zh-CN', storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  try {
    await page.goto('/dashboard');
    await expect(page).toHaveURL(/\/signin/);
    await expect(page.getByRole('heading', { name: '登录 Guidepost', level: 1 })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-Hans');
    await page.getByLabel('用户名').fill('nobody.zh');
    await page.getByLabel('密码').fill('not the password');
    await page.getByRole('button', { name: '登录' }).click();
    await expect(page.getByTestId('signin-error')).toHaveText('用户名或密码错误。');
    expect(await axeViolations(page)).toBe('');
  } finally {
    await context.close();
  }
});

test('a page carries only its own language: no script of an English page holds the Chinese texts', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'en-US', storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  const scripts: Promise<string>[] = [];
  page.on('response', (res) => {
    if (res.request().resourceType() === 'script') scripts.push(res.text().catch(() => ''));
  });
  try {
    await page.goto('/signin');
    await expect(page.getByRole('heading', { name: 'Sign in to Guidepost', level: 1 })).toBeVisible();
    await page.waitForLoadState('networkidle');
    const bodies = await Promise.all(scripts);
    expect(bodies.length).toBeGreaterThan(0);
    // '主导航' is the Chinese main-navigation label, '仪表板' the dashboard's, '个事件' a count of the
    // incident pages' texts (an area module): all only in the zh chunks
    expect(bodies.filter((b) => ['主导航', '仪表板', '个事件'].some((zh) => b.includes(zh))).length).toBe(0);
  } finally {
    await context.close();
  }
});
