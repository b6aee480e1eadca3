/**
 * Pure builders of the requests the Elasticsearch source sends. Kept apart from the
 * client so the contract tests can state the exact bodies and so the shared suite's
 * mock can read them back.
 *
 * The detection time filter has the shape of Kibana's detection engine: with a
 * timestamp override (e.g. `event.ingested`) and fallback on, a document is in the
 * window when its override is in range, OR when it has no override and its
 * `@timestamp` is in range.
 */
import type { estypes } from '@elastic/elasticsearch';
import type {
  AuthRequest,
  EntityEventsRequest,
  EqlSearchRequest,
  ExceptionEntry,
  ExceptionItem,
  ProcessLookupRequest,
  PrevalenceRequest,
  TimeWindow,
} from '../types';

export type Query = estypes.QueryDslQueryContainer;

export const DATE_FORMAT = 'strict_date_optional_time';
/** server-side time budget of each evidence search (the `timeout` body field) */
export const EVIDENCE_TIMEOUT = '10s';

function range(field: string, w: TimeWindow): Query {
  return { range: { [field]: { gte: w.from, lte: w.to, format: DATE_FORMAT } } };
}

/**
 * The window filter. `primary` is the rule's timestamp override (or @timestamp); with a
 * `secondary` (@timestamp), documents lacking `primary` are judged by `secondary`.
 */
export function buildTimeRangeFilter(w: TimeWindow, primary: string, secondary?: string): Query {
  if (secondary === undefined || secondary === primary) return range(primary, w);
  return {
    bool: {
      minimum_should_match: 1,
      should: [
        range(primary, w),
        {
          bool: {
            filter: [range(secondary, w), { bool: { must_not: { exists: { field: primary } } } }],
          },
        },
      ],
    },
  };
}

/**
 * An exception pattern (`*`, `?` wildcards; everything else literal, backslashes of
 * Windows paths included) as a `wildcard` query value, where `\` is the escape character.
 */
export function toWildcardValue(pattern: string): string {
  return pattern.replace(/\\/g, '\\\\');
}

/** One exception entry as a query that matches the documents the entry describes. */
export function buildExceptionEntryQuery(e: ExceptionEntry): Query {
  let q: Query;
  switch (e.operator) {
    case 'is':
      q = { match_phrase: { [e.field]: e.values[0] ?? '' } };
      break;
    case 'is_one_of':
      q = { terms: { [e.field]: e.values } };
      break;
    case 'matches':
      q =
        e.values.length === 1
          ? { wildcard: { [e.field]: { value: toWildcardValue(e.values[0] ?? ''), case_insensitive: true } } }
          : {
              bool: {
                minimum_should_match: 1,
                should: e.values.map((v) => ({ wildcard: { [e.field]: { value: toWildcardValue(v), case_insensitive: true } } })),
              },
            };
      break;
    case 'exists':
      q = { exists: { field: e.field } };
      break;
  }
  return e.negate ? { bool: { must_not: [q] } } : q;
}

/** An exception item: all its entries must match. */
export function buildExceptionItemQuery(item: ExceptionItem): Query {
  return { bool: { filter: item.entries.map(buildExceptionEntryQuery) } };
}

/** The complete `filter` of an EQL detection request. */
export function buildEqlFilter(req: EqlSearchRequest): Query | undefined {
  const filter: Query[] = [];
  if (req.window) {
    const primary = req.timestampField ?? '@timestamp';
    const fallback = req.fallbackToTimestamp ?? true;
    filter.push(buildTimeRangeFilter(req.window, primary, fallback ? '@timestamp' : undefined));
  }
  const items = (req.exceptions ?? []).filter((i) => i.entries.length > 0);
  if (filter.length === 0 && items.length === 0) return undefined;
  return {
    bool: {
      filter,
      ...(items.length > 0 ? { must_not: items.map(buildExceptionItemQuery) } : {}),
    },
  };
}

/**
 * Parameters of `client.eql.search` for a detection request.
 *
 * `allow_partial_search_results` / `allow_partial_sequence_results` exist from
 * Elasticsearch 8.18; an older cluster rejects them as unknown fields, and the source then
 * resends without the field it named (`omit`).
 *
 * `timestamp_field` stays `@timestamp`: the rule's timestamp override only places the
 * window (as in Kibana). Ordering events by `event.ingested` would make EQL drop every
 * event that lacks it — exactly the events the fallback is meant to keep.
 */
/** Body fields of newer clusters that an older one may reject as unknown. */
export const OPTIONAL_EQL_FIELDS = ['allow_partial_search_results', 'allow_partial_sequence_results', 'result_position'] as const;

export function buildEqlSearchParams(
  req: EqlSearchRequest,
  opts: { allowPartial: boolean; /** optional body fields the cluster does not know */ omit?: ReadonlySet<string> },
): estypes.EqlSearchRequest {
  const filter = buildEqlFilter(req);
  const omit = opts.omit ?? new Set<string>();
  const primary = req.timestampField ?? '@timestamp';
  const fallback = req.fallbackToTimestamp ?? true;
  const dateFields = primary !== '@timestamp' && fallback ? [primary, '@timestamp'] : [primary];
  const fields: (estypes.QueryDslFieldAndFormat | string)[] = [
    ...dateFields.map((f) => ({ field: f, format: DATE_FORMAT })),
    ...(req.fields ?? []).filter((f) => !dateFields.includes(f)),
  ];
  return {
    index: req.index.join(','),
    ignore_unavailable: true,
    allow_no_indices: true,
    query: req.query,
    size: req.size,
    timestamp_field: '@timestamp',
    ...(req.tiebreakerField ? { tiebreaker_field: req.tiebreakerField } : {}),
    ...(omit.has('result_position') ? {} : { result_position: req.resultPosition ?? 'head' }),
    ...(filter ? { filter } : {}),
    fields,
    // 8.18+: keep events from the shards that answered (the result says is_partial); a
    // sequence never completes across a failed shard (it could hide an `until` event)
    ...(omit.has('allow_partial_search_results') ? {} : { allow_partial_search_results: opts.allowPartial }),
    ...(omit.has('allow_partial_sequence_results') ? {} : { allow_partial_sequence_results: false }),
  };
}

/** Parameters of a bounded evidence `_search` (all share index options, sort and timeout). */
export interface EvidenceSearch {
  index: string;
  ignore_unavailable: true;
  allow_no_indices: true;
  size: number;
  timeout: string;
  track_total_hits: true;
  query: Query;
  sort: estypes.SortCombinations[];
}

const TIME_SORT: estypes.SortCombinations[] = [{ '@timestamp': { order: 'asc', unmapped_type: 'date' } }];

function evidence(index: string[], size: number, filter: Query[], sort: estypes.SortCombinations[] = TIME_SORT): EvidenceSearch {
  return {
    index: index.join(','),
    ignore_unavailable: true,
    allow_no_indices: true,
    size,
    timeout: EVIDENCE_TIMEOUT,
    track_total_hits: true,
    query: { bool: { filter } },
    sort,
  };
}

const term = (field: string, value: string): Query => ({ term: { [field]: value } });
const windowFilter = (w?: TimeWindow): Query[] => (w ? [range('@timestamp', w)] : []);

/** Exact host match ignoring case (host names are case-insensitive on Windows). */
const hostTerm = (host: string): Query => ({ term: { 'host.name': { value: host, case_insensitive: true } } });

/**
 * One lineage step: the event describing `entityId` — a process start event first, then
 * any process event, then any event; the earliest of the best kind (the constant-score
 * `should` clauses rank them 3 / 1 / 0). An ancestor may have started long before the
 * window, so only the window's end bounds the lookup.
 */
/** The event that describes one process (`findProcessesByEntityIds`): its start event first, else a process event, else any. */
export function buildLineageStepSearch(index: string[], req: Pick<ProcessLookupRequest, 'host' | 'window'>, entityId: string): EvidenceSearch {
  const filter: Query[] = [term('process.entity_id', entityId)];
  if (req.host) filter.push(hostTerm(req.host));
  if (req.window) filter.push({ range: { '@timestamp': { lte: req.window.to, format: DATE_FORMAT } } });
  const s = evidence(index, 1, filter, [
    { _score: { order: 'desc' } },
    { '@timestamp': { order: 'asc', unmapped_type: 'date' } },
  ]);
  s.query = {
    bool: {
      filter,
      should: [
        { constant_score: { filter: { bool: { filter: [term('event.category', 'process'), term('event.type', 'start')] } }, boost: 2 } },
        { constant_score: { filter: term('event.category', 'process'), boost: 1 } },
      ],
    },
  };
  return s;
}

export function buildChildProcessesSearch(
  index: string[],
  req: { parentEntityIds: string[]; window?: TimeWindow; size: number },
): EvidenceSearch {
  return evidence(index, req.size, [
    { terms: { 'process.parent.entity_id': req.parentEntityIds } },
    term('event.category', 'process'),
    term('event.type', 'start'),
    ...windowFilter(req.window),
  ]);
}

export function buildEntityEventsSearch(index: string[], req: EntityEventsRequest): EvidenceSearch {
  return evidence(index, req.size, [
    { terms: { 'process.entity_id': req.entityIds } },
    ...(req.categories && req.categories.length > 0 ? [{ terms: { 'event.category': req.categories } }] : []),
    ...windowFilter(req.window),
  ]);
}

/**
 * Logons on a host: the name matches ignoring case, and a short name and its FQDN
 * (`ws-01` / `ws-01.corp.example`) are the same machine.
 */
export function buildAuthenticationSearch(index: string[], req: AuthRequest): EvidenceSearch {
  const short = req.host.split('.')[0] ?? req.host;
  const names = [req.host, ...(short !== req.host ? [short] : [])];
  return evidence(index, req.size, [
    {
      bool: {
        minimum_should_match: 1,
        should: [
          ...names.map(hostTerm),
          { prefix: { 'host.name': { value: `${short}.`, case_insensitive: true } } },
        ],
      },
    },
    term('event.category', 'authentication'),
    { range: { '@timestamp': { gte: req.after, ...(req.before ? { lte: req.before } : {}), format: DATE_FORMAT } } },
  ]);
}

export interface PrevalenceSearch {
  index: string;
  ignore_unavailable: true;
  allow_no_indices: true;
  size: 0;
  timeout: string;
  query: Query;
  aggs: Record<string, estypes.AggregationsAggregationContainer>;
}

/**
 * Distinct host.name per process.executable, the executable matched ignoring case (Windows
 * paths), one `filters` bucket per requested executable keyed by its position. The
 * cardinality is exact below its precision threshold (3000 hosts).
 */
export function buildPrevalenceSearch(index: string[], req: PrevalenceRequest): PrevalenceSearch {
  const exeTerm = (exe: string): Query => ({ term: { 'process.executable': { value: exe, case_insensitive: true } } });
  return {
    index: index.join(','),
    ignore_unavailable: true,
    allow_no_indices: true,
    size: 0,
    timeout: EVIDENCE_TIMEOUT,
    query: {
      bool: {
        filter: [
          { bool: { minimum_should_match: 1, should: req.executables.map(exeTerm) } },
          { exists: { field: 'host.name' } },
          ...windowFilter(req.window),
        ],
      },
    },
    aggs: {
      executables: {
        filters: { filters: Object.fromEntries(req.executables.map((e, i) => [String(i), exeTerm(e)])) },
        aggs: { hosts: { cardinality: { field: 'host.name', precision_threshold: 3000 } } },
      },
    },
  };
}
