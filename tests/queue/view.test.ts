/**
 * The queue's view in the address (issue 17, item 3) and what the triage page remembers of it:
 * defaults stay out of the address, bad values fall back to the defaults, "status=" means every
 * status, and next/previous alert follow the remembered page order.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { searchOfView, viewOfSearch } from '@/components/triage/alert-queue';
import { neighbourAlert, queueHref, rememberQueue } from '@/components/triage/queue-memory';

describe('queue view ↔ address', () => {
  it('the plain queue is plain /alerts: open and acknowledged, newest first, page 1', () => {
    const v = viewOfSearch(new URLSearchParams(''));
    expect(v).toEqual({ kind: 'alerts', group: '', status: ['open', 'acknowledged'], host: '', user: '', rule: '', q: '', verdict: '', assignee: '', sort: 'timestamp', order: 'desc', page: 1 });
    expect(searchOfView(v)).toBe('');
  });

  it('a filtered, sorted page round-trips', () => {
    const search = 'status=closed&host=ws-fin&q=run+key&verdict=false_positive&assignee=none&sort=host_name&order=asc&page=3';
    const v = viewOfSearch(new URLSearchParams(search));
    expect(v).toEqual({ kind: 'alerts', group: '', status: ['closed'], host: 'ws-fin', user: '', rule: '', q: 'run key', verdict: 'false_positive', assignee: 'none', sort: 'host_name', order: 'asc', page: 3 });
    expect(searchOfView(v)).toBe(search);
  });

  it('"status=" is every status; bad values fall back to the defaults', () => {
    expect(viewOfSearch(new URLSearchParams('status=')).status).toEqual([]);
    expect(searchOfView(viewOfSearch(new URLSearchParams('status=')))).toBe('status=');
    const bad = viewOfSearch(new URLSearchParams('status=nope,open&sort=evil&order=sideways&page=-2&verdict=maybe&assignee=root'));
    expect(bad).toMatchObject({ status: ['open'], sort: 'timestamp', order: 'desc', page: 1, verdict: '', assignee: '' });
  });
});

describe('queue memory (this tab)', () => {
  const g = globalThis as { window?: unknown };
  afterEach(() => {
    delete g.window;
  });

  it('returns to the remembered view and steps through its alerts in order', () => {
    const store = new Map<string, string>();
    g.window = { sessionStorage: { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) } };
    expect(queueHref()).toBe('/alerts');
    rememberQueue('host=ws-fin&order=asc', ['a', 'b', 'c']);
    expect(queueHref()).toBe('/alerts?host=ws-fin&order=asc');
    expect(neighbourAlert('a', 1)).toBe('b');
    expect(neighbourAlert('b', -1)).toBe('a');
    expect(neighbourAlert('c', 1)).toBeNull();
    expect(neighbourAlert('a', -1)).toBeNull();
    expect(neighbourAlert('zzz', 1)).toBeNull();
    store.set('guidepost.queue.ids', '{"not":"a list"}');
    expect(neighbourAlert('a', 1)).toBeNull();
  });

  it('without storage (server, or storage disabled) the pages still work', () => {
    expect(queueHref()).toBe('/alerts');
    expect(neighbourAlert('a', 1)).toBeNull();
  });
});
