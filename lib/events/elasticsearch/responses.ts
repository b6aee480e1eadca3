/**
 * zod schemas of the Elasticsearch responses the source reads, and their conversion to
 * the EventSource types. Anything unexpected becomes an EventSourceError naming the
 * response and the path of the bad field, never a crash further down.
 */
import { z } from 'zod';
import type { EqlEvent, EqlHits, EqlSequence, JoinKeyValue, MissingEvent } from '../../eql/types';
import { EventSourceError } from '../errors';
import type { ShardFailure } from '../types';

const errorCause = z.looseObject({ type: z.string().optional(), reason: z.string().nullish() });

const shardFailure = z.looseObject({
  index: z.string().nullish(),
  _index: z.string().nullish(),
  shard: z.number().optional(),
  reason: z.union([errorCause, z.string()]).optional(),
});

const total = z.looseObject({ value: z.number(), relation: z.enum(['eq', 'gte']) });

const hit = z.looseObject({
  _index: z.string(),
  _id: z.string(),
  _source: z.record(z.string(), z.unknown()).nullish(),
  fields: z.record(z.string(), z.unknown()).optional(),
  missing: z.boolean().optional(),
});

export const eqlResponseSchema = z.looseObject({
  is_partial: z.boolean().optional(),
  is_running: z.boolean().optional(),
  took: z.number().optional(),
  timed_out: z.boolean().optional(),
  shard_failures: z.array(shardFailure).optional(),
  hits: z.looseObject({
    total: total.optional(),
    events: z.array(hit).optional(),
    sequences: z
      .array(
        z.looseObject({
          join_keys: z.array(z.unknown()).optional(),
          events: z.array(hit),
        }),
      )
      .optional(),
  }),
});

export const searchResponseSchema = z.looseObject({
  took: z.number().optional(),
  timed_out: z.boolean().optional(),
  _shards: z
    .looseObject({
      total: z.number().optional(),
      failed: z.number().optional(),
      failures: z.array(shardFailure).optional(),
    })
    .optional(),
  hits: z.looseObject({
    total: z.union([total, z.number()]).optional(),
    hits: z.array(hit),
  }),
  aggregations: z.record(z.string(), z.unknown()).optional(),
});

export const prevalenceAggSchema = z.looseObject({
  executables: z.looseObject({
    buckets: z.record(z.string(), z.looseObject({ doc_count: z.number(), hosts: z.looseObject({ value: z.number() }) })),
  }),
});

export const mgetResponseSchema = z.looseObject({
  docs: z.array(
    z.looseObject({
      _index: z.string(),
      _id: z.string(),
      found: z.boolean().optional(),
      _source: z.record(z.string(), z.unknown()).nullish(),
      error: z.unknown().optional(),
    }),
  ),
});

export const infoResponseSchema = z.looseObject({
  cluster_name: z.string(),
  version: z.looseObject({ number: z.string(), build_flavor: z.string().optional() }),
});

export function parseResponse<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const where = issue && issue.path.length > 0 ? issue.path.join('.') : '(root)';
  throw new EventSourceError({
    kind: 'unknown',
    retryable: false,
    message: `${what}: unexpected response from the cluster at ${where}: ${issue?.message ?? 'invalid'}`,
  });
}

type Hit = z.infer<typeof hit>;

export function toEvent(h: Hit, keepFields: boolean): EqlEvent {
  const ev: EqlEvent & { fields?: Record<string, unknown> } = { _index: h._index, _id: h._id, _source: h._source ?? {} };
  if (keepFields && h.fields) ev.fields = h.fields;
  return ev;
}

function toJoinKey(v: unknown): JoinKeyValue {
  if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  return JSON.stringify(v);
}

function toSeqEvent(h: Hit, keepFields: boolean): EqlEvent | MissingEvent {
  if (h.missing) return { _index: '', _id: '', missing: true };
  return toEvent(h, keepFields);
}

export function toShardFailures(list: z.infer<typeof shardFailure>[] | undefined): ShardFailure[] {
  return (list ?? []).map((f) => {
    const r = f.reason;
    const reason = r === undefined ? 'unknown shard failure' : typeof r === 'string' ? r : [r.type, r.reason].filter(Boolean).join(': ');
    const index = f.index ?? f._index ?? undefined;
    return index ? { index, reason } : { reason };
  });
}

export function toEqlHits(body: z.infer<typeof eqlResponseSchema>, keepFields: boolean): EqlHits {
  const h = body.hits;
  const out: EqlHits = {
    total: h.total ?? { value: (h.events ?? h.sequences ?? []).length, relation: 'eq' },
  };
  if (h.events) out.events = h.events.map((e) => toEvent(e, keepFields));
  if (h.sequences) {
    out.sequences = h.sequences.map(
      (s): EqlSequence => ({
        join_keys: (s.join_keys ?? []).map(toJoinKey),
        events: s.events.map((e) => toSeqEvent(e, keepFields)),
      }),
    );
  }
  return out;
}
