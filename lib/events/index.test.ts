import { afterEach, describe, expect, it, vi } from 'vitest';
import { EventSourceError } from './errors';
import { eventSourceKind, getEventSource, setEventSourceForTesting, validateEventSourceConfig } from './index';

afterEach(() => {
  setEventSourceForTesting(undefined);
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('getEventSource', () => {
  it('picks Elasticsearch when ELASTICSEARCH_URL is set, once (singleton)', () => {
    vi.stubEnv('ELASTICSEARCH_URL', 'http://127.0.0.1:1');
    vi.stubEnv('ELASTICSEARCH_API_KEY', 'k');
    expect(eventSourceKind()).toBe('elasticsearch');
    const s = getEventSource();
    expect(s.kind).toBe('elasticsearch');
    expect(getEventSource()).toBe(s);
  });

  it('an invalid configuration names the variable, and the source reports it instead of crashing', async () => {
    vi.stubEnv('ELASTICSEARCH_URL', 'https://es:9200');
    vi.stubEnv('ELASTICSEARCH_API_KEY', 'k');
    vi.stubEnv('ELASTICSEARCH_TLS_VERIFY', 'perhaps');
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(() => validateEventSourceConfig()).toThrow(/ELASTICSEARCH_TLS_VERIFY: "perhaps" is not a boolean/);
    const s = getEventSource();
    expect(logged).toHaveBeenCalledTimes(1);
    const h = await s.health();
    expect(h).toMatchObject({ kind: 'elasticsearch', ok: false });
    expect(h.detail).toMatch(/ELASTICSEARCH_TLS_VERIFY/);
    const err = await s.eqlSearch({ index: ['x'], query: 'any where true', size: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EventSourceError);
    expect(err).toMatchObject({ retryable: false });
  });

  it('returns warnings (TLS verification off) from validation', () => {
    vi.stubEnv('ELASTICSEARCH_URL', 'https://es:9200');
    vi.stubEnv('ELASTICSEARCH_API_KEY', 'k');
    vi.stubEnv('ELASTICSEARCH_TLS_VERIFY', 'false');
    expect(validateEventSourceConfig().join('\n')).toMatch(/NOT verified/);
  });
});
