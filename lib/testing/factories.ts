import { randomUUID } from 'node:crypto';
import type { Db } from '../db/client';
import type { Role } from '../db/schema';
import { hashPassword } from '../users/password';

/** The password `insertReader({ password: PASSWORD })` gives an account. */
export const PASSWORD = 'correct horse battery staple';

let n = 0;

/** A user row, unique per call; without a password unless one is given (e.g. PASSWORD). */
export async function insertReader(
  db: Db,
  overrides: { name?: string; role?: Role; notifyEmail?: boolean; password?: string } = {},
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
      password_hash: overrides.password ? await hashPassword(overrides.password) : null,
      notify_email: overrides.notifyEmail ? 1 : 0,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return user;
}
