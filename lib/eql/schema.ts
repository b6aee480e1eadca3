/**
 * Builds an EQL `Schema` from Elasticsearch index mappings (the JSON of `mappings`, with or
 * without the top-level `mappings` wrapper). Several mappings merge into one schema (a field
 * is known if any searched index maps it; the first mapping's type wins).
 */
import type { FieldSchema, FieldType, Schema } from './types';

const KNOWN: ReadonlySet<string> = new Set<FieldType>([
  'keyword',
  'constant_keyword',
  'wildcard',
  'text',
  'long',
  'integer',
  'short',
  'byte',
  'unsigned_long',
  'double',
  'float',
  'half_float',
  'scaled_float',
  'date',
  'date_nanos',
  'ip',
  'version',
  'boolean',
  'object',
  'nested',
  'alias',
]);

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function fieldType(raw: unknown): FieldType {
  if (typeof raw !== 'string') return 'object';
  if (KNOWN.has(raw)) return raw as FieldType;
  return 'keyword';
}

function addField(out: Map<string, FieldSchema>, path: string, def: Record<string, unknown>): void {
  if (out.has(path)) return;
  const type = fieldType(def.type ?? (isRecord(def.properties) ? 'object' : 'keyword'));
  const fs: FieldSchema = { type };
  const nv = def.null_value;
  if (typeof nv === 'string' || typeof nv === 'number' || typeof nv === 'boolean') fs.nullValue = nv;
  if (type === 'alias' && typeof def.path === 'string') fs.path = def.path;
  if (isRecord(def.fields)) {
    for (const [sub, subDef] of Object.entries(def.fields)) {
      if (!isRecord(subDef)) continue;
      const st = fieldType(subDef.type);
      if (st === 'keyword' || st === 'wildcard' || st === 'constant_keyword') fs.keywordSubfield = true;
      addField(out, `${path}.${sub}`, subDef);
    }
  }
  out.set(path, fs);
}

function walk(out: Map<string, FieldSchema>, prefix: string, props: Record<string, unknown>): void {
  for (const [name, def] of Object.entries(props)) {
    if (!isRecord(def)) continue;
    const path = prefix ? `${prefix}.${name}` : name;
    if (isRecord(def.properties) && (def.type === undefined || def.type === 'object' || def.type === 'nested')) {
      if (def.type === 'nested') addField(out, path, def);
      walk(out, path, def.properties);
    } else {
      addField(out, path, def);
    }
  }
}

/** Schema of one or more index mappings. Unknown types count as keyword. */
export function schemaFromMappings(...mappings: unknown[]): Schema {
  const out = new Map<string, FieldSchema>();
  for (const m0 of mappings) {
    const m = isRecord(m0) && isRecord(m0.mappings) ? m0.mappings : m0;
    if (!isRecord(m)) continue;
    if (isRecord(m.properties)) walk(out, '', m.properties);
    if (isRecord(m.runtime)) {
      for (const [name, def] of Object.entries(m.runtime)) {
        if (isRecord(def)) addField(out, name, def);
      }
    }
  }
  return out;
}

/** Follows `alias` entries to the concrete field path (at most a few hops). */
export function resolveAlias(schema: Schema | undefined, path: string): string {
  let p = path;
  for (let i = 0; i < 5 && schema; i++) {
    const f = schema.get(p);
    if (!f || f.type !== 'alias' || !f.path) break;
    p = f.path;
  }
  return p;
}

function dynamicType(v: unknown): FieldSchema | null {
  if (typeof v === 'string') return { type: 'text', keywordSubfield: true };
  if (typeof v === 'number') return { type: Number.isInteger(v) ? 'long' : 'float' };
  if (typeof v === 'boolean') return { type: 'boolean' };
  return null;
}

function inferInto(out: Map<string, FieldSchema>, prefix: string, obj: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(obj)) {
    const path = prefix ? `${prefix}.${k}` : k;
    const values = Array.isArray(v) ? v : [v];
    for (const x of values) {
      if (isRecord(x)) {
        inferInto(out, path, x);
        continue;
      }
      if (out.has(path)) continue;
      const t = dynamicType(x);
      if (t) {
        out.set(path, t);
        if (t.type === 'text') out.set(`${path}.keyword`, { type: 'keyword' });
      }
    }
  }
}

/**
 * Adds Elasticsearch dynamic mappings for fields of `docs` that `base` does not map:
 * strings become text with a keyword sub-field, integers long, decimals float, booleans
 * boolean (what ES does for unmapped JSON, date detection aside).
 */
export function withDynamicFields(base: Schema, docs: Iterable<Record<string, unknown>>): Schema {
  const out = new Map(base);
  for (const d of docs) inferInto(out, '', d);
  return out;
}
