import { defineConfig, devices } from '@playwright/test';
import { ADMIN_PASSWORD, storageStateOf } from './e2e/auth-users';

const PORT = Number(process.env.E2E_PORT ?? 3107);
const DATA_DIR = process.env.E2E_DATA_DIR ?? '.data-e2e';
// the data dir is wiped before the server starts: only a .data-e2e* name is accepted
if (!/^\.data-e2e[\w-]*$/.test(DATA_DIR)) throw new Error(`E2E_DATA_DIR must be .data-e2e* (got ${DATA_DIR})`);

const chromium = {
  ...devices['Desktop Chrome'],
  viewport: { width: 1440, height: 900 },
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
    ],
  },
};

export default defineConfig({
  testDir: './e2e',
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: process.env.CI ? 'line' : 'list',
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: 'retain-on-failure',
    // API requests of the tests come from our own origin (the server refuses cross-site writes)
    extraHTTPHeaders: { origin: `http://127.0.0.1:${PORT}` },
  },
  projects: [
    // signs in as the first-start admin, creates the team accounts, saves their signed-in states
    { name: 'setup', testDir: './e2e', testMatch: /auth\.setup\.ts$/, use: { ...chromium } },
    { name: 'api', testDir: './e2e/api', use: { ...chromium, storageState: storageStateOf('admin') }, dependencies: ['setup'] },
    { name: 'ui', testDir: './e2e/ui', use: { ...chromium, storageState: storageStateOf('admin') }, dependencies: ['api'] },
  ],
  webServer: {
    // the production build (`next build` first) on a fresh data dir (webServer starts before any globalSetup)
    command: `rm -rf ${DATA_DIR} && exec node_modules/.bin/next start -H 127.0.0.1 -p ${PORT}`,
    url: `http://127.0.0.1:${PORT}/api/health`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      NEXT_TELEMETRY_DISABLED: '1',
      GUIDEPOST_DATA_DIR: DATA_DIR,
      // the first start's admin gets this password, so the setup project can sign in
      GUIDEPOST_ADMIN_PASSWORD: ADMIN_PASSWORD,
      ELASTICSEARCH_URL: '',
    },
  },
});
