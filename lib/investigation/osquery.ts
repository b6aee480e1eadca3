/**
 * Osquery queries of the guide with `{{field}}` placeholders filled from the alert's event.
 * A value replaces its placeholder as written when the placeholder sits inside quotes;
 * elsewhere it is written as an SQL string literal ('…', quotes doubled) so the query stays
 * valid and a value cannot change its structure. Numbers and booleans go in as they are.
 */
import type { StoredEvent } from '../events/types';
import { values } from './fields';

export interface FilledOsquery {
  label: string;
  /** the query as written in the guide */
  template: string;
  /** the query with every resolvable placeholder filled */
  query: string;
  filled: { field: string; value: string }[];
  /** placeholders with no value in the event (left as written) */
  unresolved: string[];
  /** the query can be run as is */
  ready: boolean;
}

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_@.\-]+)\s*\}\}/g;

function quoteContext(text: string, index: number): "'" | '"' | null {
  let q: "'" | '"' | null = null;
  for (let i = 0; i < index; i++) {
    const c = text[i];
    if (q) {
      if (c === q) {
        if (text[i + 1] === q) i++;
        else q = null;
      }
    } else if (c === "'" || c === '"') q = c;
  }
  return q;
}

/** Resolve a dotted field (an optional `alert.` prefix is ignored) to a single string. */
export function resolveField(event: StoredEvent, field: string): string | number | boolean | null {
  const f = field.startsWith('alert.') ? field.slice('alert.'.length) : field;
  const vs = values(event._source, f);
  if (vs.length > 0) return vs[0];
  if (f === '_id') return event._id;
  if (f === '_index') return event._index;
  return null;
}

export function fillOsquery(label: string, template: string, event: StoredEvent): FilledOsquery {
  const filled: { field: string; value: string }[] = [];
  const unresolved: string[] = [];
  let out = '';
  let last = 0;
  for (const m of template.matchAll(PLACEHOLDER)) {
    const at = m.index ?? 0;
    out += template.slice(last, at);
    last = at + m[0].length;
    const field = m[1];
    const v = resolveField(event, field);
    if (v === null) {
      if (!unresolved.includes(field)) unresolved.push(field);
      out += m[0];
      continue;
    }
    const s = String(v);
    filled.push({ field, value: s });
    const q = quoteContext(template, at);
    if (q) out += s.split(q).join(q + q);
    else if (typeof v === 'number' || typeof v === 'boolean') out += s;
    else out += `'${s.replace(/'/g, "''")}'`;
  }
  out += template.slice(last);
  return { label, template, query: out, filled, unresolved, ready: unresolved.length === 0 };
}
