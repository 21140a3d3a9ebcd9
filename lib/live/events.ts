// Shared by the server and the browser: no server imports here.

const liveEventTypes = [
  'content.created',
  'content.updated',
  'content.deleted',
  'reply.created',
  'reply.updated',
  'reply.deleted',
  'topic.ended',
] as const;
export type LiveEventType = (typeof liveEventTypes)[number];

/**
 * One thing that happened. `id` is "<ms>-<seq>", increasing: Redis stream ids have that form, and
 * the in-process bus makes its own the same way, so ids compare alike everywhere.
 */
export type LiveEvent = {
  id: string;
  type: LiveEventType;
  /** Topics the event concerns (an article's topics, or the topic that ended). */
  topics: string[];
  /** The article concerned, for content and reply events. */
  article?: string;
  at: number;
};
export type NewLiveEvent = Omit<LiveEvent, 'id'>;

export const liveEventIdPattern = /^\d{1,16}-\d{1,16}$/;

const types = new Set<string>(liveEventTypes);
const isSlugList = (v: unknown): v is string[] =>
  Array.isArray(v) && v.length <= 50 && v.every((t) => typeof t === 'string' && t.length <= 100);

/** Parses an event from the wire; null for anything else. Hand-checked: zod stays off the client bundle. */
export function parseLiveEvent(data: string): LiveEvent | null {
  let e: Partial<Record<keyof LiveEvent, unknown>>;
  try {
    e = JSON.parse(data);
  } catch {
    return null;
  }
  if (!e || typeof e !== 'object') return null;
  const ok =
    typeof e.id === 'string' &&
    liveEventIdPattern.test(e.id) &&
    typeof e.type === 'string' &&
    types.has(e.type) &&
    isSlugList(e.topics) &&
    (e.article === undefined || (typeof e.article === 'string' && e.article.length <= 200)) &&
    typeof e.at === 'number';
  return ok
    ? {
        id: e.id as string,
        type: e.type as LiveEventType,
        topics: e.topics as string[],
        article: e.article as string | undefined,
        at: e.at as number,
      }
    : null;
}

/** Orders two ids; garbage sorts first. */
export function compareEventIds(a: string, b: string): number {
  const [am = 0, as = 0] = a.split('-').map(Number);
  const [bm = 0, bs = 0] = b.split('-').map(Number);
  return am - bm || as - bs;
}

/** What a client listens to: some topics and/or one article. */
export type LiveSubscription = { topics: string[]; article?: string };

export function matchesSubscription(event: LiveEvent, sub: LiveSubscription): boolean {
  if (sub.article && event.article === sub.article) return true;
  return event.topics.some((t) => sub.topics.includes(t));
}

/** The query string a client connects with. */
export function liveQuery(sub: LiveSubscription): string {
  const params = new URLSearchParams();
  if (sub.topics.length) params.set('topics', [...sub.topics].sort().join(','));
  if (sub.article) params.set('article', sub.article);
  return params.toString();
}
