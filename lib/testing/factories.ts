import { randomUUID } from 'node:crypto';
import type { Db } from '../db/client';
import type { Role } from '../db/schema';

let n = 0;

/** A user row without a password (tests that sign in use the real sign-up), unique per call. */
export async function insertReader(
  db: Db,
  overrides: { name?: string; role?: Role; notifyEmail?: boolean } = {},
) {
  const id = randomUUID();
  const now = Date.now();
  const user = {
    id,
    email: `reader${++n}-${id.slice(0, 8)}@example.org`,
    name: overrides.name ?? `Reader ${n}`,
    role: overrides.role ?? 'reader',
  };
  await db
    .insertInto('users')
    .values({
      ...user,
      password_hash: null,
      notify_email: overrides.notifyEmail ? 1 : 0,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return user;
}
