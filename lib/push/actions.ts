'use server';

// Public endpoints: each authenticates, then validates, then acts on the viewer's own rows only
// (STYLE.md §1.3), and answers with a typed result.
import { authorizedAction } from '../auth/action';
import { getDb } from '../server';
import type { ActionResult } from '../errors';
import { log } from '../log';
import { deletePushSubscriptionSchema, pushSubscriptionSchema } from './schema';
import { deleteSubscription, saveSubscription } from './service';

type Result = ActionResult<{ message: string }>;

/** Stores this browser's push subscription (`PushSubscription.toJSON()`) for the signed-in reader. */
export async function savePushSubscription(raw: unknown): Promise<Result> {
  const options = {
    schema: pushSubscriptionSchema,
    invalid: 'This browser’s push subscription was not accepted.',
  };
  return authorizedAction(raw, options, async (viewer, input) => {
    await saveSubscription(await getDb(), viewer.id, input);
    log.info('push', `push turned on by ${viewer.id} (${new URL(input.endpoint).origin})`);
    return { ok: true, data: { message: 'Push notifications are on in this browser.' } };
  });
}

/** Forgets this browser's push subscription, if it is the signed-in reader's. */
export async function deletePushSubscription(raw: unknown): Promise<Result> {
  const options = { schema: deletePushSubscriptionSchema, invalid: 'That push subscription is not valid.' };
  return authorizedAction(raw, options, async (viewer, input) => {
    await deleteSubscription(await getDb(), viewer.id, input.endpoint);
    return { ok: true, data: { message: 'Push notifications are off in this browser.' } };
  });
}
