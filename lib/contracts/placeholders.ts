/**
 * `{{field}}` placeholders of Osquery / investigate blocks, filled from an event's fields
 * (dotted or nested). Missing fields stay as written and are reported.
 */
export function readPath(source: Record<string, unknown>, path: string): unknown {
  if (Object.hasOwn(source, path)) return source[path];
  const parts = path.split('.');
  for (let i = parts.length - 1; i > 0; i--) {
    const head = parts.slice(0, i).join('.');
    if (Object.hasOwn(source, head)) {
      const v = source[head];
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) return readPath(v as Record<string, unknown>, parts.slice(i).join('.'));
    }
  }
  return undefined;
}

function scalar(v: unknown): string | undefined {
  if (Array.isArray(v)) return v.length ? scalar(v[0]) : undefined;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

export function fillPlaceholders(text: string, source: Record<string, unknown>): { text: string; missing: string[] } {
  const missing: string[] = [];
  const out = text.replace(/\{\{\s*([\w.@-]+)\s*\}\}/g, (whole, field: string) => {
    const v = scalar(readPath(source, field));
    if (v === undefined) {
      if (!missing.includes(field)) missing.push(field);
      return whole;
    }
    return v;
  });
  return { text: out, missing };
}
