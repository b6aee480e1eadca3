/**
 * `$osquery_N` / `$investigate_N` placeholders → `!{osquery{…}}` / `!{investigate{…}}` blocks,
 * the way the detection-rules build does it:
 *  - each `[[transform.<kind>]]` entry becomes `!{<kind><json>}` where the JSON is compact
 *    (`,` and `:` separators), keys sorted at every level, absent/null values dropped, and
 *    non-ASCII characters escaped as `\uXXXX` (Python's `json.dumps` defaults);
 *  - placeholder N names the N-th entry of that kind, counted from 0;
 *  - substitution follows Python's `string.Template.safe_substitute`: `$name` and `${name}`
 *    with identifiers `[_a-zA-Z][_a-zA-Z0-9]*`, unknown names (`$env:TEMP`, `$osquery_6`
 *    without a 7th entry) stay as written, and `$$` becomes `$`.
 */
import type { RuleTransform } from './model';

/** Python-compatible `json.dumps(value, sort_keys=True, separators=(',', ':'))`. */
export function pythonJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return asciiEscape(JSON.stringify(value));
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
    return JSON.stringify(value);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Array.isArray(value)) return `[${value.map((v) => pythonJsonDumps(v)).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined && v !== null)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${asciiEscape(JSON.stringify(k))}:${pythonJsonDumps(v)}`).join(',')}}`;
  }
  return asciiEscape(JSON.stringify(String(value)));
}

function asciiEscape(json: string): string {
  return json.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The rendered block strings per kind, in entry order. */
export function renderTransformBlocks(transform: RuleTransform | null | undefined): {
  osquery: string[];
  investigate: string[];
} {
  const osquery = (transform?.osquery ?? []).map((e) => `!{osquery${pythonJsonDumps(e)}}`);
  const investigate = (transform?.investigate ?? []).map((e) => `!{investigate${pythonJsonDumps(e)}}`);
  return { osquery, investigate };
}

const TEMPLATE_PATTERN = /\$(?:(\$)|([_a-zA-Z][_a-zA-Z0-9]*)|\{([_a-zA-Z][_a-zA-Z0-9]*)\}|)/g;

/** Python `string.Template(text).safe_substitute(mapping)`. */
export function safeSubstitute(text: string, mapping: ReadonlyMap<string, string>): string {
  return text.replace(TEMPLATE_PATTERN, (match, escaped: string | undefined, named: string | undefined, braced: string | undefined) => {
    if (escaped !== undefined) return '$';
    const name = named ?? braced;
    if (name !== undefined) return mapping.get(name) ?? match;
    return match;
  });
}

export interface PlaceholderReport {
  /** placeholders in the note with no matching transform entry (left as literal text) */
  unresolved: string[];
  /** transform entries no placeholder refers to */
  unused: string[];
}

/** Fill the note's placeholders from the transform table. */
export function renderNote(note: string, transform: RuleTransform | null | undefined): string {
  const rendered = renderTransformBlocks(transform);
  const mapping = new Map<string, string>();
  rendered.osquery.forEach((s, i) => mapping.set(`osquery_${i}`, s));
  rendered.investigate.forEach((s, i) => mapping.set(`investigate_${i}`, s));
  return safeSubstitute(note, mapping);
}

/** Which placeholders cannot be filled and which entries are never used (for rule linting). */
export function checkPlaceholders(note: string, transform: RuleTransform | null | undefined): PlaceholderReport {
  const used = new Set<string>();
  const unresolved: string[] = [];
  const available = new Set<string>();
  (transform?.osquery ?? []).forEach((_, i) => available.add(`osquery_${i}`));
  (transform?.investigate ?? []).forEach((_, i) => available.add(`investigate_${i}`));
  for (const m of note.matchAll(TEMPLATE_PATTERN)) {
    const name = m[2] ?? m[3];
    if (!name || !/^(osquery|investigate)_\d+$/.test(name)) continue;
    if (available.has(name)) used.add(name);
    else if (!unresolved.includes(name)) unresolved.push(name);
  }
  const unused = [...available].filter((n) => !used.has(n));
  return { unresolved, unused };
}
