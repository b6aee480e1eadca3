import { test, expect } from '@playwright/test';
import { storageStateOf } from '../auth-users';
import { apiAs } from '../as-user';
import { alertState, ingestNdjson, runSeedRule, seedRuleEvent } from '../helpers';

const HOST = 'e2e-group-close-host';
const ALERTS = 6;

test.use({ storageState: storageStateOf('analyst') });

test('an analyst closes a whole host group with one verdict in ONE request; the alert that is not theirs is refused with the reason', async ({ page, baseURL }) => {
  const admin = await apiAs('admin', baseURL);
  // alerts of one host, older than anything other specs create
  const t0 = Date.now() - 26 * 24 * 3_600_000;
  const events = Array.from({ length: ALERTS }, (_, i) => seedRuleEvent({ at: new Date(t0 + i * 60_000), host: HOST, user: `e2e-group-user-${i}`, path: `C:\\Windows\\Temp\\e2e-group-${i}.exe` }));
  await ingestNdjson(admin, events, 'logs-endpoint.events.file-e2e-group');
  const { created } = await runSeedRule(admin, new Date(t0 - 60_000), new Date(t0 + (ALERTS + 1) * 60_000));
  expect(created).toHaveLength(ALERTS);
  // one of them is bo's: an analyst may not close it
  const theirs = created[0]!;
  const given = await admin.patch(`/api/alerts/${encodeURIComponent(theirs)}`, { data: { expectedVersion: (await alertState(admin, theirs)).version, assignee: 'bo.analyst' } });
  expect(given.status(), await given.text()).toBe(200);

  try {
    await page.goto(`/?view=alerts&group=host&host=${HOST}`);
    const group = page.locator(`[data-testid="alert-group"][data-group-key="${HOST}"]`);
    await expect(group.getByTestId('group-count')).toHaveText(`${ALERTS} alerts`);

    const writes: string[] = [];
    page.on('request', (req) => {
      if (req.method() !== 'GET' && new URL(req.url()).pathname.startsWith('/api/alerts')) writes.push(`${req.method()} ${new URL(req.url()).pathname}`);
    });
    await group.getByTestId('group-bulk-kind').selectOption('close');
    await group.getByTestId('group-bulk-verdict').selectOption('false_positive');
    await group.getByTestId('group-bulk-apply').click();
    await expect(group.getByTestId('group-bulk-result')).toHaveText(`${ALERTS - 1} changed, 0 already so, 1 refused`);
    // the whole group was one request (no PATCH per alert)
    expect(writes).toEqual(['POST /api/alerts/status']);

    await group.getByText('Why 1 alert was refused').click();
    await expect(group.locator('.bulk-result li')).toHaveText(new RegExp(`^${theirs}: not allowed: this alert is assigned to bo\\.analyst`));

    for (const id of created.slice(1)) {
      expect(await alertState(admin, id)).toMatchObject({ status: 'closed', verdict: 'false_positive', assignee: 'ali.analyst' });
    }
    expect(await alertState(admin, theirs)).toMatchObject({ status: 'open', assignee: 'bo.analyst' });
  } finally {
    // close the one left open, so other tests looking for open alerts do not get it
    const left = await alertState(admin, theirs);
    if (left.status !== 'closed') await admin.patch(`/api/alerts/${encodeURIComponent(theirs)}`, { data: { expectedVersion: left.version, status: 'closed', verdict: 'false_positive' } });
    await admin.dispose();
  }
});
