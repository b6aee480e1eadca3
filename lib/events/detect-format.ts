/**
 * Which source shape a document (or a whole input) has. First match wins, in the order
 * of the datasets README §3: Defend, Winlogbeat 7+, Winlogbeat 6, EVTX JSON, OTRF flat,
 * Endgame flat, Endgame ECS, else plain ECS. Bulk action lines and `_search` responses
 * are containers around such documents.
 */
import { z } from 'zod';
import { isRecord } from './embedded/fields';

/** Formats a user can name (`--format`). `auto` detects per document. */
export const INPUT_FORMATS = ['auto', 'ecs', 'bulk', 'winlogbeat', 'sysmon-evtx-json', 'endgame', 'defend'] as const;
export type InputFormat = (typeof INPUT_FORMATS)[number];
export const inputFormatSchema = z.enum(INPUT_FORMATS);

/** Document shapes the normaliser knows. */
export type DocFormat =
  | 'defend'
  | 'winlogbeat'
  | 'winlogbeat6'
  | 'sysmon-evtx-json'
  | 'otrf'
  | 'endgame'
  | 'endgame-ecs'
  | 'ecs';

/** Which document shapes each user-facing format accepts. */
export const FORMAT_ACCEPTS: Record<Exclude<InputFormat, 'auto' | 'bulk'>, DocFormat[]> = {
  ecs: ['ecs', 'defend', 'endgame-ecs'],
  defend: ['defend', 'ecs'],
  winlogbeat: ['winlogbeat', 'winlogbeat6'],
  'sysmon-evtx-json': ['sysmon-evtx-json', 'otrf'],
  endgame: ['endgame', 'endgame-ecs'],
};

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function field(o: Record<string, unknown>, a: string, b: string): unknown {
  const x = o[a];
  if (isRecord(x) && b in x) return x[b];
  return o[`${a}.${b}`];
}

export function detectDocFormat(doc: Record<string, unknown>): DocFormat {
  const proc = doc.process;
  const eventModule = str(field(doc, 'event', 'module'));
  const dsDataset = str(field(doc, 'data_stream', 'dataset'));
  if ((isRecord(proc) && isRecord(proc.Ext)) || eventModule === 'endpoint' || dsDataset?.startsWith('endpoint.')) {
    return 'defend';
  }
  if (isRecord(doc.winlog)) return 'winlogbeat';
  if ((isRecord(doc.event_data) || isRecord(doc.user_data)) && ('source_name' in doc || 'event_id' in doc)) return 'winlogbeat6';
  if (isRecord(doc.Event) && isRecord((doc.Event as Record<string, unknown>).System)) return 'sysmon-evtx-json';
  if ('SourceName' in doc && 'EventID' in doc) return 'otrf';
  if (typeof doc.event_type === 'string' && ('unique_pid' in doc || 'serial_event_id' in doc || 'timestamp' in doc)) {
    return 'endgame';
  }
  if (eventModule === 'endgame') return 'endgame-ecs';
  return 'ecs';
}

const BULK_ACTIONS = new Set(['index', 'create', 'update', 'delete']);

/** `{"index":{"_index":…,"_id":…}}` and the other three bulk actions. */
export function bulkAction(v: unknown): { action: string; index?: string; id?: string } | null {
  if (!isRecord(v)) return null;
  const keys = Object.keys(v);
  if (keys.length !== 1 || !BULK_ACTIONS.has(keys[0])) return null;
  const meta = v[keys[0]];
  if (!isRecord(meta)) return null;
  if (Object.keys(meta).some((k) => !k.startsWith('_') && !['routing', 'pipeline', 'version', 'version_type', 'if_seq_no', 'if_primary_term', 'require_alias', 'dynamic_templates', 'retry_on_conflict'].includes(k))) {
    return null;
  }
  return {
    action: keys[0],
    index: str(meta._index),
    id: typeof meta._id === 'number' ? String(meta._id) : str(meta._id),
  };
}

/** `hits.hits` of a `_search` response (or of its `hits` object alone). */
export function searchHits(v: unknown): unknown[] | null {
  if (!isRecord(v)) return null;
  const hits = v.hits;
  if (isRecord(hits) && Array.isArray(hits.hits)) return hits.hits;
  if (isRecord(hits) && Array.isArray(hits.events)) return hits.events; // _eql/search response
  return null;
}

/** One hit `{_index, _id, _source}` of a search response or export. */
export function isHit(v: unknown): v is { _index?: unknown; _id?: unknown; _source: Record<string, unknown> } {
  return isRecord(v) && isRecord(v._source) && ('_id' in v || '_index' in v);
}
