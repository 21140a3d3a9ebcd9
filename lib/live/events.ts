import { z } from 'zod';
import { slugSchema } from '../content/schema';

// Shared by the server and the browser: no server imports here.

export const liveEventTypes = [
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

const eventSchema = z.object({
  id: z.string().regex(liveEventIdPattern),
  type: z.enum(liveEventTypes),
  topics: z.array(z.string().max(100)).max(50),
  article: z.string().max(200).optional(),
  at: z.number(),
});

/** Parses an event from the wire; null for anything else. */
export function parseLiveEvent(data: string): LiveEvent | null {
  try {
    const parsed = eventSchema.safeParse(JSON.parse(data));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Orders two ids; garbage sorts first. */
export function compareEventIds(a: string, b: string): number {
  const [am = 0, as = 0] = a.split('-').map(Number);
  const [bm = 0, bs = 0] = b.split('-').map(Number);
  return am - bm || as - bs;
}

/** What a client listens to: some topics and/or one article. */
export type LiveSubscription = { topics: string[]; article?: string };

export const liveSubscriptionSchema = z
  .object({
    topics: z
      .string()
      .max(2000)
      .optional()
      .transform((s) => (s ? [...new Set(s.split(',').filter(Boolean))] : []))
      .pipe(z.array(slugSchema).max(20)),
    article: slugSchema.optional(),
  })
  .refine((s) => s.topics.length > 0 || s.article, 'subscribe to at least one topic or an article');

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
