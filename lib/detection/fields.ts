/**
 * Reading ECS fields out of a stored document: dotted keys (`{"process.name": …}`) and
 * nested objects (`{"process": {"name": …}}`) both resolve, in any mix.
 */

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** All values found at `path` (arrays flattened one level; missing → []). */
export function getFieldValues(source: unknown, path: string): unknown[] {
  if (!isRecord(source)) return [];
  const out: unknown[] = [];
  const parts = path.split('.');
  const walk = (node: unknown, i: number) => {
    if (i === parts.length) {
      if (Array.isArray(node)) out.push(...node.filter((v) => v !== undefined));
      else if (node !== undefined) out.push(node);
      return;
    }
    if (Array.isArray(node)) {
      for (const item of node) walk(item, i);
      return;
    }
    if (!isRecord(node)) return;
    // try every split of the remaining path: "a.b.c" can be {a:{b:{c}}}, {"a.b":{c}}, {"a.b.c":…}
    for (let j = i + 1; j <= parts.length; j++) {
      const key = parts.slice(i, j).join('.');
      if (Object.prototype.hasOwnProperty.call(node, key)) walk(node[key], j);
    }
  };
  walk(source, 0);
  return out;
}

/** The first scalar at `path` as a string (numbers and booleans stringified), or null. */
export function getFieldString(source: unknown, path: string): string | null {
  for (const v of getFieldValues(source, path)) {
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  }
  return null;
}

/** An ISO-8601 UTC string for a date value (string or epoch millis), or null when unreadable. */
export function toIso(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return new Date(value).toISOString();
  if (typeof value === 'string' && value.trim() !== '') {
    const t = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
    if (Number.isFinite(t)) return new Date(t).toISOString();
  }
  return null;
}
