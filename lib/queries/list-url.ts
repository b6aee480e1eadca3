/**
 * A list endpoint's URL with its filters as the query string: a list joined by commas, a
 * value as its text; an undefined, null or empty value, or an empty list, is left out (the
 * server's default then applies).
 */
export function listUrl(path: string, filters: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) {
      if (value.length) params.set(key, value.join(','));
    } else params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}
