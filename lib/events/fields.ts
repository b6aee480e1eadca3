/**
 * Field access over free-form JSON (ECS) documents: dotted-path lookup that reaches nested
 * objects and literal dotted keys alike. The one implementation shared by the embedded store,
 * the investigation evidence and the tests' in-memory sources.
 */

export type Doc = Record<string, unknown>;

export function isRecord(v: unknown): v is Doc {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Value at a dotted path: `a.b.c` reaches `{a:{b:{c}}}`, `{"a.b":{c}}` and `{"a.b.c":…}`. */
export function getField(doc: unknown, field: string): unknown {
  if (!isRecord(doc)) return undefined;
  if (field in doc) return doc[field];
  // fast path: plain nesting
  const parts = field.split('.');
  let cur: unknown = doc;
  for (const p of parts) {
    if (!isRecord(cur)) {
      cur = undefined;
      break;
    }
    cur = cur[p];
  }
  if (cur !== undefined) return cur;
  let dot = field.indexOf('.');
  while (dot > 0) {
    const head = field.slice(0, dot);
    const next = doc[head];
    if (next !== undefined) {
      const v = getField(next, field.slice(dot + 1));
      if (v !== undefined) return v;
    }
    dot = field.indexOf('.', dot + 1);
  }
  return undefined;
}

/** Values of a field as a flat list of scalars (arrays flattened, null/undefined dropped). */
export function fieldValues(doc: unknown, field: string): (string | number | boolean)[] {
  const out: (string | number | boolean)[] = [];
  pushScalars(getField(doc, field), out);
  return out;
}

function pushScalars(x: unknown, out: (string | number | boolean)[]): void {
  if (typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean') out.push(x);
  else if (Array.isArray(x)) for (const y of x) pushScalars(y, out);
}
