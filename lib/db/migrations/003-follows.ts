import type { Kysely } from 'kysely';

// Following topics, read cursors, private feed tokens, web push (docs/decisions/010-following.md).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('follows')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('topic', 'text', (c) => c.notNull())
    // What the reader is told about: 'all' updates, 'key' events only, or 'none'.
    .addColumn('level', 'text', (c) => c.notNull().defaultTo('all'))
    // The newest publication time (epoch ms) the reader has actually seen in this topic.
    .addColumn('seen_until', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('follows_pk', ['user_id', 'topic'])
    .execute();
  await db.schema.createIndex('follows_topic_idx').on('follows').columns(['topic', 'level']).execute();

  // A capability for the reader's private feed: shown on /account, so kept as is; reset replaces it.
  await db.schema.alterTable('users').addColumn('feed_token', 'text').execute();
  await db.schema.createIndex('users_feed_token_idx').on('users').column('feed_token').unique().execute();

  await db.schema
    .createTable('push_subscriptions')
    .addColumn('endpoint', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('p256dh', 'text', (c) => c.notNull())
    .addColumn('auth', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('push_subscriptions_user_idx')
    .on('push_subscriptions')
    .column('user_id')
    .execute();

  // Content notifications are written by every instance that sees the file: one row per reader
  // and article, whoever writes first (NULLs never collide, so reply notifications are unaffected).
  await db.schema.alterTable('notifications').addColumn('dedupe', 'text').execute();
  await db.schema
    .createIndex('notifications_dedupe_idx')
    .on('notifications')
    .columns(['user_id', 'dedupe'])
    .unique()
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('notifications_dedupe_idx').execute();
  await db.schema.alterTable('notifications').dropColumn('dedupe').execute();
  await db.schema.dropTable('push_subscriptions').execute();
  await db.schema.dropIndex('users_feed_token_idx').execute();
  await db.schema.alterTable('users').dropColumn('feed_token').execute();
  await db.schema.dropTable('follows').execute();
}
