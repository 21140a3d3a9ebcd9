import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { consumeMagicLink, createMagicLink, MAGIC_LINK_TTL_MS, peekMagicLink } from '../auth/magic-link';
import { AppError } from '../errors';
import { notifyReplyAnswered } from '../notifications/service';
import { describeEachDatabase } from '../testing/each-database';
import {
  authenticate,
  changePassword,
  createUser,
  deleteUser,
  endAllSessions,
  exportUserData,
  setRole,
  signUpSchema,
  upsertOAuthUser,
  upsertVerifiedUser,
} from './service';

let n = 0;
const signUp = (overrides: Record<string, string> = {}) =>
  signUpSchema.parse({
    name: 'Ada Reader',
    email: `ada${++n}-${Date.now()}@example.org`,
    password: 'correct horse battery',
    ...overrides,
  });

// The same suite on every database: SQLite always, PostgreSQL when it answers (required in CI).
describeEachDatabase('accounts', ({ db, testDb, test: maybe }) => {
  const userRow = (id: string) =>
    db()
      .selectFrom('users')
      .select(['id', 'name', 'role', 'token_version'])
      .where('id', '=', id)
      .executeTakeFirst();

  maybe('creates a user with an argon2id hash and finds them by email and password', async () => {
    const input = signUp();
    const user = await createUser(db(), input);
    expect(user.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect((await authenticate(db(), input.email, input.password))?.id).toBe(user.id);
    expect(await authenticate(db(), input.email, 'wrong password here')).toBeNull();
    expect(await authenticate(db(), 'nobody@example.org', input.password)).toBeNull();
  });

  maybe('refuses a second account for the same email, in any letter case or Unicode form', async () => {
    const input = signUp({ email: `Twin${Date.now()}@Example.org` });
    await createUser(db(), input);
    const again = signUp({ email: input.email.toUpperCase().replace('@', '\uFF20') }); // full-width @
    expect(again.email).toBe(input.email);
    await expect(createUser(db(), again)).rejects.toMatchObject({ code: 'conflict' });
  });

  maybe('ends every session by bumping the token version: sign out everywhere, password, role', async () => {
    const input = signUp();
    const user = await createUser(db(), input);
    await endAllSessions(db(), user.id);
    expect((await userRow(user.id))?.token_version).toBe(1);
    await changePassword(db(), user.id, input.password, 'a brand new passphrase');
    expect((await userRow(user.id))?.token_version).toBe(2);
    expect(await authenticate(db(), input.email, 'a brand new passphrase')).not.toBeNull();
    expect(await setRole(db(), input.email, 'moderator')).toBe(true);
    expect(await userRow(user.id)).toMatchObject({ role: 'moderator', token_version: 3 });
    expect(await setRole(db(), 'missing@example.org', 'admin')).toBe(false);
  });

  maybe('refuses a password change without the current password', async () => {
    const user = await createUser(db(), signUp());
    await expect(
      changePassword(db(), user.id, 'not the password', 'another good passphrase'),
    ).rejects.toBeInstanceOf(AppError);
  });

  maybe('magic links work once, within ten minutes', async () => {
    const email = `link${Date.now()}@example.org`;
    const now = Date.now();
    const token = await createMagicLink(db(), email, '/topics', now);
    expect(await peekMagicLink(db(), token, now)).toEqual({ callbackUrl: '/topics' });
    const [a, b] = await Promise.all([
      consumeMagicLink(db(), token, now + 1000),
      consumeMagicLink(db(), token, now + 1000),
    ]);
    expect([a, b].filter(Boolean)).toEqual([{ email, callbackUrl: '/topics' }]);
    expect(await consumeMagicLink(db(), token, now + 2000)).toBeNull();
    const late = await createMagicLink(db(), email, '/', now);
    expect(await consumeMagicLink(db(), late, now + MAGIC_LINK_TTL_MS + 1)).toBeNull();
    expect(await consumeMagicLink(db(), 'not-a-token', now)).toBeNull();
  });

  maybe('a magic link signs in an existing account or creates a verified one', async () => {
    const input = signUp();
    const existing = await createUser(db(), input);
    expect((await upsertVerifiedUser(db(), input.email)).id).toBe(existing.id);
    const fresh = await upsertVerifiedUser(db(), `new${Date.now()}@example.org`);
    expect(fresh).toMatchObject({ email_verified: 1, password_hash: null });
  });

  maybe('keys OAuth identities by provider and subject, never by email', async () => {
    const a = await upsertOAuthUser(db(), 'github', `s-${Date.now()}`, { name: 'Octo Cat' });
    expect(a.email).toMatch(/@oauth\.invalid$/);
    expect((await upsertOAuthUser(db(), 'github', a.email.split(':')[1]!.split('@')[0]!, {})).id).toBe(a.id);
  });

  maybe('exports and deletes personal data', async () => {
    const input = signUp();
    const user = await createUser(db(), input);
    const data = await exportUserData(db(), user.id);
    expect(data.account).toMatchObject({ email: input.email, name: 'Ada Reader', role: 'reader' });
    expect(JSON.stringify(data)).not.toContain('argon2');
    await deleteUser(db(), user.id);
    expect(await userRow(user.id)).toBeUndefined();
    expect(await authenticate(db(), input.email, input.password)).toBeNull();
  });

  maybe(
    "deleting an account takes its name out of others' notifications and its words out of the file",
    async () => {
      const marker = `zq${Date.now().toString(36)}x`;
      const id = randomUUID(); // ids stay (answered replies keep a placeholder): no marker in them
      const leaver = await createUser(
        db(),
        signUp({ name: `Leaver ${marker}`, email: `${marker}@example.org` }),
      );
      const other = await createUser(db(), signUp());
      const now = Date.now();
      const reply = {
        article: 'some-article',
        parent_id: null,
        answers_id: null,
        depth: 1,
        status: 'published' as const,
        rendered: '[]',
        created_at: now,
        edited_at: null,
        updated_at: now,
      };
      await db()
        .insertInto('replies')
        .values([
          {
            ...reply,
            id: `r1-${id}`,
            author_id: other.id,
            body: 'a question',
            dedupe_key: `d1-${id}`,
          },
          {
            ...reply,
            id: `r2-${id}`,
            author_id: leaver.id,
            body: `my secret words ${marker}`,
            dedupe_key: `d2-${id}`,
          },
        ])
        .execute();
      await notifyReplyAnswered(db(), {
        userId: other.id,
        article: 'some-article',
        replyId: `r2-${id}`,
        actorName: leaver.name,
        createdAt: now,
      });

      await deleteUser(db(), leaver.id);

      const notification = await db()
        .selectFrom('notifications')
        .select('actor_name')
        .where('reply_id', '=', `r2-${id}`)
        .executeTakeFirstOrThrow();
      expect(notification.actor_name).toBeNull();
      const t = testDb();
      if (t.dialect === 'sqlite') {
        // secure_delete and the WAL checkpoint: not in the database file or its WAL, in any encoding.
        const file = t.url.slice('file:'.length);
        for (const part of [file, `${file}-wal`]) {
          const bytes = existsSync(part) ? readFileSync(part) : Buffer.alloc(0);
          expect(bytes.includes(marker), `${part} still holds the deleted account's data`).toBe(false);
        }
      }
    },
  );

  maybe('stores long and non-ASCII text identically', async () => {
    const name = 'Zoë 🌊 Łódź — ' + 'x'.repeat(40);
    const user = await createUser(db(), signUp({ name }));
    expect((await userRow(user.id))?.name).toBe(name);
  });

  maybe('runs concurrent writes without SQLITE_BUSY or lost rows', async () => {
    const inputs = Array.from({ length: 20 }, () => signUp());
    await Promise.all(inputs.map((i) => createUser(db(), i)));
    const count = await db()
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where(
        'email',
        'in',
        inputs.map((i) => i.email),
      )
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(20);
  });
});

describe('input validation shared by both databases', () => {
  it.each([
    ['a NUL byte', { name: 'a\u0000b' }],
    ['a lone surrogate', { name: 'bad \uD800 name' }],
    ['a very long name', { name: 'x'.repeat(61) }],
    ['a right-to-left override in a name', { name: 'Ada \u202Egnp.exe' }],
    ['a directional isolate in a name', { name: 'Ada \u2067x\u2069' }],
    ['an invalid email', { email: 'not-an-email' }],
    ['a very long email', { email: `${'a'.repeat(250)}@example.org` }],
    ['a short password', { password: 'short' }],
    ['a common password', { password: 'password1' }],
    ['a huge password', { password: 'x'.repeat(5000) }],
  ])('refuses %s before any database sees it', (_what, overrides) => {
    expect(
      signUpSchema.safeParse({
        name: 'Ada',
        email: 'ada@example.org',
        password: 'correct horse battery',
        ...overrides,
      }).success,
    ).toBe(false);
  });

  it('accepts any characters in a password of 8 to 128', () => {
    expect(
      signUpSchema.safeParse({ name: 'Ada', email: 'ada@example.org', password: 'ünïcødé pässwörd ✓' })
        .success,
    ).toBe(true);
  });
});
