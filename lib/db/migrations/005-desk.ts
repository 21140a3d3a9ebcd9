import type { Kysely } from 'kysely';

// The newsroom desk (issue 13, SPEC §9): an editor's account names their byline, and every desk
// action is logged (who, what, which file, when) for /desk.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').addColumn('author_slug', 'text').execute();
  await db.schema
    .createTable('desk_log')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // No foreign key: the log outlives the account that acted (the name is kept with the row).
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('user_name', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('file', 'text', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('desk_log_time_idx').on('desk_log').column('created_at').execute();
  await db.schema.createIndex('desk_log_file_idx').on('desk_log').columns(['file', 'created_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('desk_log').execute();
  await db.schema.alterTable('users').dropColumn('author_slug').execute();
}
