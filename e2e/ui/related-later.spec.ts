import { test, expect } from '@playwright/test';
import { focusStep, ingestNdjson, runSeedRule, seedRuleEvent, waitForTriage } from '../helpers';

// Related alerts look both ways: the earlier of two alerts on one host lists the later one.
test('related alerts: the earlier of two alerts on a host lists the later one, marked later', async ({ page, request }) => {
  const host = 'ws-e2e-later';
  const first = new Date(Date.UTC(2026, 0, 2, 9, 0, 0));
  const second = new Date(first.getTime() + 2 * 3_600_000);
  await ingestNdjson(
    request,
    [
      seedRuleEvent({ at: first, host, user: 'e2e-later', path: 'C:\\Windows\\Temp\\e2e-first.dll' }),
      seedRuleEvent({ at: second, host, user: 'e2e-later', path: 'C:\\Windows\\Temp\\e2e-second.dll' }),
    ],
    'logs-endpoint.events.file-e2e-later',
  );
  const earlier = await runSeedRule(request, new Date(first.getTime() - 60_000), new Date(first.getTime() + 60_000));
  const later = await runSeedRule(request, new Date(second.getTime() - 60_000), new Date(second.getTime() + 60_000));
  expect(earlier.created).toHaveLength(1);
  expect(later.created).toHaveLength(1);

  await page.goto(`/alerts/${encodeURIComponent(earlier.created[0]!)}`);
  await waitForTriage(page);
  await focusStep(page, '48 hours');
  const related = page.getByTestId('related-alerts');
  const row = related.getByTestId('related-alert').filter({ has: page.locator(`a[href="/alerts/${encodeURIComponent(later.created[0]!)}"]`) });
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId('related-when')).toHaveText('later');
  await expect(row.getByTestId('related-reasons')).toContainText(`same host ${host}`);
});
