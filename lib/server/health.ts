/**
 * What /api/health knows: whether the event source answers and the stores are there, with
 * every secret taken out of the details. Anonymous answers come from a cache (at most one
 * look at the cluster per HEALTH_CACHE_MS, however many callers).
 */
import 'server-only';
import fs from 'node:fs';
import { getDb } from '@/lib/store/db';
import { can, type User } from '@/lib/auth';
import { getDetectionHealth } from '@/lib/detection';
import { eventStoreFile, evidenceSource } from './workers/evidence-pool';
import { firstStartProgress } from './first-start';

export const HEALTH_CACHE_MS = 15_000;

export interface HealthReport {
  ok: boolean;
  source: { kind: 'embedded' | 'elasticsearch'; ok: boolean; detail: string };
  store: { ok: boolean; detail: string };
}

/** configuration values that must never appear in an answer */
const SECRET_VARS = ['ELASTICSEARCH_URL', 'ELASTICSEARCH_PASSWORD', 'ELASTICSEARCH_API_KEY', 'ELASTICSEARCH_USERNAME', 'GUIDEPOST_ADMIN_PASSWORD'];

/**
 * `text` without secrets: userinfo of any URL-like text (`scheme://user:pass@host`, also when
 * the URL itself does not parse), and any configured secret value (whole or, for a URL with
 * credentials, its userinfo).
 */
export function redactSecrets(text: string, env: NodeJS.ProcessEnv = process.env): string {
  let out = text;
  for (const name of SECRET_VARS) {
    const value = env[name];
    if (!value || value.length < 3) continue;
    if (name === 'ELASTICSEARCH_URL') {
      // only the credentials part of the URL is secret; a URL without any stays readable
      const at = value.lastIndexOf('@');
      const scheme = value.indexOf('://');
      if (at < 0) continue;
      const userinfo = value.slice(scheme >= 0 ? scheme + 3 : 0, at);
      if (userinfo.length >= 1) out = out.split(userinfo).join('[redacted]');
      continue;
    }
    out = out.split(value).join('[redacted]');
  }
  // scheme://anything-without-spaces@ → scheme://[redacted]@ (linear: no nested quantifiers)
  out = out.replace(/\b([a-z][a-z0-9+.-]{0,20}:\/\/)[^\s@/?#"'<>]*(?:\/[^\s@"'<>]*)?@/gi, '$1[redacted]@');
  return out;
}

function storeHealth(): { ok: boolean; detail: string } {
  const problems: string[] = [];
  const parts: string[] = [];
  try {
    const db = getDb();
    if (!db.memory && !fs.existsSync(db.name)) problems.push(`app database file is missing (${db.name})`);
    else {
      db.prepare('SELECT 1').get();
      parts.push(`app database ${db.memory ? 'in memory' : db.name}`);
    }
  } catch (err) {
    problems.push(`app database: ${err instanceof Error ? err.message : String(err)}`);
  }
  try {
    const file = eventStoreFile(); // without opening the store here (an open can wait on a lock)
    if (file && !fs.existsSync(file)) problems.push(`event store file is missing (${file})`);
  } catch (err) {
    problems.push(`event store: ${err instanceof Error ? err.message : String(err)}`);
  }
  return problems.length ? { ok: false, detail: problems.join('; ') } : { ok: true, detail: parts.join('; ') };
}

/** A fresh report (admins; and the cache's source). */
export async function healthReport(): Promise<HealthReport> {
  const store = storeHealth();
  // the event store's count runs in an evidence worker: a locked events.db answers "not ok" in ~1 s, never holds this thread
  const got = await evidenceSource()
    .health()
    .catch((err: unknown) => ({ kind: 'unknown', ok: false, detail: err instanceof Error ? err.message : String(err) }));
  const kind = got.kind === 'elasticsearch' ? 'elasticsearch' : 'embedded';
  // the embedded source says it is fine while its file has been deleted underneath
  const sourceOk = got.ok && !(kind === 'embedded' && !store.ok && store.detail.includes('event store'));
  return {
    ok: sourceOk && store.ok,
    source: { kind, ok: sourceOk, detail: redactSecrets(got.detail) },
    store: { ok: store.ok, detail: redactSecrets(store.detail) },
  };
}

let cache: { at: number; report: Promise<HealthReport> } | null = null;

/** The report, at most HEALTH_CACHE_MS old; concurrent callers share one look. */
export function cachedHealthReport(now = Date.now()): Promise<HealthReport> {
  if (!cache || now - cache.at >= HEALTH_CACHE_MS) {
    const report = healthReport();
    cache = { at: now, report };
    // a failed look is not kept
    report.catch(() => {
      if (cache?.report === report) cache = null;
    });
  }
  return cache.report;
}

/** Tests: forget the cached report. */
export function resetHealthCache(): void {
  cache = null;
}

/**
 * GET /api/health's answer for a caller: anonymous callers get {status} (from the cache);
 * signed-in users which source and whether it answers, and whether detection keeps up;
 * admins the details (never secrets). 503 when something is wrong.
 */
export async function healthAnswer(user: User | null): Promise<{ body: Record<string, unknown>; status: 200 | 503 }> {
  const admin = user !== null && can(user.role, 'users:manage');
  const report = admin ? await healthReport() : await cachedHealthReport();
  // the first start (demo data, its backfill in the detection worker) under way: not ready yet
  const firstStart = firstStartProgress();
  const status = report.ok && !firstStart ? 200 : 503;
  const word = firstStart ? 'starting' : report.ok ? 'ok' : 'degraded';
  if (!user) return { body: { status: word }, status };
  const detection = getDetectionHealth();
  const starting = firstStart ? { firstStart } : {};
  if (!admin) return { body: { status: word, ok: report.ok, source: { kind: report.source.kind, ok: report.source.ok }, detection, ...starting }, status };
  return { body: { status: word, ok: report.ok, source: report.source, store: report.store, detection, ...starting }, status };
}
