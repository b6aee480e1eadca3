/**
 * The real client (its own HTTP connection, no mock) against a local HTTPS server with a
 * self-signed certificate: CA file, TLS verification switch and credential headers as
 * built from the environment.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEventSourceConfig, type Env } from '../config';
import { createClientFromConfig } from './client';
import { createElasticsearchSource } from './source';

const DIR = path.join(__dirname, 'testdata');
const CA = path.join(DIR, 'test-ca.pem');
let server: Server;
let url = '';
const authHeaders: (string | undefined)[] = [];

beforeAll(async () => {
  server = createServer({ key: readFileSync(path.join(DIR, 'test-server.key')), cert: readFileSync(CA) }, (req, res) => {
    authHeaders.push(req.headers.authorization);
    res.setHeader('content-type', 'application/json');
    res.setHeader('x-elastic-product', 'Elasticsearch');
    res.end(JSON.stringify({ name: 'n1', cluster_name: 'tls-test', cluster_uuid: 'u', version: { number: '9.1.0', build_flavor: 'default' }, tagline: 'You Know, for Search' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function sourceFor(env: Env) {
  const cfg = loadEventSourceConfig({ ELASTICSEARCH_URL: url, ...env });
  if (cfg.kind !== 'elasticsearch') throw new Error('expected elasticsearch');
  return createElasticsearchSource(createClientFromConfig(cfg), { retry: { sleep: async () => {} } });
}

describe('TLS and credentials with the real client', () => {
  it('trusts the cluster through ELASTICSEARCH_CA_CERT and sends the API key', async () => {
    authHeaders.length = 0;
    const h = await sourceFor({ ELASTICSEARCH_CA_CERT: CA, ELASTICSEARCH_API_KEY: 'Z3A6c2VjcmV0' }).health();
    expect(h).toEqual({ kind: 'elasticsearch', ok: true, detail: 'cluster "tls-test", Elasticsearch 9.1.0' });
    expect(authHeaders).toEqual(['ApiKey Z3A6c2VjcmV0']);
  });

  it('sends basic credentials', async () => {
    authHeaders.length = 0;
    await sourceFor({ ELASTICSEARCH_CA_CERT: CA, ELASTICSEARCH_USERNAME: 'guidepost', ELASTICSEARCH_PASSWORD: 'pw' }).health();
    expect(authHeaders).toEqual([`Basic ${Buffer.from('guidepost:pw').toString('base64')}`]);
  });

  it('refuses an unknown certificate by default, without retrying, and says what to set', async () => {
    authHeaders.length = 0;
    const s = sourceFor({ ELASTICSEARCH_API_KEY: 'k' });
    const h = await s.health();
    expect(h.ok).toBe(false);
    expect(h.detail).toMatch(/TLS certificate was not accepted.*ELASTICSEARCH_CA_CERT/);
    const err = await s.entityEvents({ entityIds: ['x'], size: 1 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'unreachable', retryable: false, attempts: 1 });
    expect(authHeaders).toEqual([]);
  });

  it('ELASTICSEARCH_TLS_VERIFY=false connects anyway', async () => {
    const h = await sourceFor({ ELASTICSEARCH_API_KEY: 'k', ELASTICSEARCH_TLS_VERIFY: 'false' }).health();
    expect(h.ok).toBe(true);
  });
});
