import { describe, expect, it } from 'vitest';
import { configuredKind, loadEventSourceConfig, type ElasticsearchConfig } from './config';
import { clientOptionsFromConfig } from './elasticsearch/client';
import { EventSourceConfigError } from './errors';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUZ\n-----END CERTIFICATE-----\n';
const files: Record<string, string> = { '/etc/guidepost/ca.pem': PEM, '/etc/guidepost/not-a-cert.txt': 'hello' };
const readFile = (p: string): string => {
  if (p in files) return files[p];
  throw Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' });
};

function es(env: Record<string, string>): ElasticsearchConfig {
  const c = loadEventSourceConfig(env, readFile);
  if (c.kind !== 'elasticsearch') throw new Error('expected elasticsearch config');
  return c;
}

function problems(env: Record<string, string>): { variable: string; message: string }[] {
  try {
    loadEventSourceConfig(env, readFile);
  } catch (e) {
    if (e instanceof EventSourceConfigError) return e.problems;
    throw e;
  }
  throw new Error('expected a configuration error');
}

describe('event source configuration', () => {
  it('without ELASTICSEARCH_URL (or with it empty) the embedded store is used', () => {
    expect(loadEventSourceConfig({}, readFile)).toEqual({ kind: 'embedded', warnings: [] });
    expect(loadEventSourceConfig({ ELASTICSEARCH_URL: '  ' }, readFile).kind).toBe('embedded');
    expect(configuredKind({})).toBe('embedded');
    expect(configuredKind({ ELASTICSEARCH_URL: 'https://es:9200' })).toBe('elasticsearch');
  });

  it('warns when Elasticsearch credentials are set without a URL', () => {
    const c = loadEventSourceConfig({ ELASTICSEARCH_API_KEY: 'abc' }, readFile);
    expect(c.kind).toBe('embedded');
    expect(c.warnings.join()).toMatch(/ELASTICSEARCH_API_KEY set but ELASTICSEARCH_URL is not/);
  });

  it('reads URL, API key, CA certificate; TLS verification is on by default', () => {
    const c = es({
      ELASTICSEARCH_URL: 'https://es.corp.example:9200/',
      ELASTICSEARCH_API_KEY: 'VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==',
      ELASTICSEARCH_CA_CERT: '/etc/guidepost/ca.pem',
    });
    expect(c).toMatchObject({
      url: 'https://es.corp.example:9200',
      auth: { type: 'apiKey', apiKey: 'VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==' },
      ca: PEM,
      caPath: '/etc/guidepost/ca.pem',
      tlsVerify: true,
      requestTimeoutMs: 30000,
      evidenceIndex: ['logs-*', 'winlogbeat-*', 'endgame-*'],
      warnings: [],
    });
    expect(clientOptionsFromConfig(c)).toEqual({
      node: 'https://es.corp.example:9200',
      maxRetries: 0,
      requestTimeout: 30000,
      name: 'guidepost',
      auth: { apiKey: 'VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==' },
      tls: { rejectUnauthorized: true, ca: PEM },
    });
  });

  it('reads username/password and credentials embedded in the URL (removed from the URL)', () => {
    expect(es({ ELASTICSEARCH_URL: 'https://es:9200', ELASTICSEARCH_USERNAME: 'guidepost', ELASTICSEARCH_PASSWORD: 'p a ss' }).auth).toEqual({
      type: 'basic',
      username: 'guidepost',
      password: 'p a ss',
    });
    const c = es({ ELASTICSEARCH_URL: 'https://gp:s%40cret@es:9200' });
    expect(c.url).toBe('https://es:9200');
    expect(c.auth).toEqual({ type: 'basic', username: 'gp', password: 's@cret' });
  });

  it('ELASTICSEARCH_TLS_VERIFY=false turns verification off, with a warning', () => {
    const c = es({ ELASTICSEARCH_URL: 'https://es:9200', ELASTICSEARCH_API_KEY: 'k', ELASTICSEARCH_TLS_VERIFY: 'false' });
    expect(c.tlsVerify).toBe(false);
    expect(c.warnings.join()).toMatch(/NOT verified/);
    expect(clientOptionsFromConfig(c).tls).toEqual({ rejectUnauthorized: false });
  });

  it('anonymous access works but is warned about; http URLs get no TLS options', () => {
    const c = es({ ELASTICSEARCH_URL: 'http://localhost:9200' });
    expect(c.auth).toEqual({ type: 'none' });
    expect(c.warnings.join()).toMatch(/anonymous/);
    const o = clientOptionsFromConfig(c);
    expect(o.tls).toBeUndefined();
    expect(o.auth).toBeUndefined();
  });

  it('names each bad variable and what is wrong, all at once', () => {
    expect(
      problems({
        ELASTICSEARCH_URL: 'es.corp.example:9200x',
        ELASTICSEARCH_PASSWORD: 'secret',
        ELASTICSEARCH_TLS_VERIFY: 'maybe',
        ELASTICSEARCH_CA_CERT: '/etc/guidepost/missing.pem',
        ELASTICSEARCH_REQUEST_TIMEOUT_MS: 'soon',
      }).map((p) => p.variable),
    ).toEqual([
      'ELASTICSEARCH_URL',
      'ELASTICSEARCH_USERNAME',
      'ELASTICSEARCH_TLS_VERIFY',
      'ELASTICSEARCH_CA_CERT',
      'ELASTICSEARCH_REQUEST_TIMEOUT_MS',
    ]);
  });

  it('gives specific messages', () => {
    expect(problems({ ELASTICSEARCH_URL: 'ftp://es:21' })[0].message).toMatch(/unsupported scheme "ftp:"/);
    expect(problems({ ELASTICSEARCH_URL: 'not a url' })[0].message).toMatch(/not a valid URL: "not a url"/);
    expect(problems({ ELASTICSEARCH_URL: 'https://es', ELASTICSEARCH_API_KEY: 'k', ELASTICSEARCH_USERNAME: 'u' })[0]).toEqual({
      variable: 'ELASTICSEARCH_API_KEY',
      message: 'set either ELASTICSEARCH_API_KEY or ELASTICSEARCH_USERNAME/ELASTICSEARCH_PASSWORD, not both',
    });
    expect(problems({ ELASTICSEARCH_URL: 'https://es', ELASTICSEARCH_USERNAME: 'u' })[0]).toEqual({
      variable: 'ELASTICSEARCH_PASSWORD',
      message: 'missing (ELASTICSEARCH_USERNAME "u" is set)',
    });
    expect(problems({ ELASTICSEARCH_URL: 'https://es', ELASTICSEARCH_CA_CERT: '/etc/guidepost/missing.pem' })[0].message).toBe(
      'cannot read /etc/guidepost/missing.pem (ENOENT)',
    );
    expect(problems({ ELASTICSEARCH_URL: 'https://es', ELASTICSEARCH_CA_CERT: '/etc/guidepost/not-a-cert.txt' })[0].message).toMatch(
      /holds no PEM certificate/,
    );
    expect(problems({ ELASTICSEARCH_URL: 'https://es', ELASTICSEARCH_REQUEST_TIMEOUT_MS: '5' })[0].message).toMatch(/at least 100 ms/);
    expect(problems({ ELASTICSEARCH_URL: 'https://es', ELASTICSEARCH_EVIDENCE_INDEX: ' , ' })[0]).toEqual({
      variable: 'ELASTICSEARCH_EVIDENCE_INDEX',
      message: 'lists no index pattern',
    });
  });

  it('the error message lists every problem by variable', () => {
    expect(() => loadEventSourceConfig({ ELASTICSEARCH_URL: 'https://es', ELASTICSEARCH_TLS_VERIFY: 'nah' }, readFile)).toThrow(
      'Invalid event source configuration:\n  - ELASTICSEARCH_TLS_VERIFY: "nah" is not a boolean (use true or false)',
    );
  });

  it('reads the evidence index list and the request timeout', () => {
    const c = es({
      ELASTICSEARCH_URL: 'https://es',
      ELASTICSEARCH_API_KEY: 'k',
      ELASTICSEARCH_EVIDENCE_INDEX: 'logs-endpoint.events.*, winlogbeat-*',
      ELASTICSEARCH_REQUEST_TIMEOUT_MS: '5000',
    });
    expect(c.evidenceIndex).toEqual(['logs-endpoint.events.*', 'winlogbeat-*']);
    expect(c.requestTimeoutMs).toBe(5000);
  });
});

describe('a bad ELASTICSEARCH_URL never shows its credentials', () => {
  it('hides the user and password of a URL that does not parse', async () => {
    const { loadEventSourceConfig, redactUrlText } = await import('./config');
    expect(redactUrlText('https://elastic:Xy/9s3cr3t@es.example:9200')).toBe('https://***@es.example:9200');
    expect(redactUrlText('es.example:9200')).toBe('es.example:9200');
    let message = '';
    try {
      loadEventSourceConfig({ ELASTICSEARCH_URL: 'https://elastic:Xy/9s3cr3t@es example:9200' }, () => '');
    } catch (e) {
      message = e instanceof Error ? e.message : String(e);
    }
    expect(message).toContain('ELASTICSEARCH_URL');
    expect(message).not.toContain('s3cr3t');
    expect(message).not.toContain('elastic:');
  });
});
