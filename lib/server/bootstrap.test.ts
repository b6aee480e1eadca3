/**
 * Start-up validation of the event source configuration: each problem is logged with its
 * variable, nothing throws, and the source built afterwards reports the problem in health.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { getEventSource, setEventSourceForTesting } from '../events';
import { checkEventSourceConfig } from './bootstrap';

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  setEventSourceForTesting(undefined);
});

describe('checkEventSourceConfig', () => {
  it('logs each bad variable by name and does not throw', async () => {
    vi.stubEnv('ELASTICSEARCH_URL', 'not a url');
    vi.stubEnv('ELASTICSEARCH_REQUEST_TIMEOUT_MS', 'soon');
    const lines: string[] = [];
    const problems = await checkEventSourceConfig((m) => lines.push(m));
    expect(problems.map((p) => p.variable).sort()).toEqual(['ELASTICSEARCH_REQUEST_TIMEOUT_MS', 'ELASTICSEARCH_URL']);
    expect(lines.some((l) => l.trim().startsWith('ELASTICSEARCH_URL:'))).toBe(true);
    expect(lines.some((l) => l.trim().startsWith('ELASTICSEARCH_REQUEST_TIMEOUT_MS:') && l.includes('soon'))).toBe(true);
  });

  it('the server keeps going: health of the source shows the misconfiguration', async () => {
    vi.stubEnv('ELASTICSEARCH_URL', 'not a url');
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    await checkEventSourceConfig(() => undefined);
    setEventSourceForTesting(undefined);
    const h = await getEventSource().health();
    expect(h.ok).toBe(false);
    expect(h.detail).toContain('ELASTICSEARCH_URL');
  });

  it('a valid configuration logs nothing', async () => {
    vi.stubEnv('ELASTICSEARCH_URL', 'http://localhost:9200');
    const lines: string[] = [];
    expect(await checkEventSourceConfig((m) => lines.push(m))).toEqual([]);
    expect(lines).toEqual([]);
  });
});
