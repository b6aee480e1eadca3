/**
 * Navigation → content usable, timed in the page (the e2e page-times slice and the pages bench,
 * bench/parts/pages.ts, measure alike). "Usable": the element is in the page and React has
 * attached its handlers to it (it carries a __reactFiber$ key; a server-rendered checkbox that
 * cannot be ticked yet does not count), taken from the navigation start (performance.now()),
 * checked on every DOM change and every 10 ms.
 */
import type { Page } from '@playwright/test';

export type Mark = 'queue' | 'checklist' | 'tree';

/** The page's timer, as an init script (it runs before the page's own code). */
export const USABLE_SCRIPT = `(() => {
  const want = { queue: '[data-testid="alert-row"] a.rule-link', checklist: '[data-testid="guide-step"] input[type="checkbox"]', tree: '[data-testid="tree-node"]' };
  const marks = (window.__usable = {});
  const live = (el) => Object.keys(el).some((k) => k.startsWith('__reactFiber$'));
  const check = () => {
    for (const [k, sel] of Object.entries(want)) {
      if (k in marks) continue;
      const el = document.querySelector(sel);
      if (el && live(el)) marks[k] = performance.now();
    }
    if (Object.keys(marks).length === Object.keys(want).length) { clearInterval(timer); observer.disconnect(); }
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { childList: true, subtree: true, attributes: true });
  const timer = setInterval(check, 10);
})();`;

/** Opens `url` in a fresh navigation (the page has USABLE_SCRIPT) and waits for `marks`: their times from navigation start (ms). */
export async function measureUsable(page: Page, url: string, marks: Mark[], timeoutMs: number): Promise<Record<Mark, number>> {
  await page.goto('about:blank');
  await page.goto(url, { waitUntil: 'commit' });
  await page.waitForFunction((ms: string[]) => ms.every((m) => m in ((window as unknown as { __usable?: Record<string, number> }).__usable ?? {})), marks, {
    timeout: timeoutMs,
    polling: 50,
  });
  return page.evaluate(() => (window as unknown as { __usable: Record<Mark, number> }).__usable);
}
