import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const r = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  resolve: {
    alias: {
      '@': r('./'),
      'server-only': r('./tests/stubs/empty.ts'),
    },
  },
  test: {
    environment: 'node',
    include: ['lib/**/*.test.ts', 'tests/**/*.test.ts', 'bin/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // the whole suite runs in a time zone that is not UTC, so a timestamp read in the server's
    // local time anywhere shows up as a failure (issue 14: zone-less times are UTC)
    env: { TZ: process.env.GUIDEPOST_TEST_TZ ?? 'Asia/Shanghai' },
  },
});
