import { hostname } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { parseTrustProxy } from './net/client-address';

// No 'server-only' marker: scripts/ import this too. scripts/ci/check-client-imports.ts keeps it
// out of client components.
const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /** Which proxies' X-Forwarded-* headers to believe: none (default), a hop count, or addresses/CIDRs. */
  TRUST_PROXY: z
    .string()
    .optional()
    .transform((value, ctx) => {
      try {
        return parseTrustProxy(value);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    }),
  /** Per-address limits (SECURITY P9, P27): failed sign-ins, sign-ups and sign-in links an hour, open live streams. */
  RATE_LIMIT_SIGN_IN_PER_IP: z.coerce.number().int().min(1).max(100_000).default(50),
  RATE_LIMIT_SIGN_UP_PER_IP: z.coerce.number().int().min(1).max(100_000).default(10),
  RATE_LIMIT_MAGIC_LINK_PER_IP: z.coerce.number().int().min(1).max(100_000).default(20),
  LIVE_STREAMS_PER_CLIENT: z.coerce.number().int().min(1).max(100_000).default(32),
  /** Open live streams one instance keeps; more get 503 and the browser comes back later (issue 15). */
  LIVE_STREAMS_MAX: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
  /** Memory for anonymous readers' cached pages answered before Next (ADR 017); 0 turns it off. */
  RESPONSE_CACHE_MB: z.coerce.number().int().min(0).max(4_096).default(64),
  /** Event-loop lag past which requests the response cache can't answer get 503 at once (ADR 017); 0: never. */
  SHED_LAG_MS: z.coerce.number().int().min(0).max(10_000).default(100),
  CONTENT_DIR: z.string().min(1).default('./content'),
  /** Images uploaded through the desk, re-encoded (SPEC §9); default: `media` beside CONTENT_DIR. */
  MEDIA_DIR: z.string().min(1).optional(),
  /** Largest image the desk accepts, in megabytes. */
  MEDIA_MAX_UPLOAD_MB: z.coerce.number().int().min(1).max(100).default(15),
  SITE_URL: z
    .url({ protocol: /^https?$/, message: 'must be an absolute http(s) URL' })
    .default('http://localhost:3000')
    .transform((url) => url.replace(/\/+$/, '')),
  SITE_NAME: z.string().min(1).max(60).default('Dispatch'),
  DATABASE_URL: z
    .string()
    .regex(/^(file:.+|postgres(ql)?:\/\/.+)$/, 'must be file:<path> or postgres://…')
    .default('file:./data/dispatch.db'),
  /** Connections per instance; size it to PostgreSQL's max_connections ÷ instances (SECURITY P26). */
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  REDIS_URL: z.url({ protocol: /^rediss?$/, message: 'must be a redis:// URL' }).optional(),
  AUTH_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  EMAIL_SERVER: z.url({ protocol: /^smtps?$/, message: 'must be an smtp:// or smtps:// URL' }).optional(),
  EMAIL_FROM: z.string().min(3).default('Dispatch <no-reply@localhost>'),
  /** Live streams are closed after this long; browsers reconnect at once and resume where they were
   * (spreads long-lived connections across instances, and outlives proxies' idle limits). */
  LIVE_STREAM_MAX_AGE_SECONDS: z.coerce.number().int().min(2).max(86_400).default(900),
  /** On SIGTERM, readiness fails at once; the instance keeps accepting connections this long (for
   * a load balancer that polls readiness to notice) before it stops (ADR 016). */
  DRAIN_DELAY_SECONDS: z.coerce.number().int().min(0).max(120).default(0),
  /** On SIGTERM, the process exits once in-flight requests are done, or after this long anyway. */
  SHUTDOWN_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(600).default(20),
  /** Hold every reader's replies until a moderator approved one of theirs (SPEC §5). */
  MODERATE_FIRST_REPLY: z
    .enum(['true', 'false', '1', '0'], { message: 'must be true or false' })
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
  /** Seconds a reader waits between two replies (moderators are exempt; 0 turns it off). */
  REPLY_FLOOD_SECONDS: z.coerce.number().int().min(0).max(3_600).default(15),
  /** Web push keys (base64url); generated into ./data/vapid.json on first start when unset. Set
   * the same pair on every instance. */
  VAPID_PUBLIC_KEY: z
    .string()
    .regex(/^[A-Za-z0-9_-]{80,100}$/, 'must be a base64url P-256 public key')
    .optional(),
  VAPID_PRIVATE_KEY: z
    .string()
    .regex(/^[A-Za-z0-9_-]{40,50}$/, 'must be a base64url P-256 private key')
    .optional(),
  /** Lets push endpoints be plain http on 127.0.0.1 (the test suite's local push service only). */
  PUSH_ALLOW_LOCAL_ENDPOINTS: z
    .enum(['true', 'false', '1', '0'])
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
  /** This process's name in logs, metrics and /api/health; default `<hostname>:<pid>`. */
  INSTANCE_ID: z
    .string()
    .regex(/^[A-Za-z0-9._:-]{1,100}$/, 'must be 1-100 letters, digits, dots, dashes, colons or underscores')
    .default(() => `${hostname()}:${process.pid}`),
  /** Bearer token that opens GET /metrics; unset, /metrics answers 404 (README, "Metrics and logs"). */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Also serve /metrics on this port of 127.0.0.1, apart from the site (token still required when set). */
  METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  GITHUB_ID: z.string().min(1).optional(),
  GITHUB_SECRET: z.string().min(1).optional(),
  GOOGLE_ID: z.string().min(1).optional(),
  GOOGLE_SECRET: z.string().min(1).optional(),
});

export type Config = Readonly<
  z.infer<typeof envSchema> & { contentDir: string; mediaDir: string; database: DatabaseTarget }
>;

export type DatabaseTarget = { dialect: 'sqlite'; file: string } | { dialect: 'postgres'; url: string };

function databaseTarget(url: string): DatabaseTarget {
  if (url.startsWith('file:')) {
    const file = url.slice('file:'.length);
    return { dialect: 'sqlite', file: file === ':memory:' ? file : path.resolve(file) };
  }
  return { dialect: 'postgres', url };
}

/** Parses configuration; throws one line naming the first bad variable. */
export function parseConfig(env: NodeJS.ProcessEnv): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`Invalid configuration: ${issue.path.join('.')} ${issue.message}`);
  }
  const data = parsed.data;
  for (const [id, secret] of [
    ['GITHUB_ID', 'GITHUB_SECRET'],
    ['GOOGLE_ID', 'GOOGLE_SECRET'],
    ['VAPID_PUBLIC_KEY', 'VAPID_PRIVATE_KEY'],
  ] as const) {
    if (Boolean(data[id]) !== Boolean(data[secret]))
      throw new Error(
        `Invalid configuration: ${data[id] ? secret : id} is required when ${data[id] ? id : secret} is set`,
      );
  }
  return Object.freeze({
    ...data,
    contentDir: path.resolve(data.CONTENT_DIR),
    mediaDir: path.resolve(
      data.MEDIA_DIR ?? path.join(path.dirname(path.resolve(data.CONTENT_DIR)), 'media'),
    ),
    database: databaseTarget(data.DATABASE_URL),
  });
}

export const config: Config = parseConfig(process.env);

export const isProduction = config.NODE_ENV === 'production';
