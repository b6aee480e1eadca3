import { expect, type APIRequestContext, type Page } from '@playwright/test';
import { generateDemoData, type DemoStory } from '@/lib/demo/generate';

export const SEED_RULE_ID = 'e94262f2-c1e9-4d3f-a907-aeab16712e1a';

/** The demo stories the server loaded on its first start (same default seed; ids do not depend on the clock). */
export function demoStories(): DemoStory[] {
  return generateDemoData({ now: new Date() }).stories;
}

export interface ListedAlert {
  id: string;
  ruleId: string;
  status: string;
  version: number;
  timestamp: string;
  hostName: string | null;
  filePath: string | null;
  source?: { _index: string; _id: string };
}

export async function listAlerts(request: APIRequestContext, query = 'pageSize=500&status=open,acknowledged,closed'): Promise<ListedAlert[]> {
  const res = await request.get(`/api/alerts?${query}`);
  expect(res.status(), await res.text()).toBe(200);
  const body = (await res.json()) as { items: ListedAlert[] };
  return body.items;
}

export interface AlertState {
  id: string;
  version: number;
  assignee: string | null;
  status: string;
  verdict: string | null;
}

/** One alert's workflow state as the API answers it now (GET /api/alerts/:id, expected 200). */
export async function alertState(request: APIRequestContext, id: string): Promise<AlertState> {
  const res = await request.get(`/api/alerts/${encodeURIComponent(id)}`);
  expect(res.status(), await res.text()).toBe(200);
  return ((await res.json()) as { alert: AlertState }).alert;
}

/** The alert of a demo true-positive story that is still open (the first such story with an alert). */
export async function openTruePositive(request: APIRequestContext, skip: string[] = []): Promise<{ alert: ListedAlert; story: DemoStory }> {
  const alerts = await listAlerts(request, 'pageSize=500&status=open');
  for (const story of demoStories().filter((s) => s.expected === 'alert')) {
    for (const ref of story.mustFire) {
      const alert = alerts.find((a) => a.source?._id === ref._id && a.source._index === ref._index && !skip.includes(a.id));
      if (alert) return { alert, story };
    }
  }
  throw new Error(`no open alert of a demo true-positive story among ${alerts.length} open alerts`);
}

export async function waitForTriage(page: Page) {
  await expect(page.getByTestId('triage-header')).toBeVisible();
  await expect(page.getByTestId('guide-step').first()).toBeVisible();
}

/** Ingests NDJSON through the API and waits until it is stored (a string is a line as it is). */
export async function ingestNdjson(request: APIRequestContext, docs: unknown[], index: string): Promise<void> {
  const res = await request.post(`/api/ingest?format=ecs&index=${encodeURIComponent(index)}&name=e2e.ndjson`, {
    data: Buffer.from(docs.map((d) => (typeof d === 'string' ? d : JSON.stringify(d))).join('\n') + '\n'),
    headers: { 'content-type': 'application/octet-stream' },
  });
  expect(res.status(), await res.text()).toBe(202);
  const { job } = (await res.json()) as { job: { id: string } };
  await expect
    .poll(async () => ((await (await request.get(`/api/ingest?job=${job.id}`)).json()) as { job: { state: string } }).job.state)
    .toBe('done');
}

/** A file-creation event the seed rule fires on (a system-critical process writing an executable). */
export function seedRuleEvent(opts: { at: Date; host: string; user: string; path: string; process?: string }): Record<string, unknown> {
  const name = opts.path.split('\\').pop() ?? opts.path;
  const ext = name.includes('.') ? name.split('.').pop() : undefined;
  const proc = opts.process ?? 'lsass.exe';
  return {
    '@timestamp': opts.at.toISOString(),
    event: { kind: 'event', category: ['file'], type: ['creation'], action: 'creation' },
    host: { name: opts.host, os: { type: 'windows', family: 'windows' } },
    user: { name: opts.user.split('\\').pop(), domain: opts.user.includes('\\') ? opts.user.split('\\')[0] : undefined },
    process: { name: proc, pid: 668, executable: `C:\\Windows\\System32\\${proc}`, entity_id: `e2e-${opts.host}-${opts.at.getTime()}` },
    file: { path: opts.path, name, extension: ext },
  };
}

export async function runSeedRule(request: APIRequestContext, from: Date, to: Date): Promise<{ created: string[]; hits: number }> {
  const res = await request.post(`/api/rules/${SEED_RULE_ID}/run`, { data: { from: from.toISOString(), to: to.toISOString() } });
  expect(res.status(), await res.text()).toBe(200);
  const body = (await res.json()) as { run: { hits: number }; created: string[] };
  return { created: body.created, hits: body.run.hits };
}

/** Moves the guide focus with `j` until the evidence panel is about a step containing `text`. */
export async function focusStep(page: Page, text: string | RegExp, max = 40) {
  await page.locator('body').click({ position: { x: 2, y: 2 } });
  for (let i = 0; i < max; i++) {
    const about = (await page.getByTestId('evidence-for').textContent()) ?? '';
    if (typeof text === 'string' ? about.includes(text) : text.test(about)) return;
    await page.keyboard.press('j');
  }
  throw new Error(`no guide step about ${String(text)}`);
}
