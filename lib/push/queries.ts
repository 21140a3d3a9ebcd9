import 'server-only';
import { getDb } from '../server';
import { countSubscriptions } from './service';

/** How many devices the reader receives push notifications on. */
export async function getPushSubscriptionCount(userId: string): Promise<number> {
  return countSubscriptions(await getDb(), userId);
}
