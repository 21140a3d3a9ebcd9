import { config } from '../env';
import { consume, createLimiter, waitFor } from '../rate-limit/limiter';

/**
 * Sign-in limits (SECURITY P9). Only failures count, and every block ends by itself within 15
 * minutes (per address: within the hour):
 * - per (account, address): 5 failures in 15 minutes;
 * - per account, from anywhere: 20 failures in 15 minutes (credential stuffing);
 * - per address: RATE_LIMIT_SIGN_IN_PER_IP failures an hour (default 50).
 * A known device (lib/auth/device.ts) is limited only by its own 5 failures in 15 minutes, so
 * strangers failing at an account can't lock its owner out, and magic links are limited apart.
 */
const FIFTEEN_MIN = 15 * 60;
const loginLimits = {
  accountIp: createLimiter({ key: 'login-account-ip', points: 5, durationSeconds: FIFTEEN_MIN }),
  account: createLimiter({ key: 'login-account', points: 20, durationSeconds: FIFTEEN_MIN }),
  ip: createLimiter({ key: 'login-ip', points: config.RATE_LIMIT_SIGN_IN_PER_IP, durationSeconds: 3600 }),
  device: createLimiter({ key: 'login-device', points: 5, durationSeconds: FIFTEEN_MIN }),
};

export type SignInAttempt = { email: string; ip: string; device: string | null };
type Scope = keyof typeof loginLimits;

/** The limits an attempt counts against, the browser's own first. */
function keysOf(a: SignInAttempt): [Scope, string][] {
  if (a.device) return [['device', `${a.email}|${a.device}`]];
  return [
    ['accountIp', `${a.email}|${a.ip}`],
    ['account', a.email],
    ['ip', a.ip],
  ];
}

/** The first limit this attempt is over, with when to try again; null when it may try. */
export async function signInBlocked(
  a: SignInAttempt,
): Promise<{ scope: Scope; retryAfterSeconds: number } | null> {
  for (const [scope, key] of keysOf(a)) {
    const wait = await waitFor(loginLimits[scope], key);
    if (wait) return { scope, retryAfterSeconds: wait };
  }
  return null;
}

export async function recordSignInFailure(a: SignInAttempt) {
  await Promise.all(keysOf(a).map(([scope, key]) => consume(loginLimits[scope], key)));
}

/** A success forgives this browser's own failures (not the account's: those were someone else's). */
export async function recordSignInSuccess(a: SignInAttempt) {
  const [scope, key] = keysOf(a)[0]!; // this device's, or this (account, address)'s
  await loginLimits[scope].delete(key);
}

export const signUpLimit = createLimiter({
  key: 'signup-ip',
  points: config.RATE_LIMIT_SIGN_UP_PER_IP,
  durationSeconds: 3600,
});
export const magicLinkLimits = {
  email: createLimiter({ key: 'magic-email', points: 5, durationSeconds: FIFTEEN_MIN }),
  ip: createLimiter({ key: 'magic-ip', points: config.RATE_LIMIT_MAGIC_LINK_PER_IP, durationSeconds: 3600 }),
};

/** Wrong current passwords on /account (issue 11): 5 in 15 minutes per account. */
export const passwordChangeLimit = createLimiter({
  key: 'password-change',
  points: 5,
  durationSeconds: FIFTEEN_MIN,
});
