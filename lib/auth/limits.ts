import { createLimiter } from '../rate-limit/limiter';

/**
 * Sign-in limits (SECURITY P9). Only failures count. Per (account, IP) a burst of failures blocks
 * that pair for 15 minutes; per account, 20 failures an hour from anywhere block password sign-in
 * for 15 minutes (stuffing defence; the owner can still use a magic link, so an attacker can't
 * lock them out for long); per IP, 50 failures an hour.
 */
export const loginLimits = {
  accountIp: createLimiter({
    key: 'login-account-ip',
    points: 5,
    durationSeconds: 15 * 60,
    blockSeconds: 15 * 60,
  }),
  account: createLimiter({
    key: 'login-account',
    points: 20,
    durationSeconds: 60 * 60,
    blockSeconds: 15 * 60,
  }),
  ip: createLimiter({ key: 'login-ip', points: 50, durationSeconds: 60 * 60, blockSeconds: 60 * 60 }),
};

export const signUpLimit = createLimiter({ key: 'signup-ip', points: 10, durationSeconds: 60 * 60 });
export const magicLinkLimits = {
  email: createLimiter({ key: 'magic-email', points: 5, durationSeconds: 15 * 60 }),
  ip: createLimiter({ key: 'magic-ip', points: 20, durationSeconds: 60 * 60 }),
};

/** The client's address as the reverse proxy reports it (the app binds 127.0.0.1 behind it). */
export function clientIp(
  headers: { get(name: string): string | null } | Record<string, string | string[] | undefined>,
): string {
  const read = (name: string) =>
    typeof (headers as { get?: unknown }).get === 'function'
      ? (headers as { get(n: string): string | null }).get(name)
      : (([] as (string | undefined)[])
          .concat((headers as Record<string, string | string[] | undefined>)[name])
          .at(0) ?? null);
  return read('x-forwarded-for')?.split(',')[0]?.trim() || read('x-real-ip') || 'local';
}
