/**
 * The EventSource interface: the one door through which detection and investigation
 * read events. Two implementations: `embedded/` (SQLite + lib/eql) and
 * `elasticsearch/` (@elastic/elasticsearch). Only lib/events knows which is in use.
 */
import type { EqlEvent, EqlHits } from '../eql/types';
import type { ExceptionEntry as DomainExceptionEntry } from '../domain/exception';

export type StoredEvent = EqlEvent;

/** A time window, ISO-8601 strings, `from` inclusive, `to` inclusive. */
export interface TimeWindow {
  from: string;
  to: string;
}

/**
 * One exception entry (Kibana's list-item model, simplified): the event matches the
 * entry when the field satisfies the operator. An exception item matches when all of
 * its entries match; an event matching any item is suppressed.
 */
export type ExceptionEntry = DomainExceptionEntry;
export interface ExceptionItem {
  id: string;
  entries: ExceptionEntry[];
}

export interface EqlSearchRequest {
  /** index patterns, e.g. ['winlogbeat-*', 'logs-endpoint.events.file-*']; missing indices ignored */
  index: string[];
  query: string;
  /** the detection window on `timestampField`, falling back to `@timestamp` where it is missing */
  window?: TimeWindow;
  /** field the window applies to (a rule's timestamp_override, e.g. 'event.ingested'); default '@timestamp' */
  timestampField?: string;
  /** events without `timestampField` are judged by `@timestamp` (default true) */
  fallbackToTimestamp?: boolean;
  size: number;
  tiebreakerField?: string;
  /** exception items excluded before EQL runs */
  exceptions?: ExceptionItem[];
  /** fields to return beside _source (ES `fields`) */
  fields?: string[];
  /** default 'head' for detection (the first max_signals events) */
  resultPosition?: 'head' | 'tail';
  signal?: AbortSignal;
}

export interface ShardFailure {
  index?: string;
  reason: string;
}

export interface EqlSearchResult {
  hits: EqlHits;
  took: number;
  isPartial: boolean;
  shardFailures: ShardFailure[];
}

/** A bounded result: `truncated` tells the UI that the limit cut it. */
export interface Bounded<T> {
  items: T[];
  truncated: boolean;
  /** total matching, when known */
  total?: number;
}

export interface EntityEventsRequest {
  /** process.entity_id values; an event matches if its process.entity_id (or, for
   *  process events, process.parent.entity_id when `includeChildren`) is among them */
  entityIds: string[];
  /** event.category values to include (e.g. ['network','dns']); all when absent */
  categories?: string[];
  window?: TimeWindow;
  size: number;
}

/** Processes to describe by entity id (`findProcessesByEntityIds`). */
export interface ProcessLookupRequest {
  entityIds: string[];
  /** only events of this host (case-insensitive) */
  host?: string;
  /** only events at or before `window.to` */
  window?: TimeWindow;
}

export interface LineageRequest {
  /** the subject process's entity id */
  entityId: string;
  host?: string;
  window?: TimeWindow;
  /** how many ancestors at most (default 20) */
  maxDepth?: number;
}

export interface AuthRequest {
  host: string;
  /** events at or after this time */
  after: string;
  before?: string;
  size: number;
}

export interface PrevalenceRequest {
  /** process.executable values */
  executables: string[];
  window?: TimeWindow;
}

export interface SourceHealth {
  kind: 'embedded' | 'elasticsearch';
  ok: boolean;
  /** e.g. cluster name and version, or the SQLite file and event count */
  detail: string;
}

export interface EventSource {
  readonly kind: 'embedded' | 'elasticsearch';
  eqlSearch(req: EqlSearchRequest): Promise<EqlSearchResult>;
  /** fetch documents by index and id (missing ones are left out) */
  getEvents(refs: { _index: string; _id: string }[]): Promise<StoredEvent[]>;
  /**
   * For each entity id, the one event that describes the process: its start event, else another
   * process event, else any event of it (earliest first). Ids without an event are absent.
   * (lib/investigation/lineage.ts walks the ancestry with it.)
   */
  findProcessesByEntityIds(req: ProcessLookupRequest): Promise<Map<string, StoredEvent>>;
  /** process start events whose process.parent.entity_id is among the ids (one generation) */
  childProcesses(req: { parentEntityIds: string[]; window?: TimeWindow; size: number }): Promise<Bounded<StoredEvent>>;
  /** events of a set of entity ids, time-ordered */
  entityEvents(req: EntityEventsRequest): Promise<Bounded<StoredEvent>>;
  /** authentication events (event.category authentication) on a host after a time */
  authenticationEvents(req: AuthRequest): Promise<Bounded<StoredEvent>>;
  /** number of distinct hosts (host.name) that ran each executable */
  executablePrevalence(req: PrevalenceRequest): Promise<Record<string, number>>;
  health(): Promise<SourceHealth>;
}

/** Writing side of the embedded store (lib/events/embedded/store.ts implements it). */
export interface InsertResult {
  /** new documents stored */
  stored: number;
  /** documents whose (_index, _id) already existed: replaced in place, not duplicated */
  replaced: number;
}

export interface EventStoreWriter {
  /** idempotent by (_index, _id) */
  insert(events: StoredEvent[]): InsertResult;
  /** remove every event of the given index patterns (all events when absent) */
  clear(indexPatterns?: string[]): number;
  count(): number;
}
