/**
 * Event source configuration from the environment. Without ELASTICSEARCH_URL the
 * embedded store is used; with it, every Elasticsearch variable is validated here, at
 * start, and a bad one is reported by name with what is wrong.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { EventSourceConfigError } from './errors';

export type ElasticsearchAuth =
  | { type: 'apiKey'; apiKey: string }
  | { type: 'basic'; username: string; password: string }
  | { type: 'none' };

export interface ElasticsearchConfig {
  kind: 'elasticsearch';
  /** cluster URL without credentials */
  url: string;
  auth: ElasticsearchAuth;
  /** PEM text of the CA certificate(s), read from ELASTICSEARCH_CA_CERT */
  ca?: string;
  caPath?: string;
  /** verify the cluster's TLS certificate (default true) */
  tlsVerify: boolean;
  /** per-request timeout of the client, ms */
  requestTimeoutMs: number;
  /** index patterns the evidence queries (lineage, activity, logons, prevalence) read */
  evidenceIndex: string[];
  /** things the operator should know (e.g. TLS verification off) */
  warnings: string[];
}

export interface EmbeddedConfig {
  kind: 'embedded';
  warnings: string[];
}

export type EventSourceConfig = ElasticsearchConfig | EmbeddedConfig;

export type Env = Record<string, string | undefined>;

/** where Elastic Defend, Winlogbeat, Sysmon (integration) and Endgame events live by default */
export const DEFAULT_EVIDENCE_INDEX = ['logs-*', 'winlogbeat-*', 'endgame-*'];

const BOOL_TRUE = new Set(['true', '1', 'yes', 'on']);
const BOOL_FALSE = new Set(['false', '0', 'no', 'off']);

/** Trimmed value; empty strings count as unset (docker-compose `VAR=` lines). */
function val(env: Env, name: string): string | undefined {
  const v = env[name];
  if (v === undefined) return undefined;
  const t = v.trim();
  return t === '' ? undefined : t;
}

const urlSchema = z
  .string()
  .transform((s, ctx) => {
    let u: URL;
    try {
      u = new URL(s);
    } catch {
      ctx.addIssue({ code: 'custom', message: `not a valid URL: "${redactUrlText(s)}" (expected e.g. https://es.example.org:9200)` });
      return z.NEVER;
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') {
      ctx.addIssue({ code: 'custom', message: `unsupported scheme "${u.protocol}" (use http:// or https://)` });
      return z.NEVER;
    }
    return u;
  });

/**
 * A URL-like text with whatever stands between `//` and the last `@` before the path hidden:
 * a misparsed ELASTICSEARCH_URL may still carry a user and password (`https://elastic:Xy/9s@es…`,
 * where the `/` in the password breaks parsing), and error messages are logged and shown.
 */
export function redactUrlText(s: string): string {
  return s.replace(/^([a-z][a-z0-9+.-]*:\/\/)?(.*)@/i, (_m, scheme: string | undefined) => `${scheme ?? ''}***@`);
}

const timeoutSchema = z.coerce
  .number({ message: 'must be a number of milliseconds' })
  .int('must be a whole number of milliseconds')
  .min(100, 'must be at least 100 ms')
  .max(600_000, 'must be at most 600000 ms (10 minutes)');

/** Reads the configuration; throws EventSourceConfigError listing every bad variable. */
export function loadEventSourceConfig(
  env: Env = process.env,
  readFile: (p: string) => string = (p) => readFileSync(p, 'utf8'),
): EventSourceConfig {
  const rawUrl = val(env, 'ELASTICSEARCH_URL');
  const warnings: string[] = [];
  if (rawUrl === undefined) {
    const stray = ['ELASTICSEARCH_API_KEY', 'ELASTICSEARCH_USERNAME', 'ELASTICSEARCH_PASSWORD', 'ELASTICSEARCH_CA_CERT'].filter(
      (n) => val(env, n) !== undefined,
    );
    if (stray.length > 0) {
      warnings.push(`${stray.join(', ')} set but ELASTICSEARCH_URL is not: using the embedded event store`);
    }
    return { kind: 'embedded', warnings };
  }

  const problems: { variable: string; message: string }[] = [];
  const add = (variable: string, message: string) => problems.push({ variable, message });

  let url: URL | undefined;
  const u = urlSchema.safeParse(rawUrl);
  if (u.success) url = u.data;
  else add('ELASTICSEARCH_URL', u.error.issues.map((i) => i.message).join('; '));

  // credentials: API key, or username + password, or (only for URL-embedded credentials / open clusters) none
  const apiKey = val(env, 'ELASTICSEARCH_API_KEY');
  const username = val(env, 'ELASTICSEARCH_USERNAME');
  const password = env.ELASTICSEARCH_PASSWORD; // a password may legitimately have spaces; keep as is
  let auth: ElasticsearchAuth = { type: 'none' };
  if (apiKey !== undefined && (username !== undefined || (password !== undefined && password !== ''))) {
    add('ELASTICSEARCH_API_KEY', 'set either ELASTICSEARCH_API_KEY or ELASTICSEARCH_USERNAME/ELASTICSEARCH_PASSWORD, not both');
  } else if (apiKey !== undefined) {
    if (/\s/.test(apiKey)) add('ELASTICSEARCH_API_KEY', 'contains whitespace (expected the encoded API key, one token)');
    else auth = { type: 'apiKey', apiKey };
  } else if (username !== undefined || (password !== undefined && password !== '')) {
    if (username === undefined) add('ELASTICSEARCH_USERNAME', 'missing (ELASTICSEARCH_PASSWORD is set)');
    else if (password === undefined || password === '') add('ELASTICSEARCH_PASSWORD', `missing (ELASTICSEARCH_USERNAME "${username}" is set)`);
    else auth = { type: 'basic', username, password };
  }
  if (url && (url.username !== '' || url.password !== '')) {
    if (auth.type !== 'none') {
      add('ELASTICSEARCH_URL', 'contains credentials and other credentials are set too; keep one');
    } else {
      auth = { type: 'basic', username: decodeURIComponent(url.username), password: decodeURIComponent(url.password) };
    }
    url.username = '';
    url.password = '';
  }
  if (url && auth.type === 'none') {
    warnings.push('no Elasticsearch credentials set (ELASTICSEARCH_API_KEY or ELASTICSEARCH_USERNAME/PASSWORD): requests are anonymous');
  }

  // TLS
  let tlsVerify = true;
  const rawVerify = val(env, 'ELASTICSEARCH_TLS_VERIFY');
  if (rawVerify !== undefined) {
    const v = rawVerify.toLowerCase();
    if (BOOL_TRUE.has(v)) tlsVerify = true;
    else if (BOOL_FALSE.has(v)) tlsVerify = false;
    else add('ELASTICSEARCH_TLS_VERIFY', `"${rawVerify}" is not a boolean (use true or false)`);
  }
  if (!tlsVerify) {
    warnings.push(
      'ELASTICSEARCH_TLS_VERIFY=false: the cluster certificate is NOT verified; anyone on the network path can read and alter the events. Prefer ELASTICSEARCH_CA_CERT.',
    );
  }

  let ca: string | undefined;
  const caPath = val(env, 'ELASTICSEARCH_CA_CERT');
  if (caPath !== undefined) {
    const abs = path.resolve(caPath);
    try {
      const text = readFile(abs);
      if (!/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.test(text)) {
        add('ELASTICSEARCH_CA_CERT', `${abs} holds no PEM certificate (expected "-----BEGIN CERTIFICATE-----")`);
      } else {
        ca = text;
      }
    } catch (e) {
      const code = typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : '';
      add('ELASTICSEARCH_CA_CERT', `cannot read ${abs}${code ? ` (${code})` : ''}`);
    }
    if (url && url.protocol === 'http:') {
      warnings.push('ELASTICSEARCH_CA_CERT is set but ELASTICSEARCH_URL uses http://: the certificate is not used');
    }
  }

  let requestTimeoutMs = 30_000;
  const rawTimeout = val(env, 'ELASTICSEARCH_REQUEST_TIMEOUT_MS');
  if (rawTimeout !== undefined) {
    const t = timeoutSchema.safeParse(rawTimeout);
    if (t.success) requestTimeoutMs = t.data;
    else add('ELASTICSEARCH_REQUEST_TIMEOUT_MS', `"${rawTimeout}" ${t.error.issues.map((i) => i.message).join('; ')}`);
  }

  let evidenceIndex = DEFAULT_EVIDENCE_INDEX;
  const rawEvidence = val(env, 'ELASTICSEARCH_EVIDENCE_INDEX');
  if (rawEvidence !== undefined) {
    const parts = rawEvidence.split(',').map((p) => p.trim()).filter((p) => p !== '');
    const bad = parts.find((p) => /[\s"<>|/\\?]/.test(p));
    if (parts.length === 0) add('ELASTICSEARCH_EVIDENCE_INDEX', 'lists no index pattern');
    else if (bad !== undefined) add('ELASTICSEARCH_EVIDENCE_INDEX', `"${bad}" is not a valid index pattern`);
    else evidenceIndex = parts;
  }

  if (problems.length > 0 || !url) throw new EventSourceConfigError(problems);
  const cleanUrl = url.toString().replace(/\/$/, '');
  return {
    kind: 'elasticsearch',
    url: cleanUrl,
    auth,
    ...(ca === undefined ? {} : { ca, caPath: path.resolve(caPath ?? '') }),
    tlsVerify,
    requestTimeoutMs,
    evidenceIndex,
    warnings,
  };
}

/** Which source the configuration selects, without validating the rest. */
export function configuredKind(env: Env = process.env): 'embedded' | 'elasticsearch' {
  return val(env, 'ELASTICSEARCH_URL') === undefined ? 'embedded' : 'elasticsearch';
}
