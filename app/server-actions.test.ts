import { readdir } from 'node:fs/promises';
import { encode } from 'next-auth/jwt';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { log } from '@/lib/log';
import { createSqliteTestDb, type TestDb } from '@/lib/testing/db';
import { insertReader } from '@/lib/testing/factories';
import { metricValue } from '@/lib/testing/metrics';
import { startSession } from '@/lib/users/service';
import { authSecret } from '@/lib/auth/secret';
import type { Role } from '@/lib/db/schema';

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

// Uploads go to a temporary media folder (lib/env reads MEDIA_DIR once, at import).
const media = await vi.hoisted(async () => {
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  return { dir: mkdtempSync(`${tmpdir()}/dispatch-actions-media-`) };
});
// Desk actions would write to an empty temporary CONTENT_DIR: a test can tell nothing was written.
const content = await vi.hoisted(async () => {
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  return { dir: mkdtempSync(`${tmpdir()}/dispatch-actions-content-`) };
});
afterAll(async () => (await import('node:fs/promises')).rm(content.dir, { recursive: true, force: true }));
vi.mock('@/lib/env', async (original) => {
  const env = await original<typeof import('@/lib/env')>();
  return {
    ...env,
    config: { ...env.config, mediaDir: media.dir, contentDir: content.dir, MEDIA_MAX_UPLOAD_MB: 1 },
  };
});
afterAll(async () => (await import('node:fs/promises')).rm(media.dir, { recursive: true, force: true }));

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

/** A real JPEG in the desk's upload field. */
const imageForm = () => {
  const f = new FormData();
  f.set('image', new File([new Uint8Array(JPEG)], 'photo.jpg', { type: 'image/jpeg' }));
  return f;
};
// The smallest valid JPEG (1×1): enough for an upload that must never get as far as reading it.
const JPEG = Buffer.from(
  '/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=',
  'base64',
);

/** Every file under the media folder, so a test can tell nothing was written there. */
const mediaFiles = async () => (await readdir(media.dir, { recursive: true })).sort();

type DeskActions = typeof import('@/lib/desk/actions');
/** Every desk action (SPEC §9), each with an argument it would act on if it let the caller through. */
const deskCalls: [keyof DeskActions, (actions: DeskActions) => Promise<unknown>][] = [
  ['listBylines', (a) => a.listBylines()],
  ['postUpdate', (a) => a.postUpdate({ topic: 'science', body: 'Hello.' })],
  ['previewEntry', (a) => a.previewEntry({ body: 'Hello.' })],
  ['loadEntry', (a) => a.loadEntry({ slug: 'some-article' })],
  ['editEntry', (a) => a.editEntry({ slug: 'some-article', fingerprint: 'A'.repeat(43), body: 'Hello.' })],
  ['setEntryFlag', (a) => a.setEntryFlag({ slug: 'some-article', flag: 'pinned', value: true })],
  ['deleteEntry', (a) => a.deleteEntry({ slug: 'some-article' })],
  ['restoreEntry', (a) => a.restoreEntry({ path: '.trash/articles/some-article.mdx' })],
  [
    'saveArticle',
    (a) =>
      a.saveArticle({ title: 'T', topics: ['science'], publishedAt: '2026-01-01T00:00:00Z', body: 'Hi.' }),
  ],
  ['createTopic', (a) => a.createTopic({ title: 'New', description: 'A new topic.', live: true })],
  ['setTopicLive', (a) => a.setTopicLive({ topic: 'science', live: false })],
];
const callDesk = async (call: (actions: DeskActions) => Promise<unknown>) =>
  call(await import('@/lib/desk/actions'));

/** Every file under the temporary CONTENT_DIR (none: the desk never got to write). */
const contentFiles = async () => (await readdir(content.dir, { recursive: true })).sort();

it('the desk list below names every desk action', async () => {
  const exported = Object.keys(await import('@/lib/desk/actions')).sort();
  expect(deskCalls.map(([name]) => name).sort()).toEqual(exported);
});

/** Signs a new user with `role` in, with a session in a fresh test database. */
async function signInAs(role: Role) {
  session.db = await createSqliteTestDb();
  const user = await insertReader(session.db.db, { role });
  const started = await startSession(session.db.db, user.id, 3600_000);
  const token = await encode({
    secret: authSecret(),
    token: { uid: user.id, sid: started!.sessionId, ver: 0, role, name: user.name, authTime: Date.now() },
  });
  session.cookie = `next-auth.session-token=${token}`;
  return user;
}

async function signOut() {
  session.cookie = 'unrelated=1';
  await session.db?.cleanup();
  session.db = null;
}

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
    ...deskCalls.map(([name, call]): [string, () => Promise<unknown>] => [name, () => callDesk(call)]),
  ];

  it.each(cases)('%s refuses and logs the refusal', async (_name, call) => {
    const result = await call();
    expect(result).toMatchObject({ ok: false, code: 'unauthorized' });
    expect(warn).toHaveBeenCalledWith(
      'authz',
      expect.stringMatching(/^refused action a1b2c3d4e5: not signed in ip=/),
    );
  });

  it('a refused reply is counted by why (/metrics)', async () => {
    const signedOut = () => metricValue('dispatch_replies_refused_total', { reason: 'signed_out' });
    const before = await signedOut();
    await (await import('@/lib/replies/actions')).postReply({ article: 'a', body: 'hi' });
    expect(await signedOut()).toBe(before + 1);
  });

  it('desk actions write nothing', async () => {
    for (const [, call] of deskCalls) expect(await callDesk(call)).toMatchObject({ code: 'unauthorized' });
    expect(await contentFiles()).toEqual([]);
  });

  it('the photo upload (POST /api/media) refuses, stores nothing, and logs the refusal', async () => {
    expect(await upload(imageForm())).toMatchObject({ ok: false, code: 'unauthorized' });
    expect(await mediaFiles()).toEqual([]);
    expect(warn).toHaveBeenCalledWith('authz', expect.stringMatching(/^refused upload: not signed in ip=/));
  });

  it('signOutEverywhere sends the browser to sign in, and logs', async () => {
    const { signOutEverywhere } = await import('@/app/account/actions');
    await expect(signOutEverywhere()).rejects.toMatchObject({ redirectTo: '/signin' });
    expect(warn).toHaveBeenCalledWith('authz', expect.stringMatching(/^refused action a1b2c3d4e5/));
  });
});

describe('moderation and desk actions called by a reader', () => {
  let warn: ReturnType<typeof vi.spyOn>;
  beforeAll(async () => signInAs('reader'));
  afterAll(signOut);
  beforeEach(() => {
    warn = vi.spyOn(log, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => warn.mockRestore());

  it('the photo upload is forbidden, nothing is stored, and the refusal logged', async () => {
    const before = await mediaFiles();
    const result = await upload(imageForm());
    expect(result).toMatchObject({
      ok: false,
      code: 'forbidden',
      message: 'Only editors can upload images.',
    });
    expect(await mediaFiles()).toEqual(before);
    expect(warn).toHaveBeenCalledWith(
      'authz',
      expect.stringMatching(/^refused upload: forbidden for reader /),
    );
  });

  it.each(deskCalls)('%s is forbidden, nothing is written, and the refusal logged', async (_name, call) => {
    expect(await callDesk(call)).toMatchObject({
      ok: false,
      code: 'forbidden',
      message: 'Only editors can do that.',
    });
    expect(await contentFiles()).toEqual([]);
    const logged = await session.db!.db.selectFrom('desk_log').select('id').execute();
    expect(logged).toEqual([]);
    expect(warn).toHaveBeenCalledWith(
      'authz',
      expect.stringMatching(/^refused action a1b2c3d4e5: forbidden for reader /),
    );
  });

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

describe('the photo upload by an editor', () => {
  let editor: { id: string };
  beforeAll(async () => {
    editor = await signInAs('editor');
  });
  afterAll(signOut);

  it('stores the image and logs who uploaded it', async () => {
    const info = vi.spyOn(log, 'info').mockImplementation(() => undefined);
    const photo = await sharp({ create: { width: 1200, height: 900, channels: 3, background: '#468' } })
      .jpeg()
      .toBuffer();
    const f = new FormData();
    f.set('image', new File([new Uint8Array(photo)], 'harbour.jpg', { type: 'image/jpeg' }));
    const result = await upload(f);
    expect(result).toEqual({
      ok: true,
      data: {
        src: expect.stringMatching(/^\/media\/\d{4}\/\d{2}\/[a-f0-9]{16}-1200x900-960\.webp$/),
        width: 960,
        height: 720,
      },
    });
    expect((await mediaFiles()).filter((f) => f.endsWith('.webp'))).toHaveLength(3);
    expect(info).toHaveBeenCalledWith(
      'desk',
      expect.stringContaining(`image uploaded by ${editor.id}: "harbour.jpg"`),
    );
    info.mockRestore();
  });

  it("refuses a cross-site form posting with the editor's cookie", async () => {
    const before = await mediaFiles();
    expect(await upload(imageForm(), { origin: 'https://elsewhere.example' })).toMatchObject({
      ok: false,
      code: 'forbidden',
    });
    expect(await upload(imageForm(), { 'sec-fetch-site': 'cross-site' })).toMatchObject({
      code: 'forbidden',
    });
    expect(await mediaFiles()).toEqual(before);
  });

  it.each([
    ['no file', () => new FormData(), 'Choose an image to upload.'],
    ['text in the field', () => form({ image: 'not a file' }), 'Choose an image to upload.'],
    ['a file over the limit', () => fileForm(Buffer.alloc(1024 * 1024 + 1)), 'Images may be at most 1 MB.'],
    [
      'HTML named photo.jpg',
      () => fileForm(Buffer.from('<!doctype html><p>hi')),
      'Only JPEG, PNG or WebP images can be uploaded.',
    ],
  ])('refuses %s as invalid, storing nothing', async (_name, make, message) => {
    const before = await mediaFiles();
    expect(await upload(make())).toMatchObject({ ok: false, code: 'invalid', message });
    expect(await mediaFiles()).toEqual(before);
  });
});

/** POST /api/media as the desk's forms send it (same origin), read as they read it. */
async function upload(body: FormData, headers: Record<string, string> = { origin: 'http://127.0.0.1:3000' }) {
  const { handleUpload } = await import('@/lib/media/routes');
  const res = await handleUpload(
    new Request('http://127.0.0.1:3000/api/media', {
      method: 'POST',
      body,
      headers: { host: '127.0.0.1:3000', ...headers },
    }),
  );
  const answer = (await res.json()) as { ok?: boolean };
  return 'ok' in answer ? answer : { ok: false, status: res.status, ...answer };
}

const fileForm = (bytes: Buffer) => {
  const f = new FormData();
  f.set('image', new File([new Uint8Array(bytes)], 'photo.jpg', { type: 'image/jpeg' }));
  return f;
};
