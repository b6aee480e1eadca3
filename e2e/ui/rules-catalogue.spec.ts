/**
 * The rule catalogue at 1,000+ rules: Elastic's EQL rule set imported through the API, then
 * searched, filtered, bulk-enabled and disabled on the rules page, a rule page opened, an
 * import uploaded on the page; no horizontal scrolling at 1280 px; axe-clean.
 *
 * The seed rule's line is left out of the import so the specs that run after this one keep
 * the bundled seed rule's version; every rule this spec enables is disabled again.
 */
import fs from 'node:fs';
import path from 'node:path';
import { axeViolations } from '../axe';
import { test, expect } from '@playwright/test';
import { SEED_RULE_ID } from '../helpers';

const CORPUS = path.resolve('../shared/rules/eql-rules.jsonl');

const corpusLines = () =>
  fs
    .readFileSync(CORPUS, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.includes(SEED_RULE_ID));

test.use({ viewport: { width: 1280, height: 900 } });

test('import the EQL rule set, then search, filter, bulk-enable and open a rule', async ({ page, request }) => {
  const lines = corpusLines();
  const res = await request.post('/api/rules/import?name=eql-rules.jsonl', { data: Buffer.from(lines.join('\n')), headers: { 'content-type': 'application/x-ndjson' } });
  expect(res.status(), await res.text()).toBe(200);
  const report = (await res.json()) as { summary: string };
  // a first import adds them all; a run against a reused data dir finds them unchanged
  expect(report.summary).toMatch(new RegExp(`^rules import: (${lines.length} added, 0 new version, 0 unchanged|0 added, 0 new version, ${lines.length} unchanged), 0 refused$`));
  const total = lines.length + 1;

  await page.goto('/rules');
  await expect(page.getByTestId('rules-count')).toContainText(`of ${total.toLocaleString('en-US')} rules shown`); // counts are written with the language's digit grouping
  // the seed rule (enabled) comes first; imported rules start disabled
  await expect(page.locator(`[data-testid="rule-row"][data-rule-id="${SEED_RULE_ID}"]`)).toBeVisible();
  // virtualised: far fewer rows in the page than rules
  expect(await page.getByTestId('rule-row').count()).toBeLessThan(100);
  // fits 1280 px
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
  expect(await axeViolations(page)).toBe('');

  // search by name, then by MITRE technique
  const search = page.getByRole('searchbox', { name: 'Search' });
  await search.fill('lsass');
  await expect(page.getByTestId('rule-row').first()).toContainText(/lsass/i);
  await search.fill('T1003.001');
  await expect(page.getByTestId('rules-count')).not.toContainText(`${total} of ${total}`);
  const rows = page.getByTestId('rule-row');
  await expect(rows.first()).toBeVisible();

  // filters: Windows, not deprecated
  await search.fill('');
  await page.getByRole('combobox', { name: /^OS\b/ }).selectOption('Windows');
  await page.getByRole('combobox', { name: /^Deprecated\b/ }).selectOption('no');
  await expect(page.getByTestId('rules-count')).not.toContainText(`${total} of ${total}`);

  // bulk: select the first two macOS rules shown (the demo data is Windows: nothing to detect while they are on), enable them, then disable them again
  await page.getByRole('combobox', { name: /^OS\b/ }).selectOption('macOS');
  const picked = [await rows.nth(0).getAttribute('data-rule-id'), await rows.nth(1).getAttribute('data-rule-id')];
  await rows.nth(0).getByTestId('rule-select').check();
  await rows.nth(1).getByTestId('rule-select').check();
  await page.getByRole('button', { name: 'Enable selected' }).click();
  await expect(page.getByTestId('rules-bulk-result')).toContainText('Changed: 2');
  await page.getByRole('combobox', { name: /^Enabled\b/ }).selectOption('yes');
  for (const id of picked) await expect(page.locator(`[data-testid="rule-row"][data-rule-id="${id}"]`)).toBeVisible();
  await page.getByRole('button', { name: 'Disable selected' }).click();
  await expect(page.getByTestId('rules-bulk-result')).toContainText('Changed: 2');

  // a rule page
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await search.fill('lsass');
  const first = rows.first();
  const name = (await first.getByRole('link').first().textContent())!.trim();
  await first.getByRole('link').first().click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await expect(page.getByTestId('rule-query')).toContainText('where');
  await expect(page.getByRole('heading', { name: 'Index patterns' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'MITRE ATT&CK' })).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
  expect(await axeViolations(page)).toBe('');
});

test('an admin uploads an import file on the rules page and reads the report', async ({ page }) => {
  const known = corpusLines()[0]!;
  await page.goto('/rules');
  await page.getByLabel(/Rule file/).setInputFiles({ name: 'two.ndjson', mimeType: 'application/x-ndjson', buffer: Buffer.from(`${known}\n{"rule_id": "broken"\n`) });
  await page.getByRole('button', { name: 'Upload and import' }).click();
  const report = page.getByTestId('rules-import-report');
  await expect(report).toContainText('rules import: 0 added, 0 new version, 1 unchanged, 1 refused');
  await expect(report).toContainText('two.ndjson:2 rule_id (none): not valid JSON');
});
