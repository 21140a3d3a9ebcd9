'use server';

// Public endpoints: each authenticates, then validates, then acts on the viewer's own rows only
// (STYLE.md §1.3), and answers with a typed result.
import { actionViewer } from '../auth/session';
import { getDb } from '../db/client';
import { storing } from '../db/storage';
import { fail, type ActionResult } from '../errors';
import { log } from '../log';
import { fieldErrors } from '../validation';
import { deletePushSubscriptionSchema, pushSubscriptionSchema } from './schema';
import { deleteSubscription, saveSubscription } from './service';

type Result = ActionResult<{ message: string }>;
const notSignedIn = () => fail('unauthorized', 'Your session has ended. Please sign in again.');

/** Stores this browser's push subscription (`PushSubscription.toJSON()`) for the signed-in reader. */
export async function savePushSubscription(raw: unknown): Promise<Result> {
  const viewer = await actionViewer();
  if (!viewer) return notSignedIn();
  const input = pushSubscriptionSchema.safeParse(raw);
  if (!input.success)
    return fail('invalid', 'This browser’s push subscription was not accepted.', {
      fieldErrors: fieldErrors(input.error),
    });
  return storing(async () => {
    await saveSubscription(await getDb(), viewer.id, input.data);
    log.info('push', `push turned on by ${viewer.id} (${new URL(input.data.endpoint).origin})`);
    return { ok: true, data: { message: 'Push notifications are on in this browser.' } };
  });
}

/** Forgets this browser's push subscription, if it is the signed-in reader's. */
export async function deletePushSubscription(raw: unknown): Promise<Result> {
  const viewer = await actionViewer();
  if (!viewer) return notSignedIn();
  const input = deletePushSubscriptionSchema.safeParse(raw);
  if (!input.success)
    return fail('invalid', 'That push subscription is not valid.', { fieldErrors: fieldErrors(input.error) });
  return storing(async () => {
    await deleteSubscription(await getDb(), viewer.id, input.data.endpoint);
    return { ok: true, data: { message: 'Push notifications are off in this browser.' } };
  });
}
