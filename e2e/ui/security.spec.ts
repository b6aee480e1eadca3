import { test, expect } from '@playwright/test';
import { ingestNdjson, listAlerts, runSeedRule, seedRuleEvent, waitForTriage } from '../helpers';

const IMG = '<img src=x onerror="window.__xss=1">';
const SCRIPT = '<script>window.__xss=2</script>';

test('event fields and notes with HTML or script are shown as text, never run', async ({ page, request }) => {
  const at = new Date(Date.now() - 10 * 60_000);
  const host = 'e2e-xss-host';
  const path = `C:\\Windows\\Temp\\${IMG}${SCRIPT}.exe`;
  await ingestNdjson(request, [{ ...seedRuleEvent({ at, host, user: 'ACME\\mallory', path }), message: SCRIPT }], 'logs-endpoint.events.file-e2e');
  const run = await runSeedRule(request, new Date(at.getTime() - 60_000), new Date(at.getTime() + 60_000));
  expect(run.created.length).toBe(1);
  const alertId = run.created[0]!;

  await page.goto(`/alerts/${encodeURIComponent(alertId)}`);
  await waitForTriage(page);
  await expect(page.getByTestId('triage-header')).toContainText(IMG);
  await expect(page.getByTestId('raw-event')).toContainText('<script>window.__xss=2</script>');

  await page.getByLabel('Add a note', { exact: true }).fill(`${IMG} and ${SCRIPT}`);
  await page.getByRole('button', { name: 'Add note' }).click();
  await expect(page.getByTestId('note-body').last()).toHaveText(`${IMG} and ${SCRIPT}`);

  await page.reload();
  await waitForTriage(page);
  await expect(page.getByTestId('note-body').last()).toHaveText(`${IMG} and ${SCRIPT}`);
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  expect(await page.locator('main img').count()).toBe(0);
  expect(await page.locator('main script').count()).toBe(0);

  await page.goto('/alerts');
  await expect(page.locator(`[data-alert-id="${alertId}"]`)).toContainText(IMG);
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
});

/**
 * Every page works under the Content-Security-Policy: the policy is there (scripts by nonce,
 * no framing, no plugins), the page renders and hydrates, and the browser reports no violation.
 */
test('every page runs under the CSP with no violation', async ({ page, request, browser, baseURL }) => {
  const [alert] = await listAlerts(request, 'pageSize=1&status=open,acknowledged,closed');
  expect(alert).toBeDefined();
  const pages: [string, string][] = [
    ['/alerts', 'main'],
    [`/alerts/${encodeURIComponent(alert!.id)}`, '[data-testid="triage-header"]'],
    ['/rules', 'main h1'],
    ['/dashboard', 'main h1'],
    ['/ingest', 'main h1'],
    ['/admin/users', '[data-testid="api-tokens"]'],
  ];
  const collect = async (p: typeof page) => {
    const violations: string[] = [];
    p.on('console', (m) => {
      if (/Content[- ]Security[- ]Policy|Refused to (execute|load|apply|connect|frame)/i.test(m.text())) violations.push(m.text());
    });
    await p.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        const w = window as unknown as { __csp?: string[] };
        (w.__csp ??= []).push(`${e.violatedDirective} ${e.blockedURI}`);
      });
    });
    return violations;
  };
  const violations = await collect(page);
  for (const [path, ready] of pages) {
    const res = await page.goto(path);
    const csp = res?.headers()['content-security-policy'] ?? '';
    expect(csp, path).toMatch(/script-src [^;]*'nonce-[^']+'/);
    expect(csp, path).toContain("frame-ancestors 'none'");
    expect(csp, path).toContain("object-src 'none'");
    expect(csp, path).toContain("base-uri 'self'");
    expect(res?.headers()['x-content-type-options'], path).toBe('nosniff');
    expect(res?.headers()['referrer-policy'], path).toBeTruthy();
    await expect(page.locator(ready).first(), path).toBeVisible();
    // hydrated: the client-side header (source status from /api/health) has answered
    await expect(page.getByTestId('source-status'), path).not.toHaveAttribute('data-tone', 'unknown');
    expect(await page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? []), path).toEqual([]);
  }
  // the sign-in page, signed out: it renders, hydrates (the button enables on typing) and signs in
  const anon = await browser.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
  const signin = await anon.newPage();
  const anonViolations = await collect(signin);
  const res = await signin.goto('/signin?next=/%09/evil.example');
  expect(res?.headers()['content-security-policy']).toMatch(/'nonce-/);
  await signin.getByLabel('User name').fill('vic.viewer');
  await signin.getByLabel('Password').fill('e2e-user-password-not-secret');
  await signin.getByRole('button', { name: 'Sign in' }).click();
  // the crafted next is not followed off-site
  await expect(signin).toHaveURL(/\/alerts$/);
  expect(await signin.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? [])).toEqual([]);
  await anon.close();
  expect([...violations, ...anonViolations]).toEqual([]);
});
