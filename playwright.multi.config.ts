import { defineConfig, devices } from '@playwright/test';
import { REDIS_URL } from './e2e/multi/services';

// `next start` instances sharing PostgreSQL and Redis, a and b behind nginx (deploy/nginx), each
// with its own content folder except a and c (scripts/ci/test-multi.ts starts the private
// services, creates the database and runs this).
export const INSTANCES = {
  a: { port: 3231, smtp: 2531 },
  b: { port: 3232, smtp: 2532 },
  c: { port: 3233, smtp: 2533 },
} as const;
/** A and C share this content folder (the desk's case); B has its own (events must come by Redis). */
export const SHARED_CONTENT_DIR = '.tmp/multi-shared-content';
const sharesContent = (name: keyof typeof INSTANCES) => name === 'a' || name === 'c';

/** What `node e2e/serve.mjs` needs to start instance `name` (the drain test starts b again). */
export const instanceEnv = (name: keyof typeof INSTANCES): Record<string, string> => ({
  E2E_INSTANCE: `multi-${name}`,
  E2E_PORT: String(INSTANCES[name].port),
  E2E_SMTP_PORT: String(INSTANCES[name].smtp),
  E2E_DATABASE_URL: process.env.E2E_DATABASE_URL ?? '',
  E2E_REDIS_URL: process.env.E2E_REDIS_URL ?? REDIS_URL,
  ...(sharesContent(name) ? { E2E_CONTENT_DIR: SHARED_CONTENT_DIR } : {}),
  INSTANCE_ID: `multi-${name}`,
  TRUST_PROXY: '1', // behind nginx (deploy/nginx/dispatch.conf appends X-Forwarded-For)
  METRICS_TOKEN: MULTI_METRICS_TOKEN,
  REPLY_FLOOD_SECONDS: '0', // the drain test posts replies as fast as one writer can
  LIVE_STREAMS_PER_CLIENT: '200', // its 50 streams all come from one address
  SHUTDOWN_TIMEOUT_SECONDS: '15',
  // Streams stay open (the default, 15 min) rather than the main suite's 4 s: a reconnect makes a
  // page refetch everything, which would hide whether events themselves arrive.
  E2E_LIVE_MAX_AGE: '900',
});
export const MULTI_METRICS_TOKEN = 'multi-suite-metrics-token-0123456789';

const server = (name: keyof typeof INSTANCES) => ({
  command: 'node e2e/serve.mjs',
  url: `http://127.0.0.1:${INSTANCES[name].port}/api/health/ready`,
  reuseExistingServer: false,
  timeout: 120_000,
  stdout: 'pipe' as const,
  env: instanceEnv(name),
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
