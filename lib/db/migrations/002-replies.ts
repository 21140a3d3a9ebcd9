import type { Kysely } from 'kysely';

// Replies, their moderation and reader notifications (docs/decisions/009-replies.md).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('users')
    .addColumn('notify_email', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  // Flood control claims this column with a conditional update, atomic on both databases.
  await db.schema.alterTable('users').addColumn('last_reply_at', 'bigint').execute();

  await db.schema
    .createTable('replies')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('article', 'text', (c) => c.notNull())
    .addColumn('parent_id', 'text', (c) => c.references('replies.id'))
    .addColumn('answers_id', 'text', (c) => c.references('replies.id'))
    .addColumn('depth', 'integer', (c) => c.notNull())
    .addColumn('author_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('rendered', 'text', (c) => c.notNull())
    // sha256(author, article, answered reply, text): one row per double click or retry (unique).
    // Set to the reply's own id once it is deleted, so the same words may be posted again.
    .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('edited_at', 'bigint')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('replies_article_idx')
    .on('replies')
    .columns(['article', 'created_at'])
    .execute();
  await db.schema.createIndex('replies_parent_idx').on('replies').column('parent_id').execute();
  await db.schema.createIndex('replies_answers_idx').on('replies').column('answers_id').execute();
  await db.schema.createIndex('replies_status_idx').on('replies').columns(['status', 'created_at']).execute();

  await db.schema
    .createTable('reply_reports')
    .addColumn('reply_id', 'text', (c) => c.notNull().references('replies.id').onDelete('cascade'))
    .addColumn('reporter_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('resolved_at', 'bigint')
    .addPrimaryKeyConstraint('reply_reports_pk', ['reply_id', 'reporter_id'])
    .execute();
  await db.schema
    .createIndex('reply_reports_open_idx')
    .on('reply_reports')
    .columns(['resolved_at', 'created_at'])
    .execute();

  await db.schema
    .createTable('moderation_log')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // Names are copied: the log outlives accounts.
    .addColumn('actor_id', 'text')
    .addColumn('actor_name', 'text', (c) => c.notNull())
    .addColumn('reply_id', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('moderation_log_time_idx').on('moderation_log').column('created_at').execute();

  await db.schema
    .createTable('notifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('article', 'text', (c) => c.notNull())
    .addColumn('reply_id', 'text')
    .addColumn('actor_name', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('read_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('notifications_user_idx')
    .on('notifications')
    .columns(['user_id', 'created_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('notifications').execute();
  await db.schema.dropTable('moderation_log').execute();
  await db.schema.dropTable('reply_reports').execute();
  await db.schema.dropTable('replies').execute();
  await db.schema.alterTable('users').dropColumn('last_reply_at').execute();
  await db.schema.alterTable('users').dropColumn('notify_email').execute();
}
