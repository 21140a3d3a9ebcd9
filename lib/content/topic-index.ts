import type { Article, Topic } from './model';

/**
 * The store's per-topic lists, for reads whose cost should follow the few topics they touch (a
 * reader's /following), not the size of the archive: nothing is copied or filtered per request.
 */
export type TopicIndex = {
  topics: ReadonlyMap<string, Topic>;
  /** Each topic's articles, newest first: scheduled ones, not yet visible, come first. */
  byTopic: ReadonlyMap<string, readonly Article[]>;
  /** Where the articles a reader may see start in one of those lists (its length when none). */
  firstVisible(list: readonly Article[]): number;
};

/**
 * A TopicIndex over newest-first lists and a visibility rule (the store's `isVisible` at one
 * instant). Visibility depends only on the publication time, so in a newest-first list the hidden
 * articles are a prefix, and a binary search finds where the visible ones start.
 */
export function topicIndex(
  topics: ReadonlyMap<string, Topic>,
  byTopic: ReadonlyMap<string, readonly Article[]>,
  isVisible: (article: Article) => boolean,
): TopicIndex {
  return {
    topics,
    byTopic,
    firstVisible(list) {
      let lo = 0;
      let hi = list.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (isVisible(list[mid]!)) hi = mid;
        else lo = mid + 1;
      }
      return lo;
    },
  };
}
