// `npm run backup [-- <file or directory>]`: a consistent copy of DATABASE_URL's database, taken
// while the server runs (README "Backups"). Default: ./backups/dispatch-<UTC time>.db or .dump.
import { backupDatabase, defaultBackupFile, describeDatabase } from '../lib/db/backup';
import { config } from '../lib/env';

async function main() {
  const args = process.argv.slice(2);
  if (args.length > 1 || args[0]?.startsWith('-')) {
    console.error('usage: npm run backup [-- <file or directory>]');
    return 2;
  }
  const file = await backupDatabase(config.database, args[0] ?? defaultBackupFile(config.database));
  console.log(`backup: ${describeDatabase(config.database)} written to ${file}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`backup: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
