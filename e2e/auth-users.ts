/** The accounts the e2e suite uses; the setup project creates them and saves one signed-in state each. */
export const E2E_DATA_DIR = process.env.E2E_DATA_DIR ?? '.data-e2e';
export const ADMIN_PASSWORD = process.env.E2E_ADMIN_PASSWORD ?? 'e2e-admin-password-not-secret';
export const USER_PASSWORD = 'e2e-user-password-not-secret';

export const e2eUsers = {
  admin: { name: 'admin', role: 'admin', password: ADMIN_PASSWORD },
  lead: { name: 'lena.lead', role: 'lead', password: USER_PASSWORD },
  analyst: { name: 'ali.analyst', role: 'analyst', password: USER_PASSWORD },
  analyst2: { name: 'bo.analyst', role: 'analyst', password: USER_PASSWORD },
  viewer: { name: 'vic.viewer', role: 'viewer', password: USER_PASSWORD },
} as const;
export type E2eUser = keyof typeof e2eUsers;

/** Where the signed-in browser state of each account is saved (inside the wiped e2e data dir). */
export function storageStateOf(user: E2eUser): string {
  return `${E2E_DATA_DIR}/auth-${user}.json`;
}
