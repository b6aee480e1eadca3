import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';

/** The WCAG levels every page is held to (2.2 AA and what it includes). */
const WCAG_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/**
 * axe's WCAG AA findings on the page as it is now, one line each (rule, impact, what it asks,
 * the first elements): '' when there are none, so `expect(await axeViolations(page)).toBe('')`
 * prints what is wrong when it fails.
 */
export async function axeViolations(page: Page, opts: { exclude?: string[] } = {}): Promise<string> {
  let builder = new AxeBuilder({ page }).withTags(WCAG_AA);
  for (const selector of opts.exclude ?? []) builder = builder.exclude(selector);
  const { violations } = await builder.analyze();
  return violations
    .map((v) => `${v.id} (${v.impact ?? 'n/a'}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`)
    .join('\n');
}
