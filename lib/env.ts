import path from 'node:path';
import { z } from 'zod';

// No 'server-only' marker: scripts/ import this too. scripts/check-client-imports.mjs keeps it
// out of client components.
const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  CONTENT_DIR: z.string().min(1).default('./content'),
  SITE_URL: z
    .url({ protocol: /^https?$/, message: 'must be an absolute http(s) URL' })
    .default('http://localhost:3000')
    .transform((url) => url.replace(/\/+$/, '')),
  SITE_NAME: z.string().min(1).max(60).default('Dispatch'),
});

export type Config = Readonly<z.infer<typeof envSchema> & { contentDir: string }>;

/** Parses configuration; throws one line naming the first bad variable. */
export function parseConfig(env: NodeJS.ProcessEnv): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`Invalid configuration: ${issue.path.join('.')} ${issue.message}`);
  }
  return Object.freeze({ ...parsed.data, contentDir: path.resolve(parsed.data.CONTENT_DIR) });
}

export const config: Config = parseConfig(process.env);

export const isProduction = config.NODE_ENV === 'production';
