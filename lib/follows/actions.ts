'use server';

// Public endpoints, each checking the session and its input itself (STYLE.md §1.3).
import { z } from 'zod';
import { authorizedAction } from '../auth/action';
import { topicExists } from '../content/queries';
import { getDb } from '../server';
import { fail, type ActionResult } from '../errors';
import { isSlug } from '../links';
import * as service from './service';

const topicSlug = z.string().refine(isSlug, 'Unknown topic.');
const followSchema = z.object({ topic: topicSlug });
const levelSchema = z.object({ topic: topicSlug, level: z.enum(['all', 'key', 'none']) });
// Cursors only move to times that have happened; a client can't mark the future as read.
const seenSchema = z.object({
  seen: z.record(topicSlug, z.number().int().nonnegative()).refine((r) => Object.keys(r).length <= 100),
});

const MAX_FOLLOWS = 100;

/** The shared opening (lib/auth/action.ts); the rules below act on the reader's own follows only. */
const run = <S extends z.ZodType, T>(
  schema: S,
  raw: unknown,
  act: (userId: string, input: z.infer<S>) => Promise<ActionResult<T>>,
) =>
  authorizedAction(raw, { schema, signedOut: 'Please sign in to follow topics.' }, (viewer, input) =>
    act(viewer.id, input),
  );

export async function followTopic(raw: unknown): Promise<ActionResult<{ following: boolean }>> {
  return run(followSchema, raw, async (userId, { topic }) => {
    if (!(await topicExists(topic))) return fail('not_found', 'That topic no longer exists.');
    const db = await getDb();
    // One live stream carries all of them (lib/live/subscription.ts).
    if ((await service.listFollows(db, userId)).length >= MAX_FOLLOWS)
      return fail('conflict', `You can follow up to ${MAX_FOLLOWS} topics. Unfollow one first.`);
    await service.followTopic(db, userId, topic);
    return { ok: true, data: { following: true } };
  });
}

export async function unfollowTopic(raw: unknown): Promise<ActionResult<{ following: boolean }>> {
  return run(followSchema, raw, async (userId, { topic }) => {
    await service.unfollowTopic(await getDb(), userId, topic);
    return { ok: true, data: { following: false } };
  });
}

export async function setFollowLevel(raw: unknown): Promise<ActionResult<{ level: string }>> {
  return run(levelSchema, raw, async (userId, { topic, level }) => {
    if (!(await service.setFollowLevel(await getDb(), userId, topic, level)))
      return fail('not_found', 'You do not follow that topic.');
    return { ok: true, data: { level } };
  });
}

/** Records what the reader actually saw: per topic, the newest publication time on their screen. */
export async function markSeen(raw: unknown): Promise<ActionResult<{ ok: true }>> {
  return run(seenSchema, raw, async (userId, { seen }) => {
    const now = Date.now();
    const capped = Object.fromEntries(Object.entries(seen).map(([t, until]) => [t, Math.min(until, now)]));
    await service.markSeen(await getDb(), userId, capped);
    return { ok: true, data: { ok: true } };
  });
}

export async function markAllRead(): Promise<ActionResult<{ ok: true }>> {
  return run(z.unknown(), undefined, async (userId) => {
    await service.markAllSeen(await getDb(), userId);
    return { ok: true, data: { ok: true } };
  });
}

export async function resetFeedToken(): Promise<ActionResult<{ token: string }>> {
  return run(z.unknown(), undefined, async (userId) => {
    const token = await service.resetFeedToken(await getDb(), userId);
    return { ok: true, data: { token } };
  });
}
