import 'server-only';
import { getDb } from '../server';
import { createMagicLink } from './magic-link';

/**
 * A new single-use sign-in link for `email`, stored in the process's database; returns its secret
 * token, which only ever goes into the email (the (auth) route's own action sends it).
 */
export async function issueMagicLink(email: string, callbackUrl: string): Promise<string> {
  return createMagicLink(await getDb(), email, callbackUrl);
}
