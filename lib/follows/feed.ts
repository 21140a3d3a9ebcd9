import type { StreamItem } from '../content/dto';
import { toStreamItem } from '../content/dto';
import type { Article, Topic } from '../content/model';
import type { Follow } from './service';

// What /following shows, computed from the content in memory and the reader's follows: one pass
// over the articles, newest first, whatever their number (no query per topic or per article).

export type FollowingItem = StreamItem & { topics: string[]; isNew: boolean };
export type FollowedTopic = {
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
  unread: number;
  page: number;
  pages: number;
};

export const FOLLOWING_PAGE_SIZE = 30;

export function buildFollowing(
  byDate: readonly Article[],
  topics: ReadonlyMap<string, Topic>,
  follows: Follow[],
  options: { now: number; topic?: string | null; page?: number; pageSize?: number },
): FollowingData {
  const known = follows.filter((f) => topics.has(f.topic));
  const seen = new Map(known.map((f) => [f.topic, f.seenUntil]));
  const unread = new Map(known.map((f) => [f.topic, 0]));
  const filter = options.topic && seen.has(options.topic) ? options.topic : null;
  const pageSize = options.pageSize ?? FOLLOWING_PAGE_SIZE;
  const page = Math.max(1, options.page ?? 1);
  const first = (page - 1) * pageSize;
  const items: FollowingItem[] = [];
  let matched = 0;
  let newTotal = 0;
  for (const article of byDate) {
    if (article.published > options.now) continue;
    let followed = false;
    let isNew = false;
    for (const t of article.topics) {
      const cursor = seen.get(t);
      if (cursor === undefined) continue;
      followed = true;
      if (article.published > cursor) {
        isNew = true;
        unread.set(t, unread.get(t)! + 1);
      }
    }
    if (isNew) newTotal++;
    if (!followed || (filter && !article.topics.includes(filter))) continue;
    if (matched >= first && matched < first + pageSize)
      items.push({ ...toStreamItem(article), topics: article.topics.filter((t) => seen.has(t)), isNew });
    matched++;
  }
  return {
    topics: known.map((f) => {
      const topic = topics.get(f.topic)!;
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
    // Distinct items: one in two followed topics counts once here, and once in each topic's count.
    unread: newTotal,
    page,
    pages: Math.max(1, Math.ceil(matched / pageSize)),
  };
}
