import { decode, encode } from 'next-auth/jwt';
import { openDatabase } from '../db/client';
import { describe, expect, it, vi } from 'vitest';
import { endAllSessions, endSession, setRole, startSession } from '../users/service';
import { insertReader } from '../testing/factories';
import { describeEachDatabase } from '../testing/each-database';
import { parseCookies } from './cookies';
import { viewerFromCookies } from './session';

const SECRET = 'test-secret-'.padEnd(40, 'x');
const NAME = 'next-auth.session-token';
const HOUR = 3600_000;

// getViewer() reads next-auth's cookie itself (lib/auth/session.ts); these pin that it refuses
// everything next-auth's own session route would: tampering, expiry, revocation, age caps.
describeEachDatabase('session cookie', ({ db, testDb, test }) => {
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
  // A cookie as next-auth writes it after sign-in: for a new session row, unless `extra` says otherwise.
  const tokenFor = async (
    user: { id: string; name: string; role: string },
    extra: Record<string, unknown> = {},
    maxAge = 30 * 24 * 3600,
  ) => {
    const started = await startSession(db(), user.id, maxAge * 1000);
    const sid = started?.sessionId ?? 'no-such-session';
    return encode({
      secret: SECRET,
      maxAge,
      token: { uid: user.id, sid, ver: 0, role: user.role, name: user.name, authTime: Date.now(), ...extra },
    });
  };
  const sidOf = async (cookie: string) => String((await decode({ token: cookie, secret: SECRET }))?.sid);

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
    // Editors' sessions are staff sessions too (issue 13): as short as moderators'.
    const editor = await insertReader(db(), { role: 'editor' });
    expect(await viewer(await tokenFor(editor, { authTime: Date.now() - 11 * HOUR }))).toEqual(
      expect.objectContaining({ role: 'editor' }),
    );
    expect(await viewer(await tokenFor(editor, { authTime: Date.now() - 13 * HOUR }))).toBeNull();
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

  test('sign-out ends that session: a copied cookie is refused, the other sessions of the account go on', async () => {
    const user = await insertReader(db());
    const laptop = await tokenFor(user);
    const phone = await tokenFor(user);
    const copy = laptop; // what an attacker lifted from the laptop
    expect(await viewer(copy)).not.toBeNull();
    await endSession(db(), await sidOf(laptop)); // what next-auth's signOut event does
    expect(await viewer(copy)).toBeNull();
    expect(await viewer(phone)).toEqual(expect.objectContaining({ id: user.id }));
  });

  test('sign-out on one instance is seen by another on the same database', async () => {
    const user = await insertReader(db());
    const cookie = await tokenFor(user);
    // A second instance: its own connection (pool) to the same database.
    const t = testDb();
    const other = openDatabase(
      t.dialect === 'sqlite'
        ? { dialect: 'sqlite', file: t.url.slice('file:'.length) }
        : { dialect: 'postgres', url: t.url },
      2,
    );
    try {
      const onB = await other.ready;
      const viewerOnB = (value: string) =>
        viewerFromCookies([{ name: NAME, value }], async () => onB, NAME, SECRET);
      expect(await viewerOnB(cookie)).toEqual(expect.objectContaining({ id: user.id }));
      await endSession(onB, await sidOf(cookie)); // signed out through instance B
      expect(await viewer(cookie)).toBeNull(); // instance A refuses the same cookie
      expect(await viewerOnB(cookie)).toBeNull();
    } finally {
      await other.db.destroy();
    }
  });

  test('a token that names no session (or that of another account) is signed out', async () => {
    const user = await insertReader(db());
    const other = await insertReader(db());
    expect(await viewer(await tokenFor(user, { sid: undefined }))).toBeNull();
    const theirs = await sidOf(await tokenFor(other));
    expect(await viewer(await tokenFor(user, { sid: theirs }))).toBeNull();
  });

  test('staff sessions end after 30 idle minutes; readers only at their age cap', async () => {
    const moderator = await insertReader(db(), { role: 'moderator' });
    const reader = await insertReader(db());
    const staffCookie = await tokenFor(moderator);
    const readerCookie = await tokenFor(reader);
    const start = Date.now();
    const at = async (minutes: number, cookie: string) => {
      vi.useFakeTimers({ now: start + minutes * 60_000, toFake: ['Date'] });
      try {
        return await viewer(cookie);
      } finally {
        vi.useRealTimers();
      }
    };
    expect(await at(25, staffCookie)).not.toBeNull(); // used at 25 min…
    expect(await at(50, staffCookie)).not.toBeNull(); // …so 50 is 25 idle minutes
    expect(await at(81, staffCookie)).toBeNull(); // 31 idle minutes
    expect(await at(25, staffCookie)).toBeNull(); // and it stays ended
    expect(await at(6 * 60, readerCookie)).not.toBeNull();
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
