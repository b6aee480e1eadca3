import { defineConfig, devices } from '@playwright/test';

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
  use: { baseURL: `http://127.0.0.1:${PORT}`, trace: 'retain-on-failure' },
  projects: [
    { name: 'api', testDir: './e2e/api', use: { ...chromium } },
    { name: 'ui', testDir: './e2e/ui', use: { ...chromium }, dependencies: ['api'] },
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
      ELASTICSEARCH_URL: '',
    },
  },
});
