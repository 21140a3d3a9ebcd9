import type { Db } from '../db/client';
import { log } from '../log';
import type { PushSubscriptionInput } from './schema';
import { sendPush, type PushOutcome, type PushPayload, type PushTarget } from './send';

/** Browsers one reader may have subscribed at once; the oldest goes when one more arrives. */
export const MAX_SUBSCRIPTIONS_PER_READER = 10;
/** Pushes in flight at once, per call. */
export const PUSH_CONCURRENCY = 8;
/** Users per query: well below SQLite's and PostgreSQL's bound-parameter limits. */
const USERS_PER_QUERY = 500;

/**
 * Stores a browser's subscription for `userId`. The endpoint identifies the browser: saving it
 * again refreshes its keys, and if another reader had it (a shared browser, someone else signed
 * in) it now belongs to this one, so the previous reader's news stops going there.
 */
export async function saveSubscription(db: Db, userId: string, sub: PushSubscriptionInput, now = Date.now()) {
  await db.transaction().execute(async (tx) => {
    await tx
      .insertInto('push_subscriptions')
      .values({
        endpoint: sub.endpoint,
        user_id: userId,
        p256dh: sub.keys.p256dh,
        auth: sub.keys.auth,
        created_at: now,
      })
      .onConflict((oc) =>
        oc
          .column('endpoint')
          .doUpdateSet({ user_id: userId, p256dh: sub.keys.p256dh, auth: sub.keys.auth, created_at: now }),
      )
      .execute();
    const stale = await tx
      .selectFrom('push_subscriptions')
      .select('endpoint')
      .where('user_id', '=', userId)
      .orderBy('created_at', 'desc')
      .orderBy('endpoint')
      .offset(MAX_SUBSCRIPTIONS_PER_READER)
      .limit(1_000)
      .execute();
    if (stale.length)
      await tx
        .deleteFrom('push_subscriptions')
        .where('user_id', '=', userId)
        .where(
          'endpoint',
          'in',
          stale.map((s) => s.endpoint),
        )
        .execute();
  });
}

/** Forgets one of the reader's subscriptions; true when there was one. Someone else's is left alone. */
export async function deleteSubscription(db: Db, userId: string, endpoint: string): Promise<boolean> {
  const result = await db
    .deleteFrom('push_subscriptions')
    .where('endpoint', '=', endpoint)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** How many browsers the reader has push turned on in. */
export async function countSubscriptions(db: Db, userId: string): Promise<number> {
  const row = await db
    .selectFrom('push_subscriptions')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('user_id', '=', userId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export type PushCounts = { subscriptions: number; sent: number; gone: number; failed: number };
export type SendFn = (subscription: PushTarget, payload: PushPayload) => Promise<PushOutcome>;

/** Runs `work` over `items` with at most `limit` in flight. */
async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * Sends `payload` to every browser of `userIds` (the caller decided who is told: follows and
 * levels), PUSH_CONCURRENCY at a time, and forgets the subscriptions push services call gone.
 * Never throws for a failed push; a database error does throw.
 */
export async function pushToUsers(
  db: Db,
  userIds: readonly string[],
  payload: PushPayload,
  send: SendFn = sendPush,
): Promise<PushCounts> {
  const ids = [...new Set(userIds)];
  const counts: PushCounts = { subscriptions: 0, sent: 0, gone: 0, failed: 0 };
  if (ids.length === 0) return counts;
  const subscriptions: { endpoint: string; p256dh: string; auth: string }[] = [];
  for (let i = 0; i < ids.length; i += USERS_PER_QUERY) {
    subscriptions.push(
      ...(await db
        .selectFrom('push_subscriptions')
        .select(['endpoint', 'p256dh', 'auth'])
        .where('user_id', 'in', ids.slice(i, i + USERS_PER_QUERY))
        .execute()),
    );
  }
  counts.subscriptions = subscriptions.length;
  const gone: { endpoint: string; p256dh: string }[] = [];
  await eachLimited(subscriptions, PUSH_CONCURRENCY, async (s) => {
    let outcome: PushOutcome;
    try {
      outcome = await send({ endpoint: s.endpoint, keys: { p256dh: s.p256dh, auth: s.auth } }, payload);
    } catch (error) {
      log.error(
        'push',
        `send failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`,
      );
      outcome = 'failed';
    }
    counts[outcome]++;
    if (outcome === 'gone') gone.push({ endpoint: s.endpoint, p256dh: s.p256dh });
  });
  // Only the subscription we sent to: if the browser subscribed again meanwhile (new keys), keep it.
  for (const g of gone)
    await db
      .deleteFrom('push_subscriptions')
      .where('endpoint', '=', g.endpoint)
      .where('p256dh', '=', g.p256dh)
      .execute();
  if (counts.gone) log.info('push', `forgot ${counts.gone} expired push subscription(s)`);
  return counts;
}
