import { defineConfig, devices } from '@playwright/test';

// Two `next start` instances sharing PostgreSQL and Redis, each with its own content folder
// (scripts/ci/test-multi.ts creates the database and runs this).
export const INSTANCES = {
  a: { port: 3231, smtp: 2531 },
  b: { port: 3232, smtp: 2532 },
  c: { port: 3233, smtp: 2533 },
} as const;
/** A and C share this content folder (the desk's case); B has its own (events must come by Redis). */
export const SHARED_CONTENT_DIR = '.tmp/multi-shared-content';
const sharesContent = (name: keyof typeof INSTANCES) => name === 'a' || name === 'c';

const server = (name: keyof typeof INSTANCES) => ({
  command: 'node e2e/serve.mjs',
  url: `http://127.0.0.1:${INSTANCES[name].port}/api/health`,
  reuseExistingServer: false,
  timeout: 120_000,
  stdout: 'pipe' as const,
  env: {
    E2E_INSTANCE: `multi-${name}`,
    E2E_PORT: String(INSTANCES[name].port),
    E2E_SMTP_PORT: String(INSTANCES[name].smtp),
    E2E_DATABASE_URL: process.env.E2E_DATABASE_URL ?? '',
    E2E_REDIS_URL: process.env.E2E_REDIS_URL ?? 'redis://127.0.0.1:6379',
    ...(sharesContent(name) ? { E2E_CONTENT_DIR: SHARED_CONTENT_DIR } : {}),
  },
});

export default defineConfig({
  testDir: 'e2e/multi',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  workers: 1,
  forbidOnly: Boolean(process.env.CI),
  retries: process.env.CI ? 1 : 0,
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e-multi.json' }]],
  use: {
    ...devices['Desktop Chrome'],
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
    },
  },
  webServer: [server('a'), server('b'), server('c')],
});
