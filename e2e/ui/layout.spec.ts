import { test, expect, type Page } from '@playwright/test';
import { listAlerts, waitForTriage } from '../helpers';

/** How far the page scrolls sideways (0: it does not). */
const sideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

test.describe('1024 × 768', () => {
  test.use({ viewport: { width: 1024, height: 768 } });

  test('the alert queue fits without sideways scrolling; paths are cut in the middle, the file name stays', async ({ page }) => {
    await page.goto('/alerts?view=alerts');
    await expect(page.getByTestId('alert-row').first()).toBeVisible();
    expect(await sideways(page)).toBe(0);
    // the table itself does not scroll sideways either, and every row's last cell ends inside it
    const fit = await page.evaluate(() => {
      const queue = document.querySelector<HTMLElement>('.queue')!;
      const body = queue.querySelector<HTMLElement>('.queue-body')!;
      const right = queue.getBoundingClientRect().right;
      const rows = [...document.querySelectorAll<HTMLElement>('[data-testid="alert-row"]')];
      return {
        queue: queue.scrollWidth - queue.clientWidth,
        body: body.scrollWidth - body.clientWidth,
        rowsOut: rows.filter((r) => [...r.children].some((c) => (c as HTMLElement).offsetWidth > 0 && c.getBoundingClientRect().right > right + 0.5)).length,
        headers: [...queue.querySelectorAll('[role="columnheader"]')].filter((h) => (h as HTMLElement).offsetWidth > 0).map((h) => h.textContent?.trim()),
      };
    });
    expect(fit).toMatchObject({ queue: 0, body: 0, rowsOut: 0 });
    // what an analyst triages by stays: rule, host, user, process, file, time, status, assignee
    for (const h of ['Severity', 'Rule', 'Host', 'User', 'Process', 'File', 'Timestamp', 'Status', 'Assignee']) expect(fit.headers.join('|')).toContain(h);

    // a long path: its folders are cut ("…"), its file name is whole and on screen; the DOM
    // (what a screen reader reads) and the tooltip hold the whole path
    const alerts = await listAlerts(page.request, 'pageSize=500&status=open,acknowledged');
    const long = alerts.filter((a) => (a.filePath ?? '').length > 40);
    expect(long.length).toBeGreaterThan(0);
    let checked = 0;
    for (const a of long) {
      const cut = page.locator(`[data-alert-id="${a.id}"] [data-testid="middle-cut"]`);
      if ((await cut.count()) === 0) continue;
      const m = await cut.evaluate((el) => {
        const head = el.querySelector<HTMLElement>('.middle-cut-head')!;
        const tail = el.querySelector<HTMLElement>('.middle-cut-tail')!;
        const cell = el.closest<HTMLElement>('[role="cell"]')!.getBoundingClientRect();
        const t = tail.getBoundingClientRect();
        return {
          text: el.textContent,
          title: el.getAttribute('title'),
          headCut: head.scrollWidth > head.clientWidth,
          // a file name wider than the whole column is cut at its end; any other is whole
          tailFits: tail.scrollWidth <= cell.width,
          tailWhole: tail.scrollWidth <= tail.clientWidth,
          tailInside: t.left >= cell.left - 0.5 && t.right <= cell.right + 0.5,
          tail: tail.textContent,
        };
      });
      expect(m.text).toBe(a.filePath);
      expect(m.title).toBe(a.filePath);
      expect(m.tail).toBe(a.filePath!.split('\\').pop());
      expect(m.tailInside).toBe(true);
      if (!m.tailFits) continue;
      expect(m.tailWhole).toBe(true);
      if (m.headCut) checked++;
    }
    // at 1024 px at least one of them really is cut (else this test proves nothing)
    expect(checked).toBeGreaterThan(0);
  });

  test('the rules table keeps its actions on screen', async ({ page }) => {
    await page.goto('/rules');
    const row = page.getByTestId('rule-row').first();
    await expect(row).toBeVisible();
    expect(await sideways(page)).toBe(0);
    const width = page.viewportSize()!.width;
    for (const name of ['Run now', /Backfill and exceptions/]) {
      const box = (await row.getByRole('button', { name }).boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(width);
    }
  });
});

test.describe('200 % zoom (a 1280 × 800 screen shows 640 × 400 CSS pixels)', () => {
  test.use({ viewport: { width: 640, height: 400 } });

  test('the app bar wraps instead of scrolling sideways; each of its links is reached with Tab', async ({ page }) => {
    await page.goto('/alerts');
    await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
    expect(await sideways(page)).toBe(0);
    const header = page.locator('.app-header');
    expect(await header.evaluate((el) => el.scrollWidth - el.clientWidth)).toBe(0);
    const links = page.getByRole('navigation', { name: 'Main' }).getByRole('link');
    const names = await links.allTextContents();
    expect(names.length).toBeGreaterThanOrEqual(4);
    // every link lies inside the window, and Tab reaches each in turn
    await page.locator('body').click({ position: { x: 1, y: 1 } });
    for (const name of names) {
      const link = links.filter({ hasText: name }).first();
      const box = (await link.boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(640);
      for (let i = 0; i < 20 && !(await link.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
      await expect(link).toBeFocused();
    }
  });

  test('j/k change the evidence panel in sight: it sits under the checklist on screen, the focused step stays clear of it', async ({ page, request }) => {
    const [a] = await listAlerts(request, 'pageSize=500&status=open,acknowledged');
    await page.goto(`/alerts/${encodeURIComponent(a!.id)}`);
    await waitForTriage(page);
    expect(await sideways(page)).toBe(0);
    // the header's file: cut in the middle, its name on screen, the whole path in the button's name
    if (a!.filePath) {
      const file = page.getByTestId('entity-file');
      await expect(file).toHaveAccessibleName(new RegExp(a!.filePath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
      const tail = (await file.locator('.middle-cut-tail').boundingBox())!;
      expect(tail.x + tail.width).toBeLessThanOrEqual(640);
      await expect(file.locator('.middle-cut-tail')).toHaveText(a!.filePath.split('\\').pop()!);
    }
    await page.locator('body').click({ position: { x: 1, y: 1 } });
    for (let i = 0; i < 6; i++) {
      await page.keyboard.press('j');
      const step = page.locator('[data-testid="guide-step"][data-focused="true"]');
      await expect(step).toBeFocused();
      const geo = await page.evaluate(() => {
        const s = document.querySelector<HTMLElement>('[data-testid="guide-step"][data-focused="true"] .step-row')!.getBoundingClientRect();
        const e = document.getElementById('evidence')!.getBoundingClientRect();
        return { stepTop: s.top, stepBottom: s.bottom, evTop: e.top, evBottom: e.bottom, h: window.innerHeight };
      });
      // the panel is on screen (its top inside the window, its bottom at the window's bottom)
      expect(geo.evTop).toBeLessThan(geo.h - 80);
      expect(geo.evBottom).toBeLessThanOrEqual(geo.h + 1);
      // the focused step's row is above the panel, not under it
      expect(geo.stepTop).toBeGreaterThanOrEqual(0);
      expect(geo.stepTop).toBeLessThan(geo.evTop);
      // and the panel is about that step
      const stepText = ((await step.locator('.step-text').first().textContent()) ?? '').trim().slice(0, 30);
      await expect(page.getByTestId('evidence-for')).toContainText(stepText);
    }
  });

  test('history shows steps by their text, never an internal step id or JSON', async ({ page, request }) => {
    const alerts = await listAlerts(request, 'pageSize=500&status=open,acknowledged');
    const a = alerts[alerts.length - 1]!;
    await page.goto(`/alerts/${encodeURIComponent(a.id)}`);
    await waitForTriage(page);
    const step = page.getByTestId('guide-step').first();
    const text = ((await step.locator('.step-text').first().textContent()) ?? '').trim();
    const id = (await step.getAttribute('data-step-id')) ?? '';
    expect(id.length).toBeGreaterThan(0);
    await step.getByRole('checkbox').first().click();
    await expect(step).toHaveAttribute('data-state', /done|open/);
    const entry = page.getByTestId('history-entry').filter({ hasText: text.slice(0, 30) }).first();
    await expect(entry).toBeVisible();
    const history = (await page.getByTestId('alert-history').textContent()) ?? '';
    expect(history).not.toContain(id);
    expect(history).not.toMatch(/[{[]"/);
  });
});
