import { test, expect } from '@playwright/test';

test('ingest page: upload a file, see progress end in read/stored/rejected with the bad line number', async ({ page }) => {
  const now = new Date().toISOString();
  const good = (pid: number) =>
    JSON.stringify({ '@timestamp': now, event: { category: ['process'], type: ['start'] }, host: { name: 'e2e-ui-ingest' }, process: { name: `p${pid}.exe`, pid } });
  const content = [good(1), good(2), 'this is not json', good(3)].join('\n') + '\n';
  await page.goto('/ingest');
  await page.getByLabel(/^File/).setInputFiles({ name: 'ui-upload.ndjson', mimeType: 'application/x-ndjson', buffer: Buffer.from(content) });
  await page.getByRole('combobox', { name: /^Format/ }).selectOption('ecs');
  await page.getByLabel(/^Index/).fill('logs-e2e-ui-upload');
  await page.getByRole('button', { name: 'Upload and ingest' }).click();
  const job = page.getByTestId('ingest-job');
  await expect(job).toHaveAttribute('data-state', 'done');
  await expect(page.getByTestId('ingest-read')).toHaveText('4');
  await expect(page.getByTestId('ingest-stored')).toHaveText('3');
  await expect(page.getByTestId('ingest-rejected')).toHaveText('1');
  await expect(job.locator('tbody tr').first().locator('td').first()).toHaveText('3');

  // after a reload the server still lists the job (who, when, counts) and shows its report again
  await page.reload();
  const row = page.getByTestId('ingest-recent-row').filter({ hasText: 'ui-upload.ndjson' }).first();
  await expect(row).toContainText('admin');
  await expect(row.locator('td').nth(4)).toHaveText('3');
  await expect(row.locator('td').nth(5)).toHaveText('1');
  await row.getByRole('button', { name: 'Show the ingest of ui-upload.ndjson' }).click();
  await expect(page.getByTestId('ingest-job')).toHaveAttribute('data-state', 'done');
  await expect(page.getByTestId('ingest-stored')).toHaveText('3');
});
