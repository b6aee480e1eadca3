/**
 * A tiny in-memory EventSource over an array of events, for unit tests of lib/investigation.
 * Same contract as the embedded and Elasticsearch sources (lib/events/types.ts); EQL goes
 * through lib/eql's search().
 */
import { search } from '../../eql';
import type {
  AuthRequest,
  Bounded,
  EntityEventsRequest,
  EqlSearchRequest,
  EqlSearchResult,
  EventSource,
  ExceptionItem,
  PrevalenceRequest,
  ProcessLookupRequest,
  SourceHealth,
  StoredEvent,
  TimeWindow,
} from '../../events/types';
import { getField, has, str, toMs, values } from '../fields';

function wildcardToRegExp(pattern: string, caseInsensitive: boolean): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, caseInsensitive ? 'is' : 's');
}

function inWindow(ev: StoredEvent, w: TimeWindow | undefined, field = '@timestamp', fallback = true): boolean {
  if (!w) return true;
  let t = toMs(getField(ev._source, field));
  if (t === null && fallback && field !== '@timestamp') t = toMs(getField(ev._source, '@timestamp'));
  const from = toMs(w.from);
  const to = toMs(w.to);
  return t !== null && from !== null && to !== null && t >= from && t <= to;
}

function matchesException(ev: StoredEvent, item: ExceptionItem): boolean {
  return item.entries.every((e) => {
    const vals = values(ev._source, e.field).map(String);
    let ok: boolean;
    switch (e.operator) {
      case 'exists':
        ok = vals.length > 0;
        break;
      case 'is':
        ok = vals.some((v) => v === e.values[0]);
        break;
      case 'is_one_of':
        ok = vals.some((v) => e.values.includes(v));
        break;
      case 'matches':
        ok = vals.some((v) => e.values.some((p) => wildcardToRegExp(p, true).test(v)));
        break;
    }
    return e.negate ? !ok : ok;
  });
}

function byTime(a: StoredEvent, b: StoredEvent): number {
  return (toMs(getField(a._source, '@timestamp')) ?? 0) - (toMs(getField(b._source, '@timestamp')) ?? 0);
}

function bounded(items: StoredEvent[], size: number): Bounded<StoredEvent> {
  return { items: items.slice(0, size), truncated: items.length > size, total: items.length };
}

function isProcessStart(ev: StoredEvent): boolean {
  return has(ev._source, 'event.category', 'process') && has(ev._source, 'event.type', 'start');
}

export class MemorySource implements EventSource {
  readonly kind = 'embedded' as const;
  /** every request, for tests that check what was asked */
  readonly calls: { method: string; req: unknown }[] = [];
  private readonly events: StoredEvent[];

  constructor(events: StoredEvent[]) {
    this.events = [...events].sort(byTime);
  }

  async eqlSearch(req: EqlSearchRequest): Promise<EqlSearchResult> {
    this.calls.push({ method: 'eqlSearch', req });
    const patterns = req.index.map((p) => wildcardToRegExp(p, false));
    const candidates = this.events.filter(
      (ev) =>
        patterns.some((p) => p.test(ev._index)) &&
        inWindow(ev, req.window, req.timestampField ?? '@timestamp', req.fallbackToTimestamp ?? true) &&
        !(req.exceptions ?? []).some((x) => matchesException(ev, x)),
    );
    const hits = search(candidates, req.query, {
      size: req.size,
      resultPosition: req.resultPosition ?? 'head',
      ...(req.tiebreakerField ? { tiebreakerField: req.tiebreakerField } : {}),
    });
    return { hits, took: 0, isPartial: false, shardFailures: [] };
  }

  async getEvents(refs: { _index: string; _id: string }[]): Promise<StoredEvent[]> {
    this.calls.push({ method: 'getEvents', req: refs });
    return refs.flatMap((r) => this.events.filter((e) => e._index === r._index && e._id === r._id));
  }

  private describe(entityId: string, host: string | undefined, w: TimeWindow | undefined): StoredEvent | null {
    const to = w ? toMs(w.to) : null;
    const mine = this.events.filter(
      (e) =>
        str(e._source, 'process.entity_id') === entityId &&
        (!host || (str(e._source, 'host.name') ?? '').toLowerCase() === host.toLowerCase()) &&
        (to === null || (toMs(getField(e._source, '@timestamp')) ?? 0) <= to),
    );
    return mine.find(isProcessStart) ?? mine.find((e) => has(e._source, 'event.category', 'process')) ?? mine[0] ?? null;
  }

  async findProcessesByEntityIds(req: ProcessLookupRequest): Promise<Map<string, StoredEvent>> {
    this.calls.push({ method: 'findProcessesByEntityIds', req });
    const out = new Map<string, StoredEvent>();
    for (const id of req.entityIds) {
      const ev = this.describe(id, req.host, req.window);
      if (ev) out.set(id, ev);
    }
    return out;
  }

  async childProcesses(req: { parentEntityIds: string[]; window?: TimeWindow; size: number }): Promise<Bounded<StoredEvent>> {
    this.calls.push({ method: 'childProcesses', req });
    const ids = new Set(req.parentEntityIds);
    return bounded(
      this.events.filter((e) => isProcessStart(e) && ids.has(str(e._source, 'process.parent.entity_id') ?? '') && inWindow(e, req.window)),
      req.size,
    );
  }

  async entityEvents(req: EntityEventsRequest): Promise<Bounded<StoredEvent>> {
    this.calls.push({ method: 'entityEvents', req });
    const ids = new Set(req.entityIds);
    const cats = req.categories;
    return bounded(
      this.events.filter(
        (e) =>
          ids.has(str(e._source, 'process.entity_id') ?? '') &&
          (!cats || cats.some((c) => has(e._source, 'event.category', c))) &&
          inWindow(e, req.window),
      ),
      req.size,
    );
  }

  async authenticationEvents(req: AuthRequest): Promise<Bounded<StoredEvent>> {
    this.calls.push({ method: 'authenticationEvents', req });
    const host = req.host.toLowerCase();
    const short = host.split('.')[0];
    const after = toMs(req.after) ?? 0;
    const before = req.before ? (toMs(req.before) ?? Infinity) : Infinity;
    return bounded(
      this.events.filter((e) => {
        const h = (str(e._source, 'host.name') ?? '').toLowerCase();
        const t = toMs(getField(e._source, '@timestamp')) ?? -1;
        return (h === host || h === short || h.startsWith(`${short}.`)) && t >= after && t <= before && has(e._source, 'event.category', 'authentication');
      }),
      req.size,
    );
  }

  async executablePrevalence(req: PrevalenceRequest): Promise<Record<string, number>> {
    this.calls.push({ method: 'executablePrevalence', req });
    const out: Record<string, number> = {};
    for (const exe of req.executables) {
      const hosts = new Set<string>();
      for (const e of this.events) {
        if ((str(e._source, 'process.executable') ?? '').toLowerCase() !== exe.toLowerCase()) continue;
        if (!inWindow(e, req.window)) continue;
        const h = str(e._source, 'host.name');
        if (h) hosts.add(h.toLowerCase());
      }
      out[exe] = hosts.size;
    }
    return out;
  }

  async health(): Promise<SourceHealth> {
    return { kind: 'embedded', ok: true, detail: `memory: ${this.events.length} events` };
  }
}
