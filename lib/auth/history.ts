/** Audit entries as plain text for the alert history and exports. */
const show = (v: unknown): string => (v === null || v === undefined || v === '' ? '—' : typeof v === 'string' ? v : JSON.stringify(v));

/** "field: before → after" for every field that changed (all fields of a one-sided entry). Plain text. */
export function describeChange(before: unknown, after: unknown): string[] {
  const obj = (v: unknown): Record<string, unknown> | null => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null);
  const b = obj(before);
  const a = obj(after);
  if (!b && !a) {
    if (before === undefined && after === undefined) return [];
    return [`${show(before)} → ${show(after)}`];
  }
  const keys = [...new Set([...Object.keys(b ?? {}), ...Object.keys(a ?? {})])].filter((k) => k !== 'version');
  return keys
    .filter((k) => JSON.stringify(b?.[k]) !== JSON.stringify(a?.[k]))
    .map((k) => (b && a ? `${k}: ${show(b[k])} → ${show(a[k])}` : `${k}: ${show((a ?? b)?.[k])}`));
}

