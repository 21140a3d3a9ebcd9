import 'server-only';
import { getDb } from '../server';
import { peekMagicLink } from './magic-link';

/** Where a still-usable sign-in link leads, without using it; null for a used, expired or unknown one. */
export async function getMagicLink(token: string): Promise<{ callbackUrl: string } | null> {
  return peekMagicLink(await getDb(), token);
}
