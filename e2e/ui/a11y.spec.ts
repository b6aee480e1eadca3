import { test, expect, type Page } from '@playwright/test';
import path from 'node:path';
import { listAlerts, waitForTriage } from '../helpers';

interface AxeResult {
  violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[];
}

async function axe(page: Page): Promise<AxeResult['violations']> {
  await page.addScriptTag({ path: path.resolve('node_modules/axe-core/axe.min.js') });
  const result = await page.evaluate(async () => {
    const w = window as unknown as { axe: { run: (ctx: Document, opts: unknown) => Promise<AxeResult> } };
    return w.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } });
  });
  return result.violations;
}

function describe(v: AxeResult['violations']): string {
  return v.map((x) => `${x.id} (${x.impact}): ${x.help} — ${x.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`).join('\n');
}

test('the alert queue has no WCAG AA violations', async ({ page }) => {
  await page.goto('/alerts');
  await expect(page.getByTestId('alert-row').first()).toBeVisible();
  const v = await axe(page);
  expect(v, describe(v)).toEqual([]);
});

test('the triage page has no WCAG AA violations (with the close dialog open too)', async ({ page, request }) => {
  const [a] = await listAlerts(request, 'pageSize=500&status=open,acknowledged');
  await page.goto(`/alerts/${encodeURIComponent(a!.id)}`);
  await waitForTriage(page);
  let v = await axe(page);
  expect(v, describe(v)).toEqual([]);
  await page.getByRole('button', { name: 'Add exception…' }).click();
  await expect(page.getByRole('dialog')).toBeVisible();
  v = await axe(page);
  expect(v, describe(v)).toEqual([]);
});

test('the rules page has no WCAG AA violations', async ({ page }) => {
  await page.goto('/rules');
  await expect(page.getByTestId('rule-row').first()).toBeVisible();
  await page.getByRole('button', { name: /Backfill and exceptions/ }).first().click();
  // an admin reads the rule files again; the page says what changed (nothing here)
  await page.getByRole('button', { name: 'Reload rule files' }).click();
  await expect(page.getByTestId('rules-reloaded')).toContainText(/Rule files read again\. Rules loaded: \d+; added: 0, with another version: 0, removed: 0\./);
  const v = await axe(page);
  expect(v, describe(v)).toEqual([]);
});

test('the ingest page has no WCAG AA violations', async ({ page }) => {
  await page.goto('/ingest');
  await expect(page.getByRole('heading', { name: 'Ingest events' })).toBeVisible();
  const v = await axe(page);
  expect(v, describe(v)).toEqual([]);
});

test('every page is keyboard-reachable: the skip link comes first', async ({ page }) => {
  await page.goto('/alerts');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
});
