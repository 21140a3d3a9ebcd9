// `npm run restore -- <file>`: replaces DATABASE_URL's database with a backup made by `npm run
// backup`, once the backup has been checked; the server must be stopped (README "Backups").
import { describeDatabase, restoreDatabase } from '../lib/db/backup';
import { config } from '../lib/env';

async function main() {
  const args = process.argv.slice(2);
  if (args.length !== 1 || args[0]!.startsWith('-')) {
    console.error('usage: npm run restore -- <backup file>   (stop the server first)');
    return 2;
  }
  const { previous, checked } = await restoreDatabase(config.database, args[0]!);
  if (!checked)
    console.warn(
      'restore: could not tell whether the server had the old database open (not in WAL mode, or unreadable): make sure it is stopped',
    );
  console.log(
    `restore: ${args[0]} restored into ${describeDatabase(config.database)}` +
      (previous ? `; the previous one is kept at ${previous}` : ''),
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`restore: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
