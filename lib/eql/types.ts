/**
 * Public types of the EQL engine (contract between lib/eql's parts and its callers).
 */
import type { Span } from './ast';

/** Elasticsearch field types that change EQL behaviour. Anything else behaves as keyword. */
export type FieldType =
  | 'keyword'
  | 'constant_keyword'
  | 'wildcard'
  | 'text'
  | 'long'
  | 'integer'
  | 'short'
  | 'byte'
  | 'unsigned_long'
  | 'double'
  | 'float'
  | 'half_float'
  | 'scaled_float'
  | 'date'
  | 'date_nanos'
  | 'ip'
  | 'version'
  | 'boolean'
  | 'object'
  | 'nested'
  | 'alias';

export interface FieldSchema {
  type: FieldType;
  /** a `text` field with a `keyword` sub-field is compared through it */
  keywordSubfield?: boolean;
  /** mapping `null_value`: an explicit JSON null is read as this value */
  nullValue?: string | number | boolean;
  /** for `alias`: the target path */
  path?: string;
}

/**
 * What the checker and evaluator know about fields. With no schema (embedded store over
 * free-form JSON) every field is allowed and values are typed at run time.
 */
export type Schema = ReadonlyMap<string, FieldSchema>;

/** One stored event, as Elasticsearch returns it in `hits.events`. */
export interface EqlEvent {
  _index: string;
  _id: string;
  _source: Record<string, unknown>;
}

/** Placeholder for a missing event (`![…]`) in a sequence result. */
export interface MissingEvent {
  _index: '';
  _id: '';
  missing: true;
}

export type JoinKeyValue = string | number | boolean | null;

export interface EqlSequence {
  join_keys: JoinKeyValue[];
  events: (EqlEvent | MissingEvent)[];
}

/** Shaped like the `hits` of an `_eql/search` response. */
export interface EqlHits {
  total: { value: number; relation: 'eq' | 'gte' };
  events?: EqlEvent[];
  sequences?: EqlSequence[];
}

export interface SearchOptions {
  /** maximum events / sequences / samples returned (default 10) */
  size?: number;
  /** with no pipe: keep the first or the last `size` matches (default 'tail') */
  resultPosition?: 'head' | 'tail';
  timestampField?: string; // default '@timestamp'
  tiebreakerField?: string; // optional
  eventCategoryField?: string; // default 'event.category'
  maxSamplesPerKey?: number; // default 1
  schema?: Schema;
  /** events are already in (timestamp, tiebreaker, insertion) order: skip the sort */
  presorted?: boolean;
}

export type ErrorCode =
  | 'lex'
  | 'syntax'
  | 'unsupported'
  | 'unknown_field'
  | 'unknown_function'
  | 'arity'
  | 'type'
  | 'field_comparison'
  | 'invalid_value'
  | 'runtime';

export interface Diagnostic {
  code: ErrorCode;
  message: string;
  span: Span;
  line: number; // 1-based
  column: number; // 1-based
}
