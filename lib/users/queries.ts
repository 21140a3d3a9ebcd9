import 'server-only';
import { getDb } from '../server';
import { exportUserData, getReplyEmails } from './service';

// The reader's own account, read for /account over the process's database (rules in service.ts).

/** Whether the reader asked for an email when someone replies to them. */
export async function getReplyEmailsFor(userId: string): Promise<boolean> {
  return getReplyEmails(await getDb(), userId);
}

/** Everything we hold about the reader, for "download my data". */
export async function getAccountExport(userId: string) {
  return exportUserData(await getDb(), userId);
}
