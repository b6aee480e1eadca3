/**
 * The API fuzzer: every route handler of app/api/**\/route.ts, called in-process (as
 * tests/team/route-auth.test.ts does) with generated methods, params, query strings, headers
 * and bodies — well-formed, malformed and hostile — as anonymous, viewer, analyst, lead and
 * admin (by session cookie, API token, read-only token or a forged credential).
 *
 * After every request it checks: no 500 and no thrown error (the answer is read to its end,
 * streamed ones too); every audit row written since the last check is one its actor's role
 * may make (see `auditAllowed`); and anonymous callers and viewers changed no table but the
 * ones of signing in and their own settings and tokens.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { NextRequest } from 'next/server';
import { createApiToken, createSession, createUser, type Role } from '@/lib/auth';
import { getDb } from '@/lib/store/db';
import { listAudit, type AuditEntry } from '@/lib/store/audit';
import { insertAlerts } from '@/lib/store/alerts';
import { queueAlert } from '@/tests/support/alerts';

export const BASE = 'http://127.0.0.1:3000';
const API_DIR = path.resolve(__dirname, '../../app/api');
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
type Method = (typeof METHODS)[number];
type Handler = (req: NextRequest, segment: { params: Promise<Record<string, string>> }) => Promise<Response> | Response;

export interface Route {
  /** e.g. /api/alerts/[id]/steps/[stepId] */
  template: string;
  params: string[];
  handlers: Partial<Record<Method, Handler>>;
}

function routeFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...routeFiles(full));
    else if (entry.name === 'route.ts') out.push(full);
  }
  return out.sort();
}

/** Every API route and its handlers (imported now). */
export async function loadRoutes(): Promise<Route[]> {
  const routes: Route[] = [];
  for (const file of routeFiles(API_DIR)) {
    const rel = path.relative(API_DIR, path.dirname(file)).split(path.sep).filter(Boolean);
    const template = `/api/${rel.join('/')}`.replace(/\/$/, '');
    const params = rel.filter((s) => s.startsWith('[') && s.endsWith(']')).map((s) => s.slice(1, -1).replace(/^\.\.\./, ''));
    const mod = (await import(file)) as Record<string, unknown>;
    const handlers: Partial<Record<Method, Handler>> = {};
    for (const m of METHODS) if (typeof mod[m] === 'function') handlers[m] = mod[m] as Handler;
    if (Object.keys(handlers).length) routes.push({ template, params, handlers });
  }
  return routes;
}

export const ROLES = ['viewer', 'analyst', 'lead', 'admin'] as const;
export const USERS: Record<(typeof ROLES)[number], string> = { viewer: 'fz-viewer', analyst: 'fz-analyst', lead: 'fz-lead', admin: 'fz-admin' };

export interface Credentials {
  cookie: Record<string, string>;
  token: Record<string, string>;
  readToken: Record<string, string>;
}

/** Users of each role with a session, a full and a read-only token; alerts to work on. */
export async function seedWorld(): Promise<Credentials> {
  const creds: Credentials = { cookie: {}, token: {}, readToken: {} };
  for (const role of ROLES) {
    const user = await createUser(getDb(), { name: USERS[role], role, password: 'a long enough password' }, 'test');
    creds.cookie[role] = `gp_session=${createSession(getDb(), user.id).token}`;
    creds.token[role] = createApiToken(getDb(), user.id, 'fuzz', { expiresInDays: 30 });
    creds.readToken[role] = createApiToken(getDb(), user.id, 'fuzz-read', { expiresInDays: 30, scope: 'read' });
  }
  insertAlerts(getDb(), Array.from({ length: 24 }, (_, i) =>
      queueAlert(i, { assignee: i % 4 === 0 ? USERS.analyst : i % 4 === 1 ? USERS.lead : i % 4 === 2 ? 'someone-else' : null }),
    ));
  return creds;
}

/**
 * Read every parameterless GET once as an admin: lazy first-use work (the rule catalogue is
 * synced into app.db on its first read) is then not mistaken for a write by whoever reads next.
 */
export async function warmUp(routes: Route[], creds: Credentials): Promise<void> {
  for (const r of routes) {
    if (!r.handlers.GET || r.params.length) continue;
    const req = new NextRequest(`${BASE}${r.template}`, { headers: { host: '127.0.0.1:3000', cookie: creds.cookie.admin! } });
    const res = await r.handlers.GET(req, { params: Promise.resolve({}) });
    await res.arrayBuffer();
  }
}

// ---------- generators ----------

const KEYS = [
  'status', 'verdict', 'expectedVersion', 'version', 'body', 'label', 'assignee', 'ruleId', 'enabled', 'entries', 'field', 'operator',
  'values', 'negate', 'name', 'role', 'password', 'language', 'state', 'note', 'comment', 'closeMatchingAlerts', 'closeVerdict',
  'expiresAt', 'expiresInDays', 'scope', 'user', 'ids', 'alertIds', 'from', 'to', 'format', 'disabled', 'fromAlertId', 'title',
  'severity', 'into', 'alerts', 'decision', 'stepId', 'owner', '__proto__', 'constructor', 'toString',
] as const;
const QUERY_KEYS = ['pageSize', 'page', 'status', 'sort', 'order', 'q', 'format', 'user', 'job', 'exceptionId', 'from', 'to', 'period', 'assignee', 'severity', 'ruleId', 'cursor', 'host', 'limit'] as const;
const NASTY = [
  '', ' ', '0', '-1', '1e309', 'NaN', 'null', 'true', '[]', '{}', '../../etc/passwd', '%2e%2e%2f', '\u0000', '\ud800', '😀', '<script>alert(1)</script>',
  '*', '************!', 'a'.repeat(300), "' OR 1=1 --", '${jndi:ldap://x}', 'open', 'closed', 'acknowledged', 'true_positive', 'admin', 'zh', 'en',
  'r1', 'r2', 'a000', 'a001', 'a002', 'a003', 'e94262f2-c1e9-4d3f-a907-aeab16712e1a', 'fz-analyst', 'fz-admin', 'fz-viewer', '*',
] as const;

const nastyString = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
);

const leaf: fc.Arbitrary<unknown> = fc.oneof(
  nastyString,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(0, 1, 2, -1, 2 ** 53, 1e308),
);

const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  v: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, fc.array(tie('v'), { maxLength: 4 }), fc.dictionary(fc.constantFrom(...KEYS), tie('v'), { maxKeys: 4 })),
})).v;

/** A body: none, plausible-looking JSON objects, any JSON, malformed text, bytes. */
const body: fc.Arbitrary<string | Uint8Array | null> = fc.oneof(
  { weight: 2, arbitrary: fc.constant(null) },
  { weight: 6, arbitrary: fc.dictionary(fc.constantFrom(...KEYS), value, { maxKeys: 6 }).map((o) => JSON.stringify(o)) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: fc.constantFrom('{', '{"a":', '[1,2', 'nul', '{"status":"open",}', '\ufeff{}', '{"__proto__":{"admin":true}}', '"x"', '1'.repeat(400)) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
);

const contentType = fc.oneof(
  { weight: 8, arbitrary: fc.constant('application/json') },
  { weight: 1, arbitrary: fc.constantFrom('text/plain; x=application/json', 'application/json; charset=utf-16', 'multipart/form-data; boundary=zz', 'application/x-ndjson', '', 'application/jsonx', 'APPLICATION/JSON; charset=UTF-8') },
);

export type Who = 'anonymous' | (typeof ROLES)[number];
type AuthKind = 'cookie' | 'token' | 'readToken' | 'forged';

export interface FuzzRequest {
  route: number;
  method: Method;
  who: Who;
  auth: AuthKind;
  origin: 'same' | 'cross' | 'none';
  params: string[];
  query: [string, string][];
  body: string | Uint8Array | null;
  contentType: string;
  extraHeaders: [string, string][];
}

export function requestArbitrary(routes: Route[]): fc.Arbitrary<FuzzRequest> {
  return fc
    .integer({ min: 0, max: routes.length - 1 })
    .chain((route) => {
      const r = routes[route]!;
      const methods = Object.keys(r.handlers) as Method[];
      return fc.record({
        route: fc.constant(route),
        method: fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...methods) }, { weight: 1, arbitrary: fc.constantFrom(...METHODS) }),
        who: fc.constantFrom<Who>('anonymous', 'viewer', 'analyst', 'lead', 'admin'),
        auth: fc.oneof({ weight: 6, arbitrary: fc.constant<AuthKind>('cookie') }, { weight: 2, arbitrary: fc.constantFrom<AuthKind>('token', 'readToken') }, { weight: 1, arbitrary: fc.constant<AuthKind>('forged') }),
        origin: fc.oneof({ weight: 8, arbitrary: fc.constant<'same'>('same') }, { weight: 1, arbitrary: fc.constantFrom<'cross' | 'none'>('cross', 'none') }),
        params: fc.tuple(...r.params.map(() => nastyString)).map((xs) => xs as string[]),
        query: fc.array(fc.tuple(fc.oneof(fc.constantFrom(...QUERY_KEYS), fc.string({ maxLength: 8 })), nastyString), { maxLength: 4 }),
        body,
        contentType,
        extraHeaders: fc.array(
          fc.tuple(fc.constantFrom('x-forwarded-for', 'x-forwarded-proto', 'accept', 'accept-language', 'if-none-match', 'range', 'content-length', 'cookie2'), fc.string({ maxLength: 30 }).map((s) => s.replace(/[^\x20-\x7e]/g, ''))),
          { maxLength: 2 },
        ),
      });
    });
}

export function buildRequest(routes: Route[], creds: Credentials, f: FuzzRequest): { req: NextRequest; handler: Handler | undefined; params: Record<string, string> } {
  const r = routes[f.route]!;
  const params: Record<string, string> = {};
  let pathname = r.template;
  r.params.forEach((name, i) => {
    // what Next hands a route is decoded from a URL: always well-formed Unicode
    params[name] = wellFormed(f.params[i] ?? '');
    pathname = pathname.replace(`[${name}]`, encodeURIComponent(params[name]!) || '_');
  });
  const url = new URL(`${BASE}${pathname}`);
  for (const [k, v] of f.query) url.searchParams.append(k, v);
  const headers = new Headers({ host: '127.0.0.1:3000' });
  for (const [k, v] of f.extraHeaders) {
    if (k === 'content-length') continue; // a wrong length would be the HTTP layer's to refuse
    try {
      headers.set(k, v);
    } catch {
      // not a valid header value: the HTTP layer would refuse it before us
    }
  }
  if (f.origin === 'same') headers.set('origin', BASE);
  if (f.origin === 'cross') headers.set('origin', 'https://evil.example');
  if (f.who !== 'anonymous') {
    if (f.auth === 'cookie') headers.set('cookie', creds.cookie[f.who]!);
    else if (f.auth === 'token') headers.set('authorization', `Bearer ${creds.token[f.who]!}`);
    else if (f.auth === 'readToken') headers.set('authorization', `Bearer ${creds.readToken[f.who]!}`);
    else headers.set('cookie', 'gp_session=forged-session');
  }
  const hasBody = f.body !== null && f.method !== 'GET' && f.method !== 'HEAD';
  if (hasBody && f.contentType) headers.set('content-type', f.contentType);
  const req = new NextRequest(url, { method: f.method, headers, ...(hasBody ? { body: f.body as BodyInit } : {}) });
  const handler = r.handlers[f.method] ?? (f.method === 'HEAD' ? r.handlers.GET : undefined);
  return { req, handler, params };
}

// ---------- the checks ----------

const roleOfActor = (actor: string): Role | 'system' | null => {
  for (const role of ROLES) if (USERS[role] === actor) return role;
  return actor === 'system' || actor === 'scheduler' || actor === 'test' ? 'system' : null;
};

const asRecord = (v: unknown): Record<string, unknown> | null => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : null);

/** May `actor`'s role write this audit row? `assignees`: each alert's assignee before the request. */
export function auditAllowed(row: AuditEntry, assignees: Map<string, string | null>): string | null {
  const role = roleOfActor(row.actor);
  if (role === null) return `audit row by unknown actor '${row.actor}'`;
  if (role === 'system' || role === 'admin') return null;
  const own = row.entity === 'user' && row.entityId.toLowerCase() === row.actor.toLowerCase();
  if (own && (row.action === 'token' || row.action === 'token-revoke')) return null;
  if (own && row.action === 'update') {
    const before = asRecord(row.before);
    const after = asRecord(row.after);
    if (before && after && before.role === after.role && before.disabled === after.disabled) return null;
    return `${role} changed their own role or state`;
  }
  if (role === 'viewer') return `viewer wrote ${row.entity}/${row.action}`;
  if (row.entity === 'alert') {
    if (role === 'lead') return null;
    const assignee = assignees.has(row.entityId) ? assignees.get(row.entityId)! : null;
    if (assignee === null || assignee === row.actor) return null;
    return `analyst ${row.actor} wrote alert ${row.entityId} assigned to ${assignee} (${row.action})`;
  }
  if (row.entity === 'exception') {
    if (role === 'lead') return null;
    return row.action === 'propose' ? null : `analyst made exception action '${row.action}'`;
  }
  if (row.entity === 'incident') return null;
  return `${role} wrote ${row.entity}/${row.action}`;
}

/** Tables anonymous callers and viewers may change (signing in, their own settings and tokens). */
const SELF_SERVICE_TABLES = new Set(['sessions', 'signin_attempts', 'signin_devices', 'api_tokens', 'users', 'audit']);

export class Watcher {
  private lastAudit = 0;
  private counts = new Map<string, number>();
  private tables: string[];
  constructor() {
    const db = getDb();
    this.tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[]).map((r) => r.name);
    this.sync();
  }
  private count(table: string): number {
    return (getDb().prepare(`SELECT COUNT(*) AS n FROM "${table.replace(/"/g, '""')}"`).get() as { n: number }).n;
  }
  sync(): void {
    this.lastAudit = (getDb().prepare('SELECT COALESCE(MAX(id), 0) AS n FROM audit').get() as { n: number }).n;
    for (const t of this.tables) this.counts.set(t, this.count(t));
  }
  assignees(): Map<string, string | null> {
    return new Map((getDb().prepare('SELECT id, assignee FROM alerts').all() as { id: string; assignee: string | null }[]).map((r) => [r.id, r.assignee]));
  }
  /** each alert's worked state (status, verdict, assignee, version) */
  alertStates(): Map<string, string> {
    const rows = getDb().prepare('SELECT id, status, verdict, assignee, version FROM alerts').all() as { id: string }[];
    return new Map(rows.map((r) => [r.id, JSON.stringify(r)]));
  }
  /** Problems since the last sync for a request made as `who`; then syncs. */
  check(who: Who, assigneesBefore: Map<string, string | null>, alertsBefore?: Map<string, string>): string[] {
    const problems: string[] = [];
    if (alertsBefore) {
      // an alert changed without an audit row is caught here: who may have changed it?
      for (const [id, after] of this.alertStates()) {
        const before = alertsBefore.get(id);
        if (before === undefined || before === after) continue;
        const assignee = assigneesBefore.get(id) ?? null;
        if (who === 'anonymous' || who === 'viewer') problems.push(`${who} changed alert ${id}`);
        else if (who === 'analyst' && assignee !== null && assignee !== USERS.analyst) problems.push(`analyst changed alert ${id} assigned to ${assignee}`);
      }
    }
    const rows = listAudit(getDb(), { afterId: this.lastAudit, limit: 10_000 });
    for (const row of rows) {
      const why = auditAllowed(row, assigneesBefore);
      if (why) problems.push(why);
    }
    if (who === 'anonymous' || who === 'viewer') {
      for (const t of this.tables) {
        if (SELF_SERVICE_TABLES.has(t)) continue;
        const n = this.count(t);
        if (n !== this.counts.get(t)) problems.push(`${who} changed the row count of ${t} (${this.counts.get(t)} -> ${n})`);
      }
    }
    this.sync();
    return problems;
  }
}

export interface FuzzStats {
  requests: number;
  byStatus: Record<string, number>;
  routesHit: Set<string>;
}

/** Run one generated request; throws (with what was sent) on a 500, a thrown error or a forbidden write. */
export async function runOne(routes: Route[], creds: Credentials, watcher: Watcher, f: FuzzRequest, stats: FuzzStats): Promise<void> {
  const { req, handler, params } = buildRequest(routes, creds, f);
  const describe = () =>
    `${f.method} ${req.nextUrl.pathname}${req.nextUrl.search} as ${f.who}/${f.auth} origin=${f.origin} type=${JSON.stringify(f.contentType)} body=${
      f.body === null ? 'none' : typeof f.body === 'string' ? JSON.stringify(f.body.slice(0, 300)) : `bytes(${f.body.length})`
    }`;
  stats.requests++;
  if (!handler) {
    stats.byStatus['405 (no handler: answered by Next)'] = (stats.byStatus['405 (no handler: answered by Next)'] ?? 0) + 1;
    return;
  }
  const assignees = watcher.assignees();
  const alertsBefore = watcher.alertStates();
  let status: number;
  try {
    const res = await handler(req, { params: Promise.resolve(params) });
    status = res.status;
    await res.arrayBuffer();
  } catch (err) {
    throw new Error(`threw ${err instanceof Error ? err.stack : String(err)}\n  request: ${describe()}`);
  }
  stats.byStatus[status] = (stats.byStatus[status] ?? 0) + 1;
  stats.routesHit.add(routes[f.route]!.template);
  if (status >= 500 && status !== 502 && status !== 503) throw new Error(`answered ${status}\n  request: ${describe()}`);
  const problems = watcher.check(f.who, assignees, alertsBefore);
  if (problems.length) throw new Error(`forbidden write: ${problems.join('; ')}\n  request: ${describe()}`);
}

/**
 * Put the fuzz users back as they were (an admin request may have changed a role, disabled
 * someone, reset a password or revoked tokens), so that each role keeps being tried as itself.
 */
export function repairWorld(creds: Credentials): void {
  const db = getDb();
  for (const role of ROLES) {
    const name = USERS[role];
    db.prepare('UPDATE users SET role = ?, disabled = 0 WHERE name = ?').run(role, name);
    const user = db.prepare('SELECT id FROM users WHERE name = ?').get(name) as { id: number };
    const sessionOk = db
      .prepare('SELECT 1 FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.name = ? AND s.token_hash = ?')
      .get(name, sha256(creds.cookie[role]!.slice('gp_session='.length)));
    if (!sessionOk) creds.cookie[role] = `gp_session=${createSession(getDb(), user.id).token}`;
    const tokenOk = (token: string) => db.prepare('SELECT 1 FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL').get(sha256(token));
    if (!tokenOk(creds.token[role]!)) creds.token[role] = createApiToken(getDb(), user.id, 'fuzz', { expiresInDays: 30 });
    if (!tokenOk(creds.readToken[role]!)) creds.readToken[role] = createApiToken(getDb(), user.id, 'fuzz-read', { expiresInDays: 30, scope: 'read' });
  }
}

/** lone surrogates replaced by U+FFFD (String#toWellFormed, ES2024) */
function wellFormed(s: string): string {
  return s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}
