import { axeViolations } from '../axe';
import { test, expect } from '@playwright/test';
import { listAlerts, waitForTriage } from '../helpers';

test('the alert queue has no WCAG AA violations', async ({ page }) => {
  await page.goto('/alerts');
  await expect(page.getByTestId('alert-row').first()).toBeVisible();
  expect(await axeViolations(page)).toBe('');
});

test('the triage page has no WCAG AA violations (with the close dialog open too)', async ({ page, request }) => {
  const [a] = await listAlerts(request, 'pageSize=500&status=open,acknowledged');
  await page.goto(`/alerts/${encodeURIComponent(a!.id)}`);
  await waitForTriage(page);
  expect(await axeViolations(page)).toBe('');
  await page.getByRole('button', { name: 'Add exception…' }).click();
  await expect(page.getByRole('dialog')).toBeVisible();
  expect(await axeViolations(page)).toBe('');
});

test('the rules page has no WCAG AA violations', async ({ page }) => {
  await page.goto('/rules');
  await expect(page.getByTestId('rule-row').first()).toBeVisible();
  await page.getByRole('button', { name: /Backfill and exceptions/ }).first().click();
  // an admin reads the rule files again; the page says what changed (nothing here)
  await page.getByRole('button', { name: 'Reload rule files' }).click();
  await expect(page.getByTestId('rules-reloaded')).toContainText(/Rule files read again\. Rules loaded: \d+; added: 0, with another version: 0, removed: 0\./);
  expect(await axeViolations(page)).toBe('');
});

test('the ingest page has no WCAG AA violations', async ({ page }) => {
  await page.goto('/ingest');
  await expect(page.getByRole('heading', { name: 'Ingest events' })).toBeVisible();
  expect(await axeViolations(page)).toBe('');
});

test('every page is keyboard-reachable: the skip link comes first', async ({ page }) => {
  await page.goto('/alerts');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
});
