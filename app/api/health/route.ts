import { authenticate, can } from '@/lib/auth';
import { getDetectionHealth } from '@/lib/detection';
import { json, withRoute } from '../_lib/route';
import { cachedHealthReport, healthReport } from './report';

// GET /api/health — anonymous: {status} only (cached, no look at the cluster per call);
// signed in: which source and whether it answers; admins: the details (never secrets)
export const GET = withRoute(
  async ({ req }) => {
    const principal = authenticate(req.headers);
    const admin = principal !== null && can(principal.user.role, 'users:manage');
    const report = admin ? await healthReport() : await cachedHealthReport();
    const status = report.ok ? 'ok' : 'degraded';
    const code = report.ok ? 200 : 503;
    if (!principal) return json({ status }, code);
    const detection = getDetectionHealth();
    if (!admin) return json({ status, ok: report.ok, source: { kind: report.source.kind, ok: report.source.ok }, detection }, code);
    return json({ status, ok: report.ok, source: report.source, store: report.store, detection }, code);
  },
  { public: true },
);
