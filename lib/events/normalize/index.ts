/**
 * One source document → one ECS document plus its default index. Shapes are detected
 * per document (lib/events/detect-format), so files that mix shapes work.
 */
import * as nodeCrypto from 'node:crypto';
import { detectDocFormat, type DocFormat } from '../detect-format';
import { fromEndgame, fromEndgameEcs } from './endgame';
import { getPath, isRecord, str, type Doc } from './util';
import { toEpochMs } from '../embedded/fields';
import { fromEvtx, fromOtrf, fromWinlogbeat, fromWinlogbeat6 } from './windows';

export { otrfIsSysmon, otrfOffsetMs } from './windows';
export type { Doc };

export class NormalizeError extends Error {}

export interface Normalized {
  format: DocFormat;
  source: Doc;
  /** the format's default index for this document */
  index: string;
  /** `@timestamp` in epoch ms (null when absent) */
  timestampMs: number | null;
}

export interface NormalizeOptions {
  /** shapes accepted (a forced --format); all when absent */
  accept?: DocFormat[];
  /** OTRF flat files: the collector's clock offset (ms) to correct TimeCreated */
  otrfOffsetMs?: number;
}

const DESCRIBE: Record<DocFormat, string> = {
  defend: 'Elastic Defend',
  winlogbeat: 'Winlogbeat',
  winlogbeat6: 'Winlogbeat 6',
  'sysmon-evtx-json': 'EVTX JSON',
  otrf: 'OTRF flat Windows event',
  endgame: 'Endgame event',
  'endgame-ecs': 'Endgame ECS event',
  ecs: 'ECS document',
};

/** Each shape's conversion to ECS (ECS and Defend documents are ECS already). */
const TO_ECS: Record<DocFormat, (raw: Doc, opts: NormalizeOptions) => Doc> = {
  defend: (raw) => raw,
  ecs: (raw) => raw,
  winlogbeat: (raw) => fromWinlogbeat(raw),
  winlogbeat6: (raw) => fromWinlogbeat6(raw),
  'sysmon-evtx-json': (raw) => fromEvtx(raw),
  otrf: (raw, opts) => fromOtrf(raw, opts.otrfOffsetMs ?? 0),
  endgame: (raw) => fromEndgame(raw),
  'endgame-ecs': (raw) => fromEndgameEcs(raw),
};

export function normalizeDocument(raw: Doc, opts: NormalizeOptions = {}): Normalized {
  const format = detectDocFormat(raw);
  if (opts.accept && !opts.accept.includes(format)) {
    throw new NormalizeError(
      `document looks like ${DESCRIBE[format]}, not ${opts.accept.map((f) => DESCRIBE[f]).join(' / ')}`,
    );
  }
  let source = TO_ECS[format](raw, opts);
  if (format !== 'ecs' && format !== 'defend' && source['@timestamp'] === undefined) {
    throw new NormalizeError(`${DESCRIBE[format]} without a usable timestamp`);
  }
  const ts = source['@timestamp'];
  const timestampMs = ts === undefined || ts === null ? null : toEpochMs(ts);
  if (timestampMs === null && ts !== undefined && ts !== null) {
    const shown = JSON.stringify(ts) ?? String(ts);
    throw new NormalizeError(`@timestamp: ${shown.length > 80 ? shown.slice(0, 80) + '…' : shown} is not a date`);
  }
  const index = defaultIndex(format, source);
  // a Defend document without data_stream.* gets the one Elastic Agent writes it to
  // (logs-endpoint.events.<category>-default), so rules reading data_stream.dataset see it
  if (format === 'defend' && !isRecord(source.data_stream)) {
    const m = /^(logs)-(endpoint\.[^-]+)-(.+)$/.exec(index);
    if (m) source = { ...source, data_stream: { type: m[1], dataset: m[2], namespace: m[3] } };
  }
  return { format, source, index, timestampMs };
}

function dataStreamIndex(doc: Doc): string | undefined {
  const ds = doc.data_stream;
  if (!isRecord(ds)) return undefined;
  const t = str(ds.type);
  const d = str(ds.dataset);
  const n = str(ds.namespace);
  return t && d && n ? `${t}-${d}-${n}` : undefined;
}

/** Default index of a normalised document, in the seed rule's index families. */
export function defaultIndex(format: DocFormat, doc: Doc): string {
  const ds = dataStreamIndex(doc);
  switch (format) {
    case 'defend': {
      if (ds) return ds;
      const dataset = str(getPath(doc, 'event.dataset'));
      if (dataset?.startsWith('endpoint.')) return `logs-${dataset}-default`;
      const cat = getPath(doc, 'event.category');
      const first = Array.isArray(cat) ? str(cat[0]) : str(cat);
      return `logs-endpoint.events.${first ?? 'process'}-default`;
    }
    case 'winlogbeat':
    case 'winlogbeat6':
      return ds ?? 'winlogbeat-default';
    case 'sysmon-evtx-json':
    case 'otrf': {
      if (ds) return ds;
      const eventModule = str(getPath(doc, 'event.module'));
      if (eventModule === 'sysmon') return 'logs-windows.sysmon_operational-default';
      if (eventModule === 'security') return 'logs-system.security-default';
      return 'logs-windows.forwarded-default';
    }
    case 'endgame':
    case 'endgame-ecs':
      return 'endgame-default';
    case 'ecs':
      return ds ?? 'logs-ecs-default';
  }
}

// one-shot hashing (Node >= 20.12) skips the Hash object: about 2x faster per id
const oneShot = (nodeCrypto as { hash?: (algorithm: string, data: string, encoding: 'base64url') => string }).hash;

/** Deterministic id of a document's serialised form (idempotent re-ingest). */
export function documentId(json: string): string {
  return oneShot ? oneShot('sha1', json, 'base64url') : nodeCrypto.createHash('sha1').update(json).digest('base64url');
}
