import { QueryObserver } from '@tanstack/react-query';
import { afterEach, describe, expect, it } from 'vitest';
import type { LiveEvent } from '../live/events';
import { applyLiveEvent, keysForEvent, refresh } from './live';
import { getQueryClient } from './client';
import { keys } from './keys';

const event = (type: LiveEvent['type'], topics: string[], article?: string): LiveEvent => ({
  id: '1-0',
  type,
  topics,
  article,
  at: 1,
});

describe('keysForEvent', () => {
  it('content events: the topics’ streams, /following and the follow summary', () => {
    expect(keysForEvent(event('content.created', ['a', 'b'], 'x'))).toEqual([
      keys.topicStream('a'),
      keys.topicStream('b'),
      keys.allFollowing,
      keys.followSummary,
    ]);
    // An edit can close replies: the article's replies too.
    expect(keysForEvent(event('content.updated', ['a'], 'x'))).toContainEqual(keys.replies('x'));
    expect(keysForEvent(event('content.deleted', ['a'], 'x'))).not.toContainEqual(keys.replies('x'));
    expect(keysForEvent(event('topic.ended', ['a']))).toContainEqual(keys.topicStream('a'));
  });

  it('reply events: the article’s replies and the bell, nothing of the topic', () => {
    for (const type of ['reply.created', 'reply.updated', 'reply.deleted'] as const) {
      expect(keysForEvent(event(type, ['a'], 'x'))).toEqual([keys.replies('x'), keys.unreadNotifications]);
    }
  });
});

/** A query whose answers the test releases one by one; counts fetches and aborted ones. */
function controlled() {
  const client = getQueryClient();
  const key = keys.replies('x');
  const calls: { resolve: (v: number) => void; aborted: () => boolean }[] = [];
  let served = 0;
  const observer = new QueryObserver(client, {
    queryKey: key,
    queryFn: ({ signal }) =>
      new Promise<number>((resolve) => {
        const n = ++served;
        calls.push({ resolve: () => resolve(n), aborted: () => signal.aborted });
      }),
    retry: false,
  });
  const unsubscribe = observer.subscribe(() => undefined); // on screen: invalidation refetches
  return { client, key, calls, unsubscribe, data: () => client.getQueryData<number>(key) };
}

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

describe('refresh', () => {
  it('never cancels a fetch under way, and follows it with exactly one more', async () => {
    const q = controlled();
    cleanup = q.unsubscribe;
    await expect.poll(() => q.calls.length).toBe(1); // the first fetch, on subscribe
    // A burst while that fetch is out: 20 events.
    const done = Promise.all(Array.from({ length: 20 }, () => refresh(q.client, q.key)));
    expect(q.calls.length).toBe(1);
    q.calls[0]!.resolve(0);
    await expect.poll(() => q.calls.length).toBe(2); // one more, for all 20
    q.calls[1]!.resolve(0);
    await done;
    expect(q.calls.some((c) => c.aborted())).toBe(false);
    expect(q.calls.length).toBe(2);
    expect(q.data()).toBe(2); // the answer fetched after the burst, not the one before it
  });

  it('starts a fetch at once when none is under way', async () => {
    const q = controlled();
    cleanup = q.unsubscribe;
    await expect.poll(() => q.calls.length).toBe(1);
    q.calls[0]!.resolve(0);
    await expect.poll(() => q.data()).toBe(1);
    const done = applyLiveEvent(q.client, event('reply.created', [], 'x'));
    expect(q.calls.length).toBe(2);
    q.calls[1]!.resolve(0);
    await done;
    expect(q.data()).toBe(2);
  });

  it('leaves other articles’ replies alone', async () => {
    const q = controlled();
    cleanup = q.unsubscribe;
    await expect.poll(() => q.calls.length).toBe(1);
    q.calls[0]!.resolve(0);
    await expect.poll(() => q.data()).toBe(1);
    await applyLiveEvent(q.client, event('reply.created', [], 'other'));
    expect(q.calls.length).toBe(1);
  });
});
