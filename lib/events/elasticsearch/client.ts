/**
 * Builds the @elastic/elasticsearch client from validated configuration. The client's
 * own retries are off (maxRetries 0): the source retries transient failures itself,
 * with backoff, and never retries client errors.
 */
import { Client, type ClientOptions } from '@elastic/elasticsearch';
import type { ElasticsearchConfig } from '../config';

export function clientOptionsFromConfig(cfg: ElasticsearchConfig): ClientOptions {
  const opts: ClientOptions = {
    node: cfg.url,
    maxRetries: 0,
    requestTimeout: cfg.requestTimeoutMs,
    name: 'guidepost',
  };
  if (cfg.auth.type === 'apiKey') opts.auth = { apiKey: cfg.auth.apiKey };
  else if (cfg.auth.type === 'basic') opts.auth = { username: cfg.auth.username, password: cfg.auth.password };
  if (cfg.url.startsWith('https:')) {
    opts.tls = { rejectUnauthorized: cfg.tlsVerify, ...(cfg.ca ? { ca: cfg.ca } : {}) };
  }
  return opts;
}

export function createClientFromConfig(cfg: ElasticsearchConfig, extra: Partial<ClientOptions> = {}): Client {
  return new Client({ ...clientOptionsFromConfig(cfg), ...extra });
}
