/**
 * The file the alert is about: path, hashes (from the alert's event or from other events
 * of the same path), signature; the PowerShell `Get-FileHash` command; reputation links.
 */
import type { EventSource, StoredEvent } from '../events/types';
import { eqlSameText } from './eql-text';
import { eventTime, getField, iso, ref, str, toMs } from './fields';

export type HashAlgorithm = 'md5' | 'sha1' | 'sha256';

export interface HashValue {
  algorithm: HashAlgorithm;
  value: string;
  /** where it was read */
  source: { _index: string; _id: string; field: string; time: string | null };
}

export interface ReputationLink {
  site: 'VirusTotal' | 'Hybrid-Analysis' | 'Talos' | 'Any.run';
  url: string;
  hash: string;
}

export interface FileEvidence {
  path: string | null;
  name: string | null;
  extension: string | null;
  size: number | null;
  /** distinct hash values, the alert event's own first */
  hashes: HashValue[];
  signature: { subjectName: string | null; trusted: boolean | null; exists: boolean | null; status: string | null } | null;
  /** ready to paste into PowerShell on the host */
  getFileHashCommand: string | null;
  links: ReputationLink[];
  /** other events of the same path that were read (bounded) */
  relatedEvents: { time: string | null; action: string | null; event: { _index: string; _id: string } }[];
  truncated: boolean;
}

const HEX: Record<HashAlgorithm, RegExp> = {
  md5: /^[0-9a-f]{32}$/,
  sha1: /^[0-9a-f]{40}$/,
  sha256: /^[0-9a-f]{64}$/,
};

/** Reputation-site URL templates, keyed by site; `{hash}` is a validated hex hash. */
export const REPUTATION_SITES: { site: ReputationLink['site']; template: string }[] = [
  { site: 'VirusTotal', template: 'https://www.virustotal.com/gui/file/{hash}' },
  { site: 'Hybrid-Analysis', template: 'https://www.hybrid-analysis.com/search?query={hash}' },
  { site: 'Talos', template: 'https://talosintelligence.com/talos_file_reputation?s={hash}' },
  { site: 'Any.run', template: 'https://app.any.run/submissions/#filehash:{hash}' },
];

export function reputationLinks(hash: string): ReputationLink[] {
  const h = hash.toLowerCase();
  if (!HEX.md5.test(h) && !HEX.sha1.test(h) && !HEX.sha256.test(h)) return [];
  return REPUTATION_SITES.map((s) => ({ site: s.site, url: s.template.replace('{hash}', h), hash: h }));
}

/** `Get-FileHash -Algorithm SHA256 -LiteralPath '<path>'` with the path single-quoted for PowerShell. */
export function getFileHashCommand(path: string): string {
  return `Get-FileHash -Algorithm SHA256 -LiteralPath '${path.replace(/'/g, "''").replace(/[\u2018\u2019\u201a\u201b]/g, (q) => q + q)}'`;
}

function hashesFrom(ev: StoredEvent, prefix: string): HashValue[] {
  const out: HashValue[] = [];
  for (const algorithm of ['sha256', 'sha1', 'md5'] as const) {
    const field = `${prefix}.hash.${algorithm}`;
    const v = str(ev._source, field)?.toLowerCase();
    if (v && HEX[algorithm].test(v)) out.push({ algorithm, value: v, source: { ...ref(ev), field, time: eventTime(ev) } });
  }
  return out;
}

export interface FileEvidenceOptions {
  /** index patterns searched for other events of the path (default all: `*`) */
  index?: string[];
  /**
   * minutes either side of the alert searched (all processes) for other events of the path
   * (default 0: off, as it scans every event of the window; the UI can ask for it). The writer's own events are always read, through
   * its entity id, over `entityHours` (default 24) after the alert.
   */
  windowMinutes?: number;
  entityHours?: number;
  /** events already read (e.g. the process tree's activity): those of the path are used too */
  knownEvents?: StoredEvent[];
  /** events of the path read at most (default 50) */
  limit?: number;
}

export async function fileEvidence(
  source: EventSource,
  alertEvent: StoredEvent,
  alertTime: string,
  opts: FileEvidenceOptions = {},
): Promise<FileEvidence> {
  const d = alertEvent._source;
  const path = str(d, 'file.path', 'dll.path');
  const hashes: HashValue[] = [...hashesFrom(alertEvent, 'file'), ...hashesFrom(alertEvent, 'dll')];
  const relatedEvents: FileEvidence['relatedEvents'] = [];
  let truncated = false;
  let signature = readSignature(alertEvent);
  if (path) {
    const limit = opts.limit ?? 50;
    const t = toMs(alertTime) ?? Date.now();
    const minutes = opts.windowMinutes ?? 0;
    const window = { from: iso(t - minutes * 60_000), to: iso(t + minutes * 60_000) };
    const index = opts.index ?? ['*'];
    const host = str(d, 'host.name');
    // exact values (in~), never `:` patterns: a `*` or `?` in an event's path or host must not widen the search
    const hostCond = host ? `${eqlSameText('host.name', host)} and ` : '';
    const writer = str(d, 'process.entity_id');
    const none = { hits: { total: { value: 0, relation: 'eq' as const }, events: [] as StoredEvent[] } };
    const [files, procs, own] = await Promise.all([
      minutes > 0
        ? source.eqlSearch({ index, query: `file where ${hostCond}(${eqlSameText('file.path', path)} or ${eqlSameText('dll.path', path)})`, window, size: limit + 1, resultPosition: 'head' })
        : none,
      minutes > 0
        ? source.eqlSearch({ index, query: `process where ${hostCond}${eqlSameText('process.executable', path)}`, window, size: limit + 1, resultPosition: 'head' })
        : none,
      writer
        ? source.entityEvents({
            entityIds: [writer],
            categories: ['file', 'library'],
            window: { from: iso(t - 60 * 60_000), to: iso(t + (opts.entityHours ?? 24) * 3_600_000) },
            size: 500,
          })
        : { items: [] as StoredEvent[], truncated: false },
    ]);
    const lower = path.toLowerCase();
    const known = [...own.items, ...(opts.knownEvents ?? [])].filter((e) =>
      ['file.path', 'dll.path', 'process.executable'].some((f) => (str(e._source, f) ?? '').toLowerCase() === lower),
    );
    const byKey = new Map<string, StoredEvent>();
    for (const e of [...(files.hits.events ?? []), ...(procs.hits.events ?? []), ...known]) byKey.set(`${e._index}\u0000${e._id}`, e);
    byKey.delete(`${alertEvent._index}\u0000${alertEvent._id}`);
    const evs = [...byKey.values()].sort((a, b) => (toMs(getField(a._source, '@timestamp')) ?? 0) - (toMs(getField(b._source, '@timestamp')) ?? 0));
    truncated = evs.length > limit || (files.hits.events?.length ?? 0) > limit || (procs.hits.events?.length ?? 0) > limit;
    for (const ev of evs.slice(0, limit)) {
      const isExe = (str(ev._source, 'process.executable') ?? '').toLowerCase() === lower;
      hashes.push(...hashesFrom(ev, 'file'), ...hashesFrom(ev, 'dll'), ...(isExe ? hashesFrom(ev, 'process') : []));
      signature ??= readSignature(ev);
      relatedEvents.push({ time: eventTime(ev), action: str(ev._source, 'event.action') ?? str(ev._source, 'event.type'), event: ref(ev) });
    }
  }
  const seen = new Set<string>();
  const distinct = hashes.filter((h) => (seen.has(`${h.algorithm}:${h.value}`) ? false : (seen.add(`${h.algorithm}:${h.value}`), true)));
  const best = distinct.find((h) => h.algorithm === 'sha256') ?? distinct[0];
  return {
    path,
    name: str(d, 'file.name', 'dll.name') ?? (path ? (path.split(/[\\/]/).pop() ?? null) : null),
    extension: str(d, 'file.extension'),
    size: (() => {
      const s = str(d, 'file.size');
      return s && /^\d+$/.test(s) ? Number(s) : null;
    })(),
    hashes: distinct,
    signature,
    getFileHashCommand: path ? getFileHashCommand(path) : null,
    links: best ? reputationLinks(best.value) : [],
    relatedEvents,
    truncated,
  };
}

function readSignature(ev: StoredEvent): FileEvidence['signature'] {
  for (const prefix of ['file', 'dll']) {
    const subjectName = str(ev._source, `${prefix}.code_signature.subject_name`);
    const trusted = str(ev._source, `${prefix}.code_signature.trusted`);
    const exists = str(ev._source, `${prefix}.code_signature.exists`);
    const status = str(ev._source, `${prefix}.code_signature.status`);
    if (subjectName || trusted || exists || status) {
      return {
        subjectName,
        trusted: trusted === null ? null : trusted === 'true',
        exists: exists === null ? null : exists === 'true',
        status,
      };
    }
  }
  return null;
}

/**
 * Add the hashes other evidence already holds for the file: a process of the tree whose
 * executable is the file, and activity items (file, library, process) of the same path.
 * Returns a new FileEvidence; the reputation links follow the best hash (SHA-256 first).
 */
export function mergeFileHashes(
  file: FileEvidence,
  found: { path: string | null; hashes: Partial<Record<HashAlgorithm, string>>; event: { _index: string; _id: string } | null; field: string; time: string | null }[],
): FileEvidence {
  if (!file.path) return file;
  const lower = file.path.toLowerCase();
  const hashes = [...file.hashes];
  const seen = new Set(hashes.map((h) => `${h.algorithm}:${h.value}`));
  for (const f of found) {
    if (!f.path || f.path.toLowerCase() !== lower || !f.event) continue;
    for (const algorithm of ['sha256', 'sha1', 'md5'] as const) {
      const v = f.hashes[algorithm]?.toLowerCase();
      if (!v || !HEX[algorithm].test(v) || seen.has(`${algorithm}:${v}`)) continue;
      seen.add(`${algorithm}:${v}`);
      hashes.push({ algorithm, value: v, source: { ...f.event, field: `${f.field}.${algorithm}`, time: f.time } });
    }
  }
  if (hashes.length === file.hashes.length) return file;
  const best = hashes.find((h) => h.algorithm === 'sha256') ?? hashes[0];
  return { ...file, hashes, links: best ? reputationLinks(best.value) : [] };
}
