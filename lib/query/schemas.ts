import * as v from 'valibot';
import type { StreamItem, TopicStreamData } from '../content/dto';
import type { FollowingData } from '../follows/feed';
import type { ReplyBlock } from '../replies/render';
import type { ReplyThread } from '../replies/dto';

// What the browser reads from the API, checked before use. valibot, not zod, in the browser: its
// functions tree-shake to ~2 kB here, where zod/mini added 15 kB gzip to every page (docs/decisions/013).
// Each schema is tied to the server's DTO type at compile time, so the two cannot drift apart.

/** Compile-time: the schema's output is exactly the DTO (a missing or extra field fails typecheck). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const same = <T extends true>(proof: T) => proof;

const iso = v.string();
const nullableString = v.nullable(v.string());

const streamItemShape = {
  slug: v.string(),
  title: v.string(),
  kind: v.picklist(['article', 'update']),
  publishedAt: iso,
  updatedAt: nullableString,
  correction: nullableString,
  summary: v.string(),
  pinned: v.boolean(),
  keyEvent: v.boolean(),
  html: nullableString,
  image: v.nullable(v.object({ src: v.string() })),
};
const streamItem = v.object(streamItemShape);
same<Same<v.InferOutput<typeof streamItem>, StreamItem>>(true);

export const topicStreamSchema = v.object({
  topic: v.object({ slug: v.string(), title: v.string(), live: v.boolean() }),
  items: v.array(streamItem),
  page: v.number(),
  pages: v.number(),
});
same<Same<v.InferOutput<typeof topicStreamSchema>, TopicStreamData>>(true);

export const followingSchema = v.object({
  topics: v.array(
    v.object({
      slug: v.string(),
      title: v.string(),
      live: v.boolean(),
      level: v.picklist(['all', 'key', 'none']),
      unread: v.number(),
    }),
  ),
  topic: nullableString,
  items: v.array(v.object({ ...streamItemShape, topics: v.array(v.string()), isNew: v.boolean() })),
  unread: v.number(),
  page: v.number(),
  hasOlder: v.boolean(),
});
same<Same<v.InferOutput<typeof followingSchema>, FollowingData>>(true);

// Reply trees are nested and rendered defensively (components/reply-body.tsx drops unknown nodes):
// here it is enough that they are lists.
const blocks = v.custom<ReplyBlock[]>((value) => Array.isArray(value));

export const replyThreadSchema = v.object({
  article: v.string(),
  version: v.string(),
  open: v.boolean(),
  count: v.number(),
  replies: v.array(
    v.object({
      id: v.string(),
      parentId: nullableString,
      depth: v.number(),
      answersName: nullableString,
      author: v.nullable(v.object({ name: v.string() })),
      blocks,
      state: v.picklist(['published', 'pending', 'placeholder']),
      gone: v.optional(v.picklist(['deleted', 'removed', 'hidden'])),
      createdAt: iso,
      editedAt: nullableString,
      mine: v.boolean(),
      source: v.optional(v.string()),
      editableUntil: nullableString,
      answered: v.boolean(),
    }),
  ),
  viewer: v.nullable(v.object({ name: v.string() })),
});
same<Same<v.InferOutput<typeof replyThreadSchema>, ReplyThread>>(true);

export const followSummarySchema = v.object({
  signedIn: v.boolean(),
  topics: v.array(v.string()),
  unread: v.number(),
});
export type FollowSummary = v.InferOutput<typeof followSummarySchema>;

export const unreadSchema = v.object({ unread: v.number() });

/** next-auth's /api/auth/session: `{}` signed out. */
export const sessionSchema = v.object({
  user: v.optional(v.object({ name: v.optional(v.nullable(v.string())), role: v.optional(v.string()) })),
});
