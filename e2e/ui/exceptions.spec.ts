import { test, expect, request as playwrightRequest, type APIRequestContext } from '@playwright/test';
import { ingestNdjson, runSeedRule, seedRuleEvent, waitForTriage } from '../helpers';
import { storageStateOf } from '../auth-users';
import { pageAs } from '../as-user';

/**
 * The exception approval flow (issue 13 High 1): an analyst's exception is a proposal that
 * closes and suppresses nothing; the rules page lists it for a lead, whose approval closes the
 * matching open alert.
 */

async function alertStatus(request: APIRequestContext, id: string): Promise<string> {
  const res = await request.get(`/api/alerts/${encodeURIComponent(id)}`);
  expect(res.status(), await res.text()).toBe(200);
  const body = (await res.json()) as { alert?: { status: string }; status?: string };
  return body.alert?.status ?? body.status ?? '?';
}

test('an analyst proposes an exception; it changes nothing until a lead approves it on the rules page', async ({ browser, request, baseURL }) => {
  const tag = `e2e-exc-${Date.now()}`;
  const t = new Date(Date.now() - 10 * 60_000);
  const paths = [`C:\\Windows\\Temp\\${tag}-a.exe`, `C:\\Windows\\Temp\\${tag}-b.exe`];
  await ingestNdjson(request, paths.map((path, i) => seedRuleEvent({ at: new Date(t.getTime() + i * 1000), host: tag, user: 'SYSTEM', path })), 'logs-endpoint.events.file-e2e');
  const run = await runSeedRule(request, new Date(t.getTime() - 60_000), new Date(t.getTime() + 60_000));
  expect(run.created).toHaveLength(2);
  const [first, second] = run.created as [string, string];

  // the analyst proposes (process.executable and file.path are ticked: it matches the first alert only)
  const analyst = await pageAs(browser, 'analyst');
  try {
    const page = analyst.page;
    await page.goto(`/alerts/${encodeURIComponent(first)}`);
    await waitForTriage(page);
    await page.getByRole('button', { name: 'Add exception…' }).click();
    const dialog = page.getByRole('dialog', { name: /Add an exception/ });
    await expect(dialog.getByText(/Until then it is a proposal/)).toBeVisible();
    await dialog.getByLabel('Comment').fill(`${tag} proposal`);
    await expect(dialog.getByLabel(/close the matching alerts that are still open/)).toBeChecked();
    await dialog.getByRole('button', { name: 'Propose exception' }).click();
    await expect(dialog.getByRole('status')).toContainText('Exception proposed');
    await dialog.getByRole('button', { name: 'Done' }).click();
  } finally {
    await analyst.context.close();
  }
  expect(await alertStatus(request, first)).toBe('open');

  // the lead approves it on the rules page
  const lead = await pageAs(browser, 'lead');
  try {
    const page = lead.page;
    await page.goto('/rules');
    const pending = page.getByRole('region', { name: /Exceptions pending approval/ });
    const row = pending.getByTestId('pending-exception-row').filter({ hasText: `${tag} proposal` });
    await expect(row).toBeVisible();
    await expect(row.getByTestId('exception-state')).toContainText('Pending approval');
    const approve = row.getByRole('button', { name: /^Approve the exception proposed by ali\.analyst/ });
    await approve.focus();
    await expect(approve).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('pending-exception-row').filter({ hasText: `${tag} proposal` })).toHaveCount(0);
  } finally {
    await lead.context.close();
  }
  await expect.poll(() => alertStatus(request, first)).toBe('closed');
  expect(await alertStatus(request, second)).toBe('open');

  // the admin sees it approved, by the lead
  const admin = await playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { origin: baseURL ?? '' }, storageState: storageStateOf('admin') });
  const list = (await (await admin.get(`/api/rules/e94262f2-c1e9-4d3f-a907-aeab16712e1a/exceptions`)).json()) as {
    items: { id: string; comment: string; status: string; decidedBy: string | null }[];
  };
  const mine = list.items.find((x) => x.comment === `${tag} proposal`);
  expect(mine).toMatchObject({ status: 'approved', decidedBy: 'lena.lead' });
  // leave the shared e2e data as it was for the other specs
  expect((await admin.delete(`/api/rules/e94262f2-c1e9-4d3f-a907-aeab16712e1a/exceptions?exceptionId=${mine!.id}`)).status()).toBe(200);
  await admin.dispose();
});
