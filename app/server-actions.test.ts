import { encode } from 'next-auth/jwt';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { log } from '@/lib/log';
import { createSqliteTestDb, type TestDb } from '@/lib/testing/db';
import { insertReader } from '@/lib/testing/factories';
import { startSession } from '@/lib/users/service';
import { authSecret } from '@/lib/auth/secret';

const session = vi.hoisted(() => ({ cookie: 'unrelated=1', db: null as TestDb | null }));

// Server actions are public endpoints: called with no session, each one refuses with a typed
// result (or sends the browser to sign in) and leaves a log line naming the action and the address.
vi.mock('next/headers', () => ({
  headers: async () => new Headers({ 'next-action': 'a1b2c3d4e5', cookie: session.cookie }),
  cookies: async () => ({ get: () => undefined, getAll: () => [], set: () => undefined }),
}));
vi.mock('next/navigation', () => ({
  redirect: (to: string) => {
    throw Object.assign(new Error(`redirect ${to}`), { redirectTo: to });
  },
}));

vi.mock('@/lib/server', async (original) => ({
  ...(await original<typeof import('@/lib/server')>()),
  getDb: async () => {
    if (!session.db) throw new Error('no test database');
    return session.db.db;
  },
}));

const form = (fields: Record<string, string> = {}) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return f;
};

describe('server actions called signed out', () => {
  let warn: ReturnType<typeof vi.spyOn>;
  beforeEach(() => {
    warn = vi.spyOn(log, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => warn.mockRestore());

  const cases: [string, () => Promise<unknown>][] = [
    [
      'postReply',
      async () => (await import('@/lib/replies/actions')).postReply({ article: 'a', body: 'hi' }),
    ],
    ['editReply', async () => (await import('@/lib/replies/actions')).editReply({ id: 'x', body: 'hi' })],
    ['deleteReply', async () => (await import('@/lib/replies/actions')).deleteReply({ id: 'x' })],
    [
      'reportReply',
      async () => (await import('@/lib/replies/actions')).reportReply({ id: 'x', reason: 'spam' }),
    ],
    [
      'approveReply',
      async () => (await import('@/lib/replies/actions')).approveReply({ id: 'x', reason: '' }),
    ],
    ['hideReply', async () => (await import('@/lib/replies/actions')).hideReply({ id: 'x', reason: '' })],
    [
      'restoreReply',
      async () => (await import('@/lib/replies/actions')).restoreReply({ id: 'x', reason: '' }),
    ],
    ['removeReply', async () => (await import('@/lib/replies/actions')).removeReply({ id: 'x', reason: '' })],
    [
      'dismissReports',
      async () => (await import('@/lib/replies/actions')).dismissReports({ id: 'x', reason: '' }),
    ],
    ['followTopic', async () => (await import('@/lib/follows/actions')).followTopic({ topic: 'science' })],
    [
      'unfollowTopic',
      async () => (await import('@/lib/follows/actions')).unfollowTopic({ topic: 'science' }),
    ],
    [
      'setFollowLevel',
      async () => (await import('@/lib/follows/actions')).setFollowLevel({ topic: 'science', level: 'all' }),
    ],
    [
      'markSeen',
      async () => (await import('@/lib/follows/actions')).markSeen({ topic: 'science', until: 1 }),
    ],
    ['markAllRead', async () => (await import('@/lib/follows/actions')).markAllRead()],
    ['resetFeedToken', async () => (await import('@/lib/follows/actions')).resetFeedToken()],
    [
      'markNotificationsRead',
      async () => (await import('@/lib/notifications/actions')).markNotificationsRead({}),
    ],
    ['savePushSubscription', async () => (await import('@/lib/push/actions')).savePushSubscription({})],
    ['deletePushSubscription', async () => (await import('@/lib/push/actions')).deletePushSubscription({})],
    ['updateName', async () => (await import('@/app/account/actions')).updateName(null, form({ name: 'X' }))],
    ['updatePassword', async () => (await import('@/app/account/actions')).updatePassword(null, form())],
    [
      'updateReplyEmails',
      async () => (await import('@/app/account/actions')).updateReplyEmails(null, form()),
    ],
    ['deleteAccount', async () => (await import('@/app/account/actions')).deleteAccount(null, form())],
  ];

  it.each(cases)('%s refuses and logs the refusal', async (_name, call) => {
    const result = await call();
    expect(result).toMatchObject({ ok: false, code: 'unauthorized' });
    expect(warn).toHaveBeenCalledWith(
      'authz',
      expect.stringMatching(/^refused action a1b2c3d4e5: not signed in ip=/),
    );
  });

  it('signOutEverywhere sends the browser to sign in, and logs', async () => {
    const { signOutEverywhere } = await import('@/app/account/actions');
    await expect(signOutEverywhere()).rejects.toMatchObject({ redirectTo: '/signin' });
    expect(warn).toHaveBeenCalledWith('authz', expect.stringMatching(/^refused action a1b2c3d4e5/));
  });
});

describe('moderation actions called by a reader', () => {
  let warn: ReturnType<typeof vi.spyOn>;
  beforeAll(async () => {
    session.db = await createSqliteTestDb();
    const reader = await insertReader(session.db.db);
    const started = await startSession(session.db.db, reader.id, 3600_000);
    const token = await encode({
      secret: authSecret(),
      token: {
        uid: reader.id,
        sid: started!.sessionId,
        ver: 0,
        role: 'reader',
        name: reader.name,
        authTime: Date.now(),
      },
    });
    session.cookie = `next-auth.session-token=${token}`;
  });
  afterAll(async () => {
    session.cookie = 'unrelated=1';
    await session.db?.cleanup();
    session.db = null;
  });
  beforeEach(() => {
    warn = vi.spyOn(log, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => warn.mockRestore());

  it.each(['approveReply', 'hideReply', 'restoreReply', 'removeReply', 'dismissReports'] as const)(
    '%s is forbidden, and the refusal logged',
    async (name) => {
      const actions = await import('@/lib/replies/actions');
      const result = await actions[name]({ id: 'x', reason: 'because' });
      expect(result).toMatchObject({ ok: false, code: 'forbidden', message: 'Only moderators can do that.' });
      expect(warn).toHaveBeenCalledWith(
        'authz',
        expect.stringMatching(/^refused action a1b2c3d4e5: forbidden for reader /),
      );
    },
  );
});
