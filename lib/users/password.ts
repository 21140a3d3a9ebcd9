import { hash, verify } from '@node-rs/argon2';
import commonPasswords from '@zxcvbn-ts/language-common/src/passwords.json';
import { z } from 'zod';

// OWASP's argon2id minimum: 19 MiB, 2 passes, 1 lane (SECURITY P8).
// algorithm 2 is Argon2id (a const enum in @node-rs/argon2, not importable under isolatedModules).
const ARGON2 = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;
const MAX_PASSWORD_BYTES = 1024; // checked before hashing, so a huge password can't burn CPU

// The 10,000 most common passwords (ranked list from @zxcvbn-ts); shorter ones fail on length anyway.
const COMMON = new Set((commonPasswords as string[]).slice(0, 10_000).filter((p) => p.length >= 8));

export const passwordSchema = z
  .string()
  .min(8, 'Use at least 8 characters')
  .max(128, 'Use at most 128 characters')
  .refine((p) => Buffer.byteLength(p, 'utf8') <= MAX_PASSWORD_BYTES, 'Use at most 128 characters')
  .refine((p) => !p.includes('\u0000') && p.isWellFormed(), 'Use ordinary characters')
  .refine((p) => !COMMON.has(p.toLowerCase()), 'This password is too common: choose another');

/** For sign-in: any string within the byte cap (the stored hash decides). */
export const passwordInputSchema = z
  .string()
  .min(1, 'Enter your password')
  .refine((p) => Buffer.byteLength(p, 'utf8') <= MAX_PASSWORD_BYTES, 'Password too long');

export const hashPassword = (password: string) => hash(password, ARGON2);

export async function verifyPassword(storedHash: string, password: string): Promise<boolean> {
  try {
    return await verify(storedHash, password);
  } catch {
    return false;
  }
}

// Verified against when the account doesn't exist, so both answers take the same time (SECURITY P10).
let dummyHash: Promise<string> | null = null;
export async function verifyNothing(password: string): Promise<false> {
  dummyHash ??= hashPassword('not-a-real-password-' + Math.random());
  await verifyPassword(await dummyHash, password);
  return false;
}
