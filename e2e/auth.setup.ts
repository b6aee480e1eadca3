import { test as setup, expect, request as playwrightRequest } from '@playwright/test';
import { e2eUsers, storageStateOf, type E2eUser } from './auth-users';

/**
 * Signs in as the first-start admin (the server got GUIDEPOST_ADMIN_PASSWORD), creates the
 * team accounts through the users API, and saves a signed-in state per account.
 */
setup('sign in as admin, create the team, save each signed-in state', async ({ baseURL }) => {
  const origin = { origin: baseURL ?? '' };
  const states: E2eUser[] = ['admin', 'lead', 'analyst', 'analyst2', 'viewer'];
  const admin = await playwrightRequest.newContext({ baseURL, extraHTTPHeaders: origin });
  const signIn = await admin.post('/api/auth/signin', { data: { name: e2eUsers.admin.name, password: e2eUsers.admin.password } });
  expect(signIn.status(), await signIn.text()).toBe(200);
  await admin.storageState({ path: storageStateOf('admin') });
  for (const key of states.filter((k) => k !== 'admin')) {
    const u = e2eUsers[key];
    const res = await admin.post('/api/users', { data: { name: u.name, role: u.role, password: u.password } });
    expect([201, 409], await res.text()).toContain(res.status());
    const ctx = await playwrightRequest.newContext({ baseURL, extraHTTPHeaders: origin });
    const s = await ctx.post('/api/auth/signin', { data: { name: u.name, password: u.password } });
    expect(s.status(), await s.text()).toBe(200);
    await ctx.storageState({ path: storageStateOf(key) });
    await ctx.dispose();
  }
  await admin.dispose();
});
