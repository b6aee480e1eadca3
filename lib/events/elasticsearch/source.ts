/**
 * EventSource over an Elasticsearch cluster, through the official client.
 * Detection: `_eql/search` with the window filter (timestamp override with @timestamp
 * fallback) and exceptions as must_not. Evidence: bounded `_search` requests.
 */
import type { Client } from '@elastic/elasticsearch';
import type { TransportRequestOptionsWithOutMeta } from '@elastic/elasticsearch';
import type { StoredEvent } from '../types';
import type {
  AuthRequest,
  Bounded,
  EntityEventsRequest,
  EqlSearchRequest,
  EqlSearchResult,
  EventSource,
  ProcessLookupRequest,
  PrevalenceRequest,
  SourceHealth,
  TimeWindow,
} from '../types';
import { DEFAULT_EVIDENCE_INDEX } from '../config';
import { EventSourceError } from '../errors';
import { toEventSourceError, withRetry, type RetryOptions } from './errors';
import {
  buildAuthenticationSearch,
  buildChildProcessesSearch,
  buildEntityEventsSearch,
  buildEqlSearchParams,
  buildLineageStepSearch,
  OPTIONAL_EQL_FIELDS,
  buildPrevalenceSearch,
  type EvidenceSearch,
} from './queries';
import {
  eqlResponseSchema,
  infoResponseSchema,
  mgetResponseSchema,
  parseResponse,
  prevalenceAggSchema,
  searchResponseSchema,
  toEqlHits,
  toEvent,
  toShardFailures,
} from './responses';

export interface ElasticsearchSourceOptions {
  /** index patterns read by the evidence queries (default logs-*, winlogbeat-*, endgame-*) */
  evidenceIndex?: string[];
  /** backoff for transient failures */
  retry?: RetryOptions;
  /**
   * Accept results when some shards fail (default true): the result says `isPartial`
   * and lists the failures. With false, such a response is an error of kind 'partial'.
   */
  allowPartialResults?: boolean;
  /** client-side timeout of one EQL request (default: the client's requestTimeout) */
  eqlTimeoutMs?: number;
  /** client-side timeout of one evidence request (default 15 s) */
  evidenceTimeoutMs?: number;
  /** client-side timeout of the health check (default 3 s) */
  healthTimeoutMs?: number;
}

/**
 * The optional EQL body field a 400 says the cluster does not know (e.g. `[eql/search]
 * unknown field [allow_partial_search_results]` from a cluster older than 8.18).
 */
function unknownOptionalField(e: unknown): string | undefined {
  if (!(e instanceof EventSourceError) || e.kind !== 'query_error') return undefined;
  const text = `${e.reason ?? ''} ${e.message}`;
  return OPTIONAL_EQL_FIELDS.find((f) => new RegExp(`(unknown|unrecognized)[^\\[]*\\[${f}\\]`).test(text));
}

const MGET_CHUNK = 500;

export function createElasticsearchSource(client: Client, opts: ElasticsearchSourceOptions = {}): EventSource {
  const evidenceIndex = opts.evidenceIndex ?? DEFAULT_EVIDENCE_INDEX;
  const allowPartial = opts.allowPartialResults ?? true;
  const evidenceTimeout = opts.evidenceTimeoutMs ?? 15_000;
  const healthTimeout = opts.healthTimeoutMs ?? 3_000;
  /** optional EQL fields this cluster rejected as unknown (older versions); not sent again */
  const unsupported = new Set<string>();

  const transport = (timeout: number | undefined, signal?: AbortSignal): TransportRequestOptionsWithOutMeta => ({
    meta: false,
    maxRetries: 0,
    ...(timeout === undefined ? {} : { requestTimeout: timeout }),
    ...(signal ? { signal } : {}),
  });

  async function evidenceSearch(what: string, params: EvidenceSearch): Promise<Bounded<StoredEvent>> {
    const body = await withRetry(() => client.search(params, transport(evidenceTimeout)), what, opts.retry);
    const res = parseResponse(searchResponseSchema, body, what);
    const items = res.hits.hits.map((h) => toEvent(h, false));
    const total = typeof res.hits.total === 'number' ? res.hits.total : res.hits.total?.value;
    const relation = typeof res.hits.total === 'object' ? res.hits.total.relation : 'eq';
    const failedShards = (res._shards?.failed ?? 0) > 0;
    const truncated =
      relation === 'gte' || (total !== undefined && total > items.length) || res.timed_out === true || failedShards;
    return { items, truncated, ...(total === undefined ? {} : { total }) };
  }

  return {
    kind: 'elasticsearch',

    async eqlSearch(req: EqlSearchRequest): Promise<EqlSearchResult> {
      if (req.index.length === 0) {
        throw new EventSourceError({ kind: 'query_error', retryable: false, message: 'EQL search: the rule names no index pattern' });
      }
      const what = `EQL search on ${req.index.join(',')}`;
      const run = () =>
        withRetry(
          () => client.eql.search(buildEqlSearchParams(req, { allowPartial, omit: unsupported }), transport(opts.eqlTimeoutMs, req.signal)),
          what,
          { ...opts.retry, signal: req.signal },
        );
      let body: unknown;
      for (let attempt = 0; ; attempt++) {
        try {
          body = await run();
          break;
        } catch (e) {
          const field = unknownOptionalField(e);
          if (field === undefined || unsupported.has(field) || attempt >= OPTIONAL_EQL_FIELDS.length) throw e;
          unsupported.add(field);
        }
      }
      const res = parseResponse(eqlResponseSchema, body, what);
      const shardFailures = toShardFailures(res.shard_failures);
      // is_running: the cluster turned the search async (a cluster-wide default) and answered early
      const isPartial = res.is_partial === true || res.is_running === true || res.timed_out === true || shardFailures.length > 0;
      if (isPartial && !allowPartial) {
        throw new EventSourceError({
          kind: 'partial',
          retryable: true,
          message: `${what}: partial results (${shardFailures.map((f) => f.reason).join('; ') || 'timed out'})`,
        });
      }
      return {
        hits: toEqlHits(res, req.fields !== undefined && req.fields.length > 0),
        took: res.took ?? 0,
        isPartial,
        shardFailures,
      };
    },

    async getEvents(refs) {
      const what = 'fetching events by id';
      const out: StoredEvent[] = [];
      // bounded request bodies: 500 documents per _mget
      for (let i = 0; i < refs.length; i += MGET_CHUNK) {
        const docs = refs.slice(i, i + MGET_CHUNK).map((r) => ({ _index: r._index, _id: r._id }));
        const body = await withRetry(() => client.mget({ docs }, transport(evidenceTimeout)), what, opts.retry);
        const res = parseResponse(mgetResponseSchema, body, what);
        for (const d of res.docs) {
          if (d.found === true && d.error === undefined) out.push({ _index: d._index, _id: d._id, _source: d._source ?? {} });
        }
      }
      return out;
    },

    async findProcessesByEntityIds(req: ProcessLookupRequest) {
      // one bounded search per id (size 1, the start event scored first), at most 8 at a time;
      // the lineage walk asks for one id per generation
      const ids = [...new Set(req.entityIds)];
      const out = new Map<string, StoredEvent>();
      for (let i = 0; i < ids.length; i += 8) {
        const chunk = ids.slice(i, i + 8);
        const found = await Promise.all(
          chunk.map(async (id) => (await evidenceSearch('process lineage', buildLineageStepSearch(evidenceIndex, req, id))).items[0]),
        );
        chunk.forEach((id, j) => {
          const ev = found[j];
          if (ev) out.set(id, ev);
        });
      }
      return out;
    },

    childProcesses(req: { parentEntityIds: string[]; window?: TimeWindow; size: number }) {
      if (req.parentEntityIds.length === 0) return Promise.resolve({ items: [], truncated: false, total: 0 });
      return evidenceSearch('child processes', buildChildProcessesSearch(evidenceIndex, req));
    },

    entityEvents(req: EntityEventsRequest) {
      if (req.entityIds.length === 0) return Promise.resolve({ items: [], truncated: false, total: 0 });
      return evidenceSearch('entity events', buildEntityEventsSearch(evidenceIndex, req));
    },

    authenticationEvents(req: AuthRequest) {
      return evidenceSearch(`authentication events on ${req.host}`, buildAuthenticationSearch(evidenceIndex, req));
    },

    async executablePrevalence(req: PrevalenceRequest) {
      const out: Record<string, number> = {};
      for (const e of req.executables) out[e] = 0;
      if (req.executables.length === 0) return out;
      const what = 'executable prevalence';
      const body = await withRetry(
        () => client.search(buildPrevalenceSearch(evidenceIndex, req), transport(evidenceTimeout)),
        what,
        opts.retry,
      );
      const res = parseResponse(searchResponseSchema, body, what);
      const aggs = parseResponse(prevalenceAggSchema, res.aggregations ?? {}, what);
      req.executables.forEach((exe, i) => {
        const b = aggs.executables.buckets[String(i)];
        if (b) out[exe] = b.hosts.value;
      });
      return out;
    },

    async health(): Promise<SourceHealth> {
      try {
        const body = await client.info({}, transport(healthTimeout));
        const info = parseResponse(infoResponseSchema, body, 'health check');
        const flavor = info.version.build_flavor && info.version.build_flavor !== 'default' ? ` (${info.version.build_flavor})` : '';
        return {
          kind: 'elasticsearch',
          ok: true,
          detail: `cluster "${info.cluster_name}", Elasticsearch ${info.version.number}${flavor}`,
        };
      } catch (e) {
        const err = toEventSourceError(e, 'health check');
        return { kind: 'elasticsearch', ok: false, detail: `${err.kind}: ${err.message}` };
      }
    },
  };
}
