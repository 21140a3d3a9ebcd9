import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { z } from 'zod';
import { emailSchema } from './email';
import { hashPassword, passwordInputSchema, passwordSchema, verifyNothing, verifyPassword } from './password';
import { eraseFreedSpace, isUniqueViolation, type Db } from '../db/client';
import type { Role, User } from '../db/schema';
import { AppError } from '../errors';
import { log } from '../log';
import { anonymizeActor } from '../notifications/service';
import { safeText } from '../validation';

export const displayNameSchema = safeText(60)
  // Embedding, override and isolate controls would let a name reorder the text around it (U+202E).
  .refine(
    (s) => !/[\u202A-\u202E\u2066-\u2069]/.test(s),
    'must not contain text-direction control characters',
  )
  .transform((s) => s.normalize('NFC').replace(/\s+/g, ' ').trim())
  .pipe(z.string().min(1, 'Enter a name').max(60));

export const signUpSchema = z.object({
  name: displayNameSchema,
  email: emailSchema,
  password: passwordSchema,
});
export type SignUpInput = z.infer<typeof signUpSchema>;
export const signInSchema = z.object({ email: emailSchema, password: passwordInputSchema });

export const roles = ['reader', 'moderator', 'editor', 'admin'] as const satisfies readonly Role[];

/** What a session needs to know about its user, re-read on every request. */
export type SessionUser = Pick<User, 'id' | 'name' | 'role' | 'token_version'>;

/** A new user row with defaults; timestamps are now. */
function newUser(
  fields: Pick<User, 'email' | 'name' | 'password_hash'> & Partial<Pick<User, 'role' | 'email_verified'>>,
): User {
  const now = Date.now();
  return {
    id: randomUUID(),
    role: 'reader',
    token_version: 0,
    email_verified: 0,
    notify_email: 0,
    last_reply_at: null,
    feed_token: null,
    author_slug: null,
    created_at: now,
    updated_at: now,
    ...fields,
  };
}

/** Creates a reader with a password. A taken email is a conflict (the caller decides what to say). */
export async function createUser(db: Db, input: SignUpInput, role: Role = 'reader'): Promise<User> {
  const user = newUser({
    email: input.email,
    name: input.name,
    password_hash: await hashPassword(input.password),
    role,
  });
  try {
    await db.insertInto('users').values(user).execute();
  } catch (error) {
    if (isUniqueViolation(error))
      throw new AppError('conflict', 'An account with this email already exists.');
    throw error;
  }
  log.info('auth', `account created ${user.id}`);
  return user;
}

/**
 * Checks an email and password. Unknown accounts and wrong passwords take the same time and give
 * the same answer (null), so neither reveals which emails have accounts (SECURITY P10).
 */
export async function authenticate(db: Db, email: string, password: string): Promise<User | null> {
  const user = await db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
  if (!user?.password_hash) {
    await verifyNothing(password);
    return null;
  }
  return (await verifyPassword(user.password_hash, password)) ? user : null;
}

/** What a session check reads: the user, fresh, and the session row its token names. */
export type SessionRow = SessionUser & { last_seen_at: number };

/** The user behind a live session (one indexed join), or undefined when the session is gone. */
export const getSessionUser = (
  db: Db,
  userId: string,
  sessionId: string,
  now = Date.now(),
): Promise<SessionRow | undefined> =>
  db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['users.id', 'users.name', 'users.role', 'users.token_version', 'sessions.last_seen_at'])
    .where('sessions.id', '=', sessionId)
    .where('sessions.user_id', '=', userId)
    .where('sessions.expires_at', '>', now)
    .executeTakeFirst();

/**
 * Records a new signed-in session for the user (SECURITY P11): its id goes into the JWT, and the
 * session is valid only while this row exists. Expired rows of anyone are swept on the way.
 */
export async function startSession(
  db: Db,
  userId: string,
  maxAgeMs: number,
  now = Date.now(),
): Promise<{ sessionId: string; user: SessionUser } | null> {
  const user = await db
    .selectFrom('users')
    .select(['id', 'name', 'role', 'token_version'])
    .where('id', '=', userId)
    .executeTakeFirst();
  if (!user) return null;
  const sessionId = randomBytes(24).toString('base64url');
  await db.deleteFrom('sessions').where('expires_at', '<=', now).execute();
  await db
    .insertInto('sessions')
    .values({
      id: sessionId,
      user_id: userId,
      created_at: now,
      last_seen_at: now,
      expires_at: now + maxAgeMs,
    })
    .execute();
  return { sessionId, user };
}

/** Ends one session (sign-out): its cookie, wherever it was copied, is signed out from now on. */
export async function endSession(db: Db, sessionId: string) {
  await db.deleteFrom('sessions').where('id', '=', sessionId).execute();
}

export async function touchSession(db: Db, sessionId: string, now = Date.now()) {
  await db.updateTable('sessions').set({ last_seen_at: now }).where('id', '=', sessionId).execute();
}

const getUserByEmail = (db: Db, email: string) =>
  db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();

/** Finds or creates the user for a verified email (magic links); new accounts get a name from the address. */
export async function upsertVerifiedUser(db: Db, email: string): Promise<User> {
  const existing = await getUserByEmail(db, email);
  if (existing) {
    if (!existing.email_verified)
      await db.updateTable('users').set({ email_verified: 1 }).where('id', '=', existing.id).execute();
    return existing;
  }
  const user = newUser({
    email,
    name: email.split('@')[0]!.slice(0, 60) || 'Reader',
    password_hash: null,
    email_verified: 1,
  });
  try {
    await db.insertInto('users').values(user).execute();
    return user;
  } catch (error) {
    // Two first sign-ins at once: the other one created it.
    if (isUniqueViolation(error)) return (await getUserByEmail(db, email))!;
    throw error;
  }
}

/**
 * The user for an OAuth identity, keyed by (provider, subject). An existing account is never
 * linked by email, so a provider that lets anyone claim an address can't take it over (P15).
 */
export async function upsertOAuthUser(
  db: Db,
  provider: string,
  subject: string,
  profile: { name?: string | null },
): Promise<User> {
  const linked = await db
    .selectFrom('accounts')
    .innerJoin('users', 'users.id', 'accounts.user_id')
    .selectAll('users')
    .where('accounts.provider', '=', provider)
    .where('accounts.provider_account_id', '=', subject)
    .executeTakeFirst();
  if (linked) return linked;
  const name = displayNameSchema.safeParse(profile.name ?? '');
  const user = newUser({
    // Not the provider's email: it is unverified here and must not collide with a password account.
    email: `${provider}:${subject}@oauth.invalid`,
    name: name.success ? name.data : 'Reader',
    password_hash: null,
  });
  await db.transaction().execute(async (tx) => {
    await tx.insertInto('users').values(user).execute();
    await tx
      .insertInto('accounts')
      .values({ provider, provider_account_id: subject, user_id: user.id, created_at: user.created_at })
      .execute();
  });
  return user;
}

export async function changeName(db: Db, userId: string, name: string) {
  await db.updateTable('users').set({ name, updated_at: Date.now() }).where('id', '=', userId).execute();
}

/** Changes the password after checking the current one, and ends every other session. */
export async function changePassword(db: Db, userId: string, current: string, next: string) {
  const user = await db
    .selectFrom('users')
    .select(['password_hash'])
    .where('id', '=', userId)
    .executeTakeFirst();
  if (!user) throw new AppError('not_found', 'Account not found.');
  if (user.password_hash && !(await verifyPassword(user.password_hash, current))) {
    throw new AppError('invalid', 'Your current password is not correct.');
  }
  const password_hash = await hashPassword(next);
  await db
    .updateTable('users')
    .set((eb) => ({ password_hash, token_version: eb('token_version', '+', 1), updated_at: Date.now() }))
    .where('id', '=', userId)
    .execute();
  log.info('auth', `password changed ${userId}`);
}

/** Ends every session of the user, everywhere (the next request of each is signed out). */
export async function endAllSessions(db: Db, userId: string) {
  await db.transaction().execute(async (tx) => {
    await tx
      .updateTable('users')
      .set((eb) => ({ token_version: eb('token_version', '+', 1), updated_at: Date.now() }))
      .where('id', '=', userId)
      .execute();
    await tx.deleteFrom('sessions').where('user_id', '=', userId).execute();
  });
  log.info('auth', `all sessions ended ${userId}`);
}

/** Changes a role; the user's sessions end so the new role applies at once (SECURITY P11). */
export async function setRole(db: Db, email: string, role: Role): Promise<boolean> {
  const result = await db
    .updateTable('users')
    .set((eb) => ({ role, token_version: eb('token_version', '+', 1), updated_at: Date.now() }))
    .where('email', '=', email)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Links an account to the author file that is its byline on the desk (null unlinks). */
export async function setAuthorSlug(db: Db, email: string, authorSlug: string | null): Promise<boolean> {
  const result = await db
    .updateTable('users')
    .set({ author_slug: authorSlug, updated_at: Date.now() })
    .where('email', '=', email)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** The byline an editor's account is linked to, if any. */
export async function getAuthorSlug(db: Db, userId: string): Promise<string | null> {
  const row = await db.selectFrom('users').select('author_slug').where('id', '=', userId).executeTakeFirst();
  return row?.author_slug ?? null;
}

export const listUsers = (db: Db) =>
  db
    .selectFrom('users')
    .select(['id', 'email', 'name', 'role', 'author_slug', 'created_at'])
    .orderBy('created_at')
    .execute();

/** Everything we hold about a user, for "download my data". */
export async function exportUserData(db: Db, userId: string) {
  const user = await db
    .selectFrom('users')
    .select(['id', 'email', 'name', 'role', 'email_verified', 'created_at', 'updated_at'])
    .where('id', '=', userId)
    .executeTakeFirst();
  if (!user) throw new AppError('not_found', 'Account not found.');
  const accounts = await db
    .selectFrom('accounts')
    .select(['provider', 'created_at'])
    .where('user_id', '=', userId)
    .execute();
  const replies = await db
    .selectFrom('replies')
    .select(['id', 'article', 'body', 'status', 'created_at'])
    .where('author_id', '=', userId)
    .where('status', '!=', 'deleted')
    .orderBy('created_at')
    .execute();
  return {
    exportedAt: new Date().toISOString(),
    account: {
      ...user,
      email_verified: Boolean(user.email_verified),
      created_at: new Date(user.created_at).toISOString(),
      updated_at: new Date(user.updated_at).toISOString(),
    },
    replies: replies.map((r) => ({ ...r, created_at: new Date(r.created_at).toISOString() })),
    signInMethods: accounts.map((a) => ({
      provider: a.provider,
      linkedAt: new Date(a.created_at).toISOString(),
    })),
  };
}

export async function setReplyEmails(db: Db, userId: string, on: boolean) {
  await db
    .updateTable('users')
    .set({ notify_email: on ? 1 : 0, updated_at: Date.now() })
    .where('id', '=', userId)
    .execute();
}

export async function getReplyEmails(db: Db, userId: string): Promise<boolean> {
  const row = await db.selectFrom('users').select('notify_email').where('id', '=', userId).executeTakeFirst();
  return row?.notify_email === 1;
}

/** Deletes the account and its personal data, replies included. */
export async function deleteUser(db: Db, userId: string) {
  await db.transaction().execute(async (tx) => {
    const user = await tx.selectFrom('users').select(['email']).where('id', '=', userId).executeTakeFirst();
    if (!user) return;
    await tx.deleteFrom('magic_links').where('email', '=', user.email).execute();
    // Other readers' "X replied to you" lose the name too ("Someone replied…").
    await anonymizeActor(tx, userId);
    // Their words go with them; answered replies stay as "deleted" placeholders so threads hold.
    await tx
      .updateTable('replies')
      .set({
        status: 'deleted',
        body: '',
        rendered: '[]',
        dedupe_key: sql<string>`'deleted:' || id`,
        updated_at: Date.now(),
      })
      .where('author_id', '=', userId)
      .execute();
    await tx.deleteFrom('users').where('id', '=', userId).execute();
  });
  await eraseFreedSpace(db);
  log.info('auth', `account deleted ${userId}`);
}
