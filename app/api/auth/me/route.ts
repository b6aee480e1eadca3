import { mePatchSchema } from '@/lib/contracts/auth';
import { meView, updateUser } from '@/lib/auth';
import { json, parseJsonBody, signedIn, withRoute } from '../../_lib/route';
import { getDb } from '../../../../lib/store/db';

// GET /api/auth/me — who is signed in and what the role allows
export const GET = withRoute(({ user }) => json(meView(signedIn(user))));

// PATCH /api/auth/me {language} — the user's own settings
export const PATCH = withRoute(async ({ req, user }) => {
  const me = signedIn(user);
  const { language } = await parseJsonBody(req, mePatchSchema);
  return json(meView(updateUser(getDb(), me.name, { language }, me.name)));
});
