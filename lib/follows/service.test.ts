import { describe, expect, it } from 'vitest';
import type { Article, Topic } from '../content/model';
import { topicIndex } from '../content/topic-index';
import { describeEachDatabase } from '../testing/each-database';
import { insertReader } from '../testing/factories';
import { buildFollowing, followSummary } from './feed';
import {
  followTopic,
  getFeedToken,
  listFollows,
  markAllSeen,
  markSeen,
  resetFeedToken,
  setFollowLevel,
  unfollowTopic,
  userByFeedToken,
} from './service';

const T0 = Date.UTC(2026, 10, 28, 9, 0, 0);
const topic = (slug: string): Topic => ({
  slug,
  file: `topics/${slug}.mdx`,
  title: slug.toUpperCase(),
  description: '',
  live: false,
  order: null,
  intro: null,
});
let n = 0;
const article = (topics: string[], published: number, extra: Partial<Article> = {}): Article => ({
  slug: `a${++n}`,
  file: `articles/a${n}.mdx`,
  title: `A${n}`,
  kind: 'update',
  topics,
  authors: [],
  publishedAt: new Date(published).toISOString(),
  published,
  updatedAt: null,
  summary: '',
  image: null,
  keyEvent: false,
  pinned: false,
  draft: false,
  replies: 'open',
  correction: null,
  body: '',
  text: '',
  readingMinutes: 1,
  version: `v${n}`,
  ...extra,
});

/** The store's per-topic index of a newest-first list, as a reader sees it at `now`. */
const indexOf = (byDate: Article[], topics: ReadonlyMap<string, Topic>, now: number) => {
  const byTopic = new Map<string, Article[]>();
  for (const a of byDate) for (const t of a.topics) byTopic.set(t, [...(byTopic.get(t) ?? []), a]);
  return topicIndex(topics, byTopic, (a) => a.published <= now);
};

describe('buildFollowing (pure)', () => {
  const topics = new Map(['x', 'y', 'z'].map((s) => [s, topic(s)]));
  // Newest first, as the store keeps them.
  const byDate = [
    article(['x'], T0 + 5_000_000), // scheduled: not out yet at T0 + 10
    article(['x', 'y'], T0 + 4),
    article(['y'], T0 + 3),
    article(['z'], T0 + 2),
    article(['x'], T0 + 1),
    article(['x'], T0 - 1),
  ];
  const follows = [
    { topic: 'x', level: 'all' as const, seenUntil: T0 },
    { topic: 'y', level: 'key' as const, seenUntil: T0 + 3 },
    { topic: 'gone', level: 'all' as const, seenUntil: 0 }, // a topic that was removed
  ];

  it('merges followed topics newest first, marks what is new per cursor, counts unread per topic and in all', () => {
    const data = buildFollowing(indexOf(byDate, topics, T0 + 10), follows);
    expect(data.items.map((i) => [i.title, i.isNew])).toEqual([
      [byDate[1]!.title, true],
      [byDate[2]!.title, false],
      [byDate[4]!.title, true],
      [byDate[5]!.title, false],
    ]);
    expect(data.topics.map((t) => [t.slug, t.unread])).toEqual([
      ['x', 2],
      ['y', 1],
    ]);
    expect(data.unread).toBe(2); // the item in x and y counts once
  });

  it('gives the header the same followed topics and unread total without building a page', () => {
    const data = buildFollowing(indexOf(byDate, topics, T0 + 10), follows);
    expect(followSummary(indexOf(byDate, topics, T0 + 10), follows)).toEqual({
      topics: data.topics.map((t) => t.slug),
      unread: data.unread,
    });
    expect(followSummary(indexOf(byDate, topics, T0 + 10), follows)).toEqual({
      topics: ['x', 'y'],
      unread: 2,
    });
  });

  it('filters by a followed topic and pages', () => {
    const onlyY = buildFollowing(indexOf(byDate, topics, T0 + 10), follows, { topic: 'y' });
    expect(onlyY.topic).toBe('y');
    expect(onlyY.items.map((i) => i.title)).toEqual([byDate[1]!.title, byDate[2]!.title]);
    const notFollowed = buildFollowing(indexOf(byDate, topics, T0 + 10), follows, { topic: 'z' });
    expect(notFollowed.topic).toBeNull();
    const page1 = buildFollowing(indexOf(byDate, topics, T0 + 10), follows, { page: 1, pageSize: 3 });
    expect([page1.items.length, page1.hasOlder]).toEqual([3, true]);
    const page2 = buildFollowing(indexOf(byDate, topics, T0 + 10), follows, { page: 2, pageSize: 3 });
    expect([page2.page, page2.hasOlder, page2.items.map((i) => i.title)]).toEqual([
      2,
      false,
      [byDate[5]!.title],
    ]);
  });
});

describeEachDatabase('following', ({ db, test: maybe }) => {
  maybe('follow and unfollow, idempotent; levels', async () => {
    const ada = await insertReader(db());
    await followTopic(db(), ada.id, 'x', T0);
    await followTopic(db(), ada.id, 'x', T0 + 5); // again: nothing changes
    await followTopic(db(), ada.id, 'y', T0);
    expect(await listFollows(db(), ada.id)).toEqual([
      { topic: 'x', level: 'all', seenUntil: T0 },
      { topic: 'y', level: 'all', seenUntil: T0 },
    ]);
    expect(await setFollowLevel(db(), ada.id, 'y', 'key')).toBe(true);
    expect(await setFollowLevel(db(), ada.id, 'nope', 'key')).toBe(false);
    await unfollowTopic(db(), ada.id, 'x');
    await unfollowTopic(db(), ada.id, 'x');
    expect(await listFollows(db(), ada.id)).toEqual([{ topic: 'y', level: 'key', seenUntil: T0 }]);
  });

  maybe(
    'cursors live on the server: reading on one device clears the count on the other; never backwards',
    async () => {
      const ada = await insertReader(db());
      await followTopic(db(), ada.id, 'x', T0);
      const topics = new Map([['x', topic('x')]]);
      const items = [article(['x'], T0 + 3), article(['x'], T0 + 2), article(['x'], T0 + 1)];
      const count = async () =>
        buildFollowing(indexOf(items, topics, T0 + 10), await listFollows(db(), ada.id)).topics[0]!.unread;
      expect(await count()).toBe(3); // both devices see 3
      await markSeen(db(), ada.id, { x: T0 + 2 }); // the phone saw the two older ones…
      expect(await count()).toBe(1); // …so the laptop shows 1
      await markSeen(db(), ada.id, { x: T0 + 1 }); // an old tab reports less: ignored
      expect(await count()).toBe(1);
      await markAllSeen(db(), ada.id, T0 + 10);
      expect(await count()).toBe(0);
    },
  );

  maybe('the private feed token: made once, found, and dead after a reset', async () => {
    const ada = await insertReader(db());
    const token = await getFeedToken(db(), ada.id);
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(await getFeedToken(db(), ada.id)).toBe(token);
    expect(await userByFeedToken(db(), token)).toBe(ada.id);
    const fresh = await resetFeedToken(db(), ada.id);
    expect(fresh).not.toBe(token);
    expect(await userByFeedToken(db(), token)).toBeNull();
    expect(await userByFeedToken(db(), fresh)).toBe(ada.id);
    expect(await userByFeedToken(db(), "' or 1=1 --")).toBeNull();
  });
});
