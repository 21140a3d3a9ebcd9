import { encode } from 'next-auth/jwt';
import { describe, expect, it, vi } from 'vitest';
import { setRole, endAllSessions } from '../users/service';
import { insertReader } from '../testing/factories';
import { describeEachDatabase } from '../testing/each-database';
import { parseCookies, viewerFromCookies } from './session';

const SECRET = 'test-secret-'.padEnd(40, 'x');
const NAME = 'next-auth.session-token';
const HOUR = 3600_000;

// getViewer() reads next-auth's cookie itself (lib/auth/session.ts); these pin that it refuses
// everything next-auth's own session route would: tampering, expiry, revocation, age caps.
describeEachDatabase('session cookie', ({ db, test }) => {
  const viewer = (value: string, name = NAME) =>
    viewerFromCookies(
      [
        { name: 'other', value: 'x' },
        { name, value },
      ],
      async () => db(),
      NAME,
      SECRET,
    );
  const tokenFor = (
    user: { id: string; name: string; role: string },
    extra: Record<string, unknown> = {},
    maxAge = 30 * 24 * 3600,
  ) =>
    encode({
      secret: SECRET,
      maxAge,
      token: { uid: user.id, ver: 0, role: user.role, name: user.name, authTime: Date.now(), ...extra },
    });

  test('a valid cookie gives the viewer, with name and role fresh from the database', async () => {
    const user = await insertReader(db(), { name: 'Ada' });
    const cookie = await tokenFor({ ...user, name: 'Old name', role: 'admin' });
    expect(await viewer(cookie)).toEqual({ id: user.id, name: 'Ada', role: 'reader' });
  });

  test('no cookie, a tampered one, another secret or an expired one is signed out', async () => {
    const user = await insertReader(db());
    const cookie = await tokenFor(user);
    expect(await viewerFromCookies([], async () => db(), NAME, SECRET)).toBeNull();
    expect(await viewer(cookie.slice(0, -4) + 'AAAA')).toBeNull();
    expect(await viewer('not a token')).toBeNull();
    expect(
      await viewer(await encode({ secret: 'another'.padEnd(40, 'y'), token: { uid: user.id } })),
    ).toBeNull();
    expect(await viewer(await tokenFor(user, {}, -60))).toBeNull();
    expect(await viewer(cookie, '__Secure-' + NAME)).toBeNull(); // not the configured cookie
  });

  test('"Sign out everywhere" and a role change end the session', async () => {
    const user = await insertReader(db());
    const cookie = await tokenFor(user);
    expect(await viewer(cookie)).not.toBeNull();
    await endAllSessions(db(), user.id);
    expect(await viewer(cookie)).toBeNull();
    const fresh = await tokenFor(user, { ver: 1 });
    expect(await viewer(fresh)).not.toBeNull();
    await setRole(db(), user.email, 'moderator');
    expect(await viewer(fresh)).toBeNull();
  });

  test('sessions past their age cap end: 30 days for readers, 12 hours for staff', async () => {
    const reader = await insertReader(db());
    expect(await viewer(await tokenFor(reader, { authTime: Date.now() - 29 * 24 * HOUR }))).not.toBeNull();
    expect(await viewer(await tokenFor(reader, { authTime: Date.now() - 31 * 24 * HOUR }))).toBeNull();
    expect(await viewer(await tokenFor(reader, { authTime: undefined }))).toBeNull();
    const moderator = await insertReader(db(), { role: 'moderator' });
    expect(await viewer(await tokenFor(moderator, { authTime: Date.now() - 11 * HOUR }))).toEqual(
      expect.objectContaining({ role: 'moderator' }),
    );
    expect(await viewer(await tokenFor(moderator, { authTime: Date.now() - 13 * HOUR }))).toBeNull();
  });

  test('a token seen before still expires on time (decoded tokens are reused)', async () => {
    const user = await insertReader(db());
    const cookie = await tokenFor(user, {}, 60);
    expect(await viewer(cookie)).not.toBeNull();
    expect(await viewer(cookie)).not.toBeNull(); // the second time from the cache
    vi.useFakeTimers({ now: Date.now() + 60_000 + 16_000, toFake: ['Date'] });
    try {
      expect(await viewer(cookie)).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });

  test('an unknown account is signed out', async () => {
    expect(await viewer(await tokenFor({ id: 'nobody', name: 'X', role: 'reader' }))).toBeNull();
  });

  test('a cookie next-auth split into chunks is joined in order', async () => {
    const user = await insertReader(db(), { name: 'Chunked' });
    const cookie = await tokenFor(user);
    const cut = Math.floor(cookie.length / 3);
    const parts = [cookie.slice(0, cut), cookie.slice(cut, 2 * cut), cookie.slice(2 * cut)];
    const jar = [2, 0, 1].map((i) => ({ name: `${NAME}.${i}`, value: parts[i]! }));
    expect(await viewerFromCookies(jar, async () => db(), NAME, SECRET)).toEqual(
      expect.objectContaining({ name: 'Chunked' }),
    );
  });
});

describe('parseCookies', () => {
  it('splits a Cookie header into names and values as sent', () => {
    expect(parseCookies('a=1; next-auth.session-token=x.y-z_w; b = 2 ;c=d=e; junk; =v')).toEqual([
      { name: 'a', value: '1' },
      { name: 'next-auth.session-token', value: 'x.y-z_w' },
      { name: 'b', value: '2' },
      { name: 'c', value: 'd=e' },
    ]);
    expect(parseCookies(null)).toEqual([]);
    // Like Next's parser, which next-auth's own routes read: the last of a name wins, values decoded.
    expect(parseCookies('t=first; a=%41%20b; t=second; bad=%E0%A4%A')).toEqual([
      { name: 't', value: 'second' },
      { name: 'a', value: 'A b' },
      { name: 'bad', value: '%E0%A4%A' },
    ]);
  });
});
