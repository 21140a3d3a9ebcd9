import { afterEach, expect, vi } from 'vitest';
import { CLIENT_HEADER, clientMark, installClientAddressHook } from '../net/client-address';
import { describeEachDatabase } from '../testing/each-database';
import { insertReader, PASSWORD } from '../testing/factories';
import { metricValue } from '../testing/metrics';
import { passwordSignIn } from './auth';
import { DEVICE_COOKIE, deviceMark } from './device';
import { authSecret } from './secret';

installClientAddressHook({ kind: 'none' });
const from = (ip: string, cookie?: string) => ({
  [CLIENT_HEADER]: clientMark(ip),
  ...(cookie ? { cookie } : {}),
});
let n = 0;
const uniqueIp = () => `198.51.100.${++n % 250}-${Date.now()}-${n}`;

afterEach(() => vi.useRealTimers());

// SECURITY P9 / issue 11: limits slow attackers without letting them lock the owner out.
describeEachDatabase('sign-in limits', ({ db, test }) => {
  const signIn = (email: string, password: string, headers: Record<string, string>) =>
    passwordSignIn({ email, password }, headers, async () => db());
  const refusedFor = async (email: string, password: string, headers: Record<string, string>) =>
    signIn(email, password, headers).then(
      () => null,
      (error: Error) => error.message,
    );

  test("an attacker's 20 failures block strangers' sign-ins for 15 minutes, then the owner gets in", async () => {
    const owner = await insertReader(db(), { password: PASSWORD });
    const start = Date.now();
    vi.useFakeTimers({ now: start, toFake: ['Date'] });
    // From 20 addresses, so no (account, address) pair is blocked: only the account-wide limit.
    for (let i = 0; i < 20; i++)
      expect(await signIn(owner.email, `guess number ${i}`, from(uniqueIp()))).toBeNull();
    const ownerIp = uniqueIp();
    expect(await refusedFor(owner.email, PASSWORD, from(ownerIp))).toMatch(/^rate_limited:\d+$/);
    vi.setSystemTime(start + 14 * 60_000);
    expect(await refusedFor(owner.email, PASSWORD, from(ownerIp))).toMatch(/^rate_limited:/);
    vi.setSystemTime(start + 15 * 60_000 + 1_000);
    expect(await signIn(owner.email, PASSWORD, from(ownerIp))).toMatchObject({ id: owner.id });
  });

  test('failed sign-ins are counted by reason (/metrics)', async () => {
    const owner = await insertReader(db(), { password: PASSWORD });
    const failures = (reason: string) =>
      metricValue('dispatch_sign_in_failures_total', { method: 'password', reason });
    const before = [await failures('wrong'), await failures('invalid'), await failures('rate_limited')];
    const ip = uniqueIp();
    for (let i = 0; i < 5; i++) expect(await signIn(owner.email, `guess ${i}`, from(ip))).toBeNull();
    expect(await signIn('not an address', 'whatever', from(ip))).toBeNull();
    expect(await refusedFor(owner.email, PASSWORD, from(ip))).toMatch(/^rate_limited:/);
    const after = [await failures('wrong'), await failures('invalid'), await failures('rate_limited')];
    expect(after.map((n, i) => n - before[i]!)).toEqual([5, 1, 1]);
  });

  test('the owner on a known device is never blocked by the account-wide limit', async () => {
    const owner = await insertReader(db(), { password: PASSWORD });
    for (let i = 0; i < 25; i++) await signIn(owner.email, `guess ${i}`, from(uniqueIp())).catch(() => null);
    const device = `${DEVICE_COOKIE}=${deviceMark(owner.email)}`;
    expect(await signIn(owner.email, PASSWORD, from(uniqueIp(), device))).toMatchObject({ id: owner.id });
    // A mark made for another account, or with another secret, is no mark at all.
    const foreign = `${DEVICE_COOKIE}=${deviceMark('someone-else@example.org')}`;
    expect(await refusedFor(owner.email, PASSWORD, from(uniqueIp(), foreign))).toMatch(/^rate_limited:/);
    const forged = `${DEVICE_COOKIE}=${deviceMark(owner.email, Date.now(), 'not-the-secret'.padEnd(40, 'z'))}`;
    expect(authSecret()).not.toBe('not-the-secret'.padEnd(40, 'z'));
    expect(await refusedFor(owner.email, PASSWORD, from(uniqueIp(), forged))).toMatch(/^rate_limited:/);
  });

  test('a known device still gets only 5 wrong passwords in 15 minutes', async () => {
    const owner = await insertReader(db(), { password: PASSWORD });
    const device = `${DEVICE_COOKIE}=${deviceMark(owner.email)}`;
    const ip = uniqueIp();
    for (let i = 0; i < 5; i++) expect(await signIn(owner.email, `wrong ${i}`, from(ip, device))).toBeNull();
    expect(await refusedFor(owner.email, PASSWORD, from(ip, device))).toMatch(/^rate_limited:/);
  });

  test('one address failing at an account blocks only that address for it', async () => {
    const owner = await insertReader(db(), { password: PASSWORD });
    const attacker = uniqueIp();
    for (let i = 0; i < 5; i++) await signIn(owner.email, `wrong ${i}`, from(attacker));
    expect(await refusedFor(owner.email, PASSWORD, from(attacker))).toMatch(/^rate_limited:/);
    expect(await signIn(owner.email, PASSWORD, from(uniqueIp()))).toMatchObject({ id: owner.id });
  });
});
