import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { log } from '../log';
import * as m001 from './migrations/001-accounts';
import * as m002 from './migrations/002-replies';
import * as m003 from './migrations/003-follows';
import * as m004 from './migrations/004-sessions';
import * as m005 from './migrations/005-desk';

// Listed here rather than read from disk, so migrations ship inside the Next bundle and scripts alike.
const migrations: Record<string, Migration> = {
  '001-accounts': m001,
  '002-replies': m002,
  '003-follows': m003,
  '004-sessions': m004,
  '005-desk': m005,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Applies every pending migration (in a transaction, under Kysely's migration lock). */
export async function migrateToLatest(db: Kysely<unknown>): Promise<string[]> {
  const migrator = new Migrator({ db, provider });
  const { error, results = [] } = await migrator.migrateToLatest();
  const applied = results.filter((r) => r.status === 'Success').map((r) => r.migrationName);
  const failed = results.find((r) => r.status === 'Error');
  if (error || failed) {
    // The cause stays attached: a connection refused here is the database being down (a 503).
    throw new Error(
      `migration ${failed?.migrationName ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  if (applied.length > 0) log.info('db', `applied migrations: ${applied.join(', ')}`);
  return applied;
}
