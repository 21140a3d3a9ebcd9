import type { StreamItem } from '../content/dto';
import { toStreamItem } from '../content/dto';
import type { Article } from '../content/model';
import type { TopicIndex } from '../content/topic-index';
import type { Follow } from './service';

// What /following shows, computed from the content in memory (a TopicIndex) and the reader's
// follows. It reads only the followed topics' lists (each newest first): binary searches for the
// counts and a merge for the page, so its cost follows what the reader follows and sees, not the
// size of the archive.

export type FollowingItem = StreamItem & { topics: string[]; isNew: boolean };
type FollowedTopic = {
  slug: string;
  title: string;
  live: boolean;
  level: Follow['level'];
  unread: number;
};
export type FollowingData = {
  topics: FollowedTopic[];
  /** The topic the stream is filtered to, if any. */
  topic: string | null;
  items: FollowingItem[];
  /** Distinct new items over all followed topics. */
  unread: number;
  page: number;
  /** Whether there is an older page. */
  hasOlder: boolean;
};

/** As topic pages: enough to catch up, small enough to render fast. */
const FOLLOWING_PAGE_SIZE = 20;

/** The followed topics that still exist, their published lists, and what is new in each. */
function unreadByTopic(index: TopicIndex, follows: Follow[]) {
  const known = follows.filter((f) => index.topics.has(f.topic));
  // Each followed topic's visible articles: from the first one out (scheduled ones come first).
  const lists = known.map((f) => {
    const list = index.byTopic.get(f.topic) ?? [];
    return { follow: f, list, start: index.firstVisible(list) };
  });
  // New = published after the topic's cursor: a prefix of each list.
  const newSlugs = new Set<string>();
  const unread = new Map<string, number>();
  for (const { follow, list, start } of lists) {
    const end = Math.max(start, firstAtOrBefore(list, follow.seenUntil));
    unread.set(follow.topic, end - start);
    for (let i = start; i < end; i++) newSlugs.add(list[i]!.slug);
  }
  return { known, lists, unread, newSlugs };
}

/** What the header and Follow buttons need: followed topics and the unread total (no page built). */
export function followSummary(index: TopicIndex, follows: Follow[]): { topics: string[]; unread: number } {
  const { known, newSlugs } = unreadByTopic(index, follows);
  return { topics: known.map((f) => f.topic), unread: newSlugs.size };
}

/** First index in a newest-first list whose publication time is <= `at`. */
function firstAtOrBefore(list: readonly Article[], at: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]!.published > at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function buildFollowing(
  index: TopicIndex,
  follows: Follow[],
  options: { topic?: string | null; page?: number; pageSize?: number } = {},
): FollowingData {
  const { known, lists, unread, newSlugs } = unreadByTopic(index, follows);
  const seen = new Map(known.map((f) => [f.topic, f.seenUntil]));

  // The page: a merge of the (filtered) lists, newest first, each article once.
  const filter = options.topic && seen.has(options.topic) ? options.topic : null;
  const pageSize = options.pageSize ?? FOLLOWING_PAGE_SIZE;
  const page = Math.max(1, options.page ?? 1);
  const wanted = page * pageSize + 1; // one more, to know whether an older page exists
  const cursors = lists
    .filter((l) => !filter || l.follow.topic === filter)
    .map((l) => ({ list: l.list, i: l.start }));
  const merged: Article[] = [];
  const taken = new Set<string>();
  while (merged.length < wanted) {
    let best: (typeof cursors)[number] | null = null;
    for (const c of cursors) {
      const a = c.list[c.i];
      if (a && (!best || a.published > best.list[best.i]!.published)) best = c;
    }
    if (!best) break;
    const article = best.list[best.i++]!;
    if (taken.has(article.slug)) continue;
    taken.add(article.slug);
    merged.push(article);
  }
  const items = merged.slice((page - 1) * pageSize, page * pageSize).map((article) => ({
    ...toStreamItem(article),
    topics: article.topics.filter((t) => seen.has(t)),
    isNew: newSlugs.has(article.slug),
  }));

  return {
    topics: known.map((f) => {
      const topic = index.topics.get(f.topic)!;
      return {
        slug: f.topic,
        title: topic.title,
        live: topic.live,
        level: f.level,
        unread: unread.get(f.topic)!,
      };
    }),
    topic: filter,
    items,
    unread: newSlugs.size,
    page,
    hasOlder: merged.length > page * pageSize,
  };
}
