// `npm run db:migrate`: applies pending migrations to DATABASE_URL (the server also does it on start).
import { openDatabase } from '../lib/db/client';
import { config } from '../lib/env';

const { db, ready } = openDatabase(config.database, 1);
ready
  .then(async () => {
    console.log(`database is up to date (${config.database.dialect})`);
    await db.destroy();
  })
  .catch(async (error) => {
    console.error(`db:migrate: ${error instanceof Error ? error.message : String(error)}`);
    await db.destroy().catch(() => undefined);
    process.exit(1);
  });
