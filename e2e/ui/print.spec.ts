import { test, expect } from '@playwright/test';
import { axeViolations } from '../axe';
import { ingestNdjson, runSeedRule, seedRuleEvent } from '../helpers';

/** A4 is 210 mm wide: 794 CSS pixels at 96 px per inch. */
const A4_WIDTH = 794;

test('the printable report fits A4 width in print media (long command line, long note, history table) and has no WCAG AA violations', async ({ page, request }, info) => {
  // an alert whose source event carries a 1,200-character encoded command line
  const at = new Date(Date.now() - 30 * 60_000);
  const host = `ws-print-${Date.now() % 100000}`;
  const ev = seedRuleEvent({ at, host, user: 'CORP\\pprint', path: `C:\\Users\\pprint\\AppData\\Local\\Temp\\${'x'.repeat(120)}\\dropper.exe` });
  (ev.process as Record<string, unknown>).command_line = `powershell.exe -NoProfile -WindowStyle Hidden -EncodedCommand ${'SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQA'.repeat(30)}`;
  await ingestNdjson(request, [ev], 'logs-endpoint.events.file-e2e-print');
  const { created } = await runSeedRule(request, new Date(at.getTime() - 60_000), new Date(at.getTime() + 60_000));
  expect(created.length).toBeGreaterThanOrEqual(1);
  const list = (await (await request.get(`/api/alerts?host=${host}&status=open,acknowledged,closed`)).json()) as { items: { id: string; version: number }[] };
  const alert = list.items[0]!;

  // history: a note with one 500-character word, a step ticked, a status change
  const note = await request.post(`/api/alerts/${encodeURIComponent(alert.id)}/notes`, { data: { body: `decoded: ${'A'.repeat(500)} end` } });
  expect(note.status(), await note.text()).toBe(201);
  const detail = (await (await request.get(`/api/alerts/${encodeURIComponent(alert.id)}`)).json()) as {
    alert: { version: number };
    guide: { sections: { kind: string; steps: { id: string }[] }[] } | null;
  };
  // the first step of the investigation section (a checklist section)
  const first = detail.guide?.sections.find((s) => s.kind === 'investigation' && s.steps.length > 0)?.steps[0];
  expect(first).toBeTruthy();
  const tick = await request.put(`/api/alerts/${encodeURIComponent(alert.id)}/steps/${encodeURIComponent(first!.id)}`, {
    data: { state: 'done', expectedVersion: 0, section: 'guide' },
  });
  expect(tick.status(), await tick.text()).toBe(200);

  await page.setViewportSize({ width: A4_WIDTH, height: 1123 });
  await page.emulateMedia({ media: 'print' });
  await page.goto(`/api/alerts/${encodeURIComponent(alert.id)}/export?format=html`);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  // the history table has rows, the command line is in the page
  await expect(page.locator('table').last()).toBeVisible();
  await expect(page.locator('body')).toContainText('-EncodedCommand');
  const fit = await page.evaluate((w) => {
    const wide = [...document.querySelectorAll<HTMLElement>('body *')]
      .filter((el) => el.getBoundingClientRect().right > w + 0.5)
      .map((el) => `${el.tagName.toLowerCase()}${el.className ? `.${el.className}` : ''}`);
    return { scrollWidth: document.documentElement.scrollWidth, wide: wide.slice(0, 5) };
  }, A4_WIDTH);
  expect(fit.wide).toEqual([]);
  expect(fit.scrollWidth).toBeLessThanOrEqual(A4_WIDTH);
  await info.attach('report-print-a4.png', { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });

  // the printed PDF is A4 (Chromium lays out the print at the page's own size)
  const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true });
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');

  // axe on the report as it shows on screen and in print
  expect(await axeViolations(page)).toBe('');
  await page.emulateMedia({ media: 'screen' });
  expect(await axeViolations(page)).toBe('');
});
