import 'server-only';
import { getDb } from '../server';
import {
  changeName,
  changePassword,
  createUser,
  deleteUser,
  endAllSessions,
  setReplyEmails,
  type SignUpInput,
} from './service';

// What the route-owned actions of sign-up and /account write, over the process's database. Each
// is the rule in service.ts (which takes a database, so tests and scripts pass their own); the
// actions authenticate and validate first.

/** A new reader with a password; a taken address is a `conflict` AppError. */
export async function registerAccount(input: SignUpInput) {
  return createUser(await getDb(), input);
}

export async function renameAccount(userId: string, name: string) {
  await changeName(await getDb(), userId, name);
}

/** Checks the current password (an `invalid` AppError when wrong) and ends every session. */
export async function changeAccountPassword(userId: string, current: string, next: string) {
  await changePassword(await getDb(), userId, current, next);
}

export async function setAccountReplyEmails(userId: string, on: boolean) {
  await setReplyEmails(await getDb(), userId, on);
}

/** Signs the reader out everywhere. */
export async function endAccountSessions(userId: string) {
  await endAllSessions(await getDb(), userId);
}

/** Deletes the account and its personal data. */
export async function eraseAccount(userId: string) {
  await deleteUser(await getDb(), userId);
}
