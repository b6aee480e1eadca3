import { getEventSource } from '@/lib/events';
import { json, withRoute } from '../_lib/route';

// GET /api/health — which event source is in use and whether it answers (no sign-in needed)
export const GET = withRoute(
  async () => {
    const source = await getEventSource()
      .health()
      .catch((err: unknown) => ({ kind: 'unknown', ok: false, detail: err instanceof Error ? err.message : String(err) }));
    const kind = source.kind === 'elasticsearch' ? 'elasticsearch' : 'embedded';
    return json({ ok: source.ok, source: { ...source, kind } }, source.ok ? 200 : 503);
  },
  { public: true },
);
