import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

/**
 * The database, as Kysely sees it. One schema and one set of queries for SQLite and PostgreSQL
 * (docs/decisions/006-data-layer.md). Times are epoch milliseconds (bigint in PostgreSQL,
 * integer in SQLite), ids are random text, booleans are 0/1 integers: the types both speak alike.
 */
export type Role = 'reader' | 'moderator' | 'admin';

export interface UsersTable {
  id: string;
  /** Canonical form: NFKC, trimmed, lower-case; unique. Never shown to other readers. */
  email: string;
  name: string;
  password_hash: string | null;
  role: Role;
  /** Bumped to end every session of the user (sign out everywhere, password or role change). */
  token_version: Generated<number>;
  email_verified: Generated<number>;
  created_at: number;
  updated_at: number;
}

export interface AccountsTable {
  provider: string;
  provider_account_id: string;
  user_id: string;
  created_at: number;
}

export interface MagicLinksTable {
  /** SHA-256 of the token: a leaked table can't be replayed. */
  token_hash: string;
  email: string;
  callback_url: string;
  expires_at: number;
  used_at: number | null;
  created_at: number;
}

export interface Database {
  users: UsersTable;
  accounts: AccountsTable;
  magic_links: MagicLinksTable;
}

export type User = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
