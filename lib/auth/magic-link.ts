import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/client';

export const MAGIC_LINK_TTL_MS = 10 * 60_000; // SPEC §5: links expire in 10 minutes

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Stores a new single-use link for `email` and returns its secret token (only ever mailed). */
export async function createMagicLink(
  db: Db,
  email: string,
  callbackUrl: string,
  now = Date.now(),
): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await db
    .insertInto('magic_links')
    .values({
      token_hash: hashToken(token),
      email,
      callback_url: callbackUrl,
      expires_at: now + MAGIC_LINK_TTL_MS,
      used_at: null,
      created_at: now,
    })
    .execute();
  // Housekeeping: expired links are useless, keep the table small.
  await db
    .deleteFrom('magic_links')
    .where('expires_at', '<', now - MAGIC_LINK_TTL_MS)
    .execute();
  return token;
}

/**
 * Uses a link: returns its email and callback once, within its lifetime, and null ever after.
 * One conditional UPDATE, so two simultaneous uses can't both succeed.
 */
export async function consumeMagicLink(
  db: Db,
  token: string,
  now = Date.now(),
): Promise<{ email: string; callbackUrl: string } | null> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
  const tokenHash = hashToken(token);
  const result = await db
    .updateTable('magic_links')
    .set({ used_at: now })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) return null;
  const row = await db
    .selectFrom('magic_links')
    .select(['email', 'callback_url'])
    .where('token_hash', '=', tokenHash)
    .executeTakeFirstOrThrow();
  return { email: row.email, callbackUrl: row.callback_url };
}

/** Where a still-usable link leads, without using it (the verify page shows Continue only for these). */
export async function peekMagicLink(
  db: Db,
  token: string,
  now = Date.now(),
): Promise<{ callbackUrl: string } | null> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
  const row = await db
    .selectFrom('magic_links')
    .select(['callback_url'])
    .where('token_hash', '=', hashToken(token))
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return row ? { callbackUrl: row.callback_url } : null;
}
