import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { config } from '../env';
import { log } from '../log';

let cached: string | null = null;

/**
 * AUTH_SECRET, or one generated into ./data/auth-secret on first start so `npm start` works on a
 * fresh machine. Several instances must share one: set AUTH_SECRET for them (README).
 */
export function authSecret(): string {
  if (config.AUTH_SECRET) return config.AUTH_SECRET;
  if (cached) return cached;
  const file = path.resolve('data', 'auth-secret');
  try {
    cached = readFileSync(file, 'utf8').trim();
    if (cached.length >= 32) return cached;
  } catch {
    // not generated yet
  }
  mkdirSync(path.dirname(file), { recursive: true });
  cached = randomBytes(32).toString('base64url');
  writeFileSync(file, cached + '\n', { mode: 0o600, flag: 'w' });
  log.warn(
    'auth',
    `AUTH_SECRET is not set: generated one into ${file}. Set AUTH_SECRET when running more than one instance.`,
  );
  return cached;
}
