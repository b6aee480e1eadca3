import { groupingSettingsSchema } from '@/lib/incidents/config';
import { groupingSettings, saveGroupingSettings } from '@/lib/incidents/settings';
import { json, parseJsonBody, withRoute } from '../../_lib/route';

// GET /api/incidents/settings — the grouping's window and keys (effective, saved by an admin, from the environment)
export const GET = withRoute(() => json(groupingSettings()), { action: 'webhooks:manage' });

// PUT /api/incidents/settings — save the window and keys (admins; audited; applies to alerts grouped from then on)
export const PUT = withRoute(
  async ({ req, actor }) => {
    const body = await parseJsonBody(req, groupingSettingsSchema);
    return json(saveGroupingSettings(body, actor));
  },
  { action: 'webhooks:manage' },
);
