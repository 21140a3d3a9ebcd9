import { z } from 'zod';
import { SLUG_MAX_LENGTH, SLUG_PATTERN } from '../links';

/** File-name slugs (SPEC §2). */
const slugPattern = SLUG_PATTERN;
export const slugSchema = z
  .string()
  .max(SLUG_MAX_LENGTH, `must be at most ${SLUG_MAX_LENGTH} characters`)
  .regex(slugPattern, 'must be a lower-case slug like "my-topic"');

const isoWithOffset = z.iso.datetime({
  offset: true,
  message: 'must be ISO 8601 with an offset, e.g. 2026-11-25T14:30:00Z',
});

/** A local path under public/ or /media/ (no protocol, no traversal): images are never fetched from elsewhere. */
const localImagePath = z
  .string()
  .regex(/^\/(?!\/)[A-Za-z0-9._~\-/]+$/, 'must be a path under public/ or /media/…, like /images/map.svg')
  .refine((p) => !p.split('/').includes('..'), 'must not contain ".."');

export const topicSchema = z.strictObject({
  title: z.string().trim().min(1).max(120),
  description: z.string().trim().min(1).max(300),
  live: z.boolean().default(false),
  order: z.number().int().optional(),
});
export type TopicMeta = z.infer<typeof topicSchema>;

export const authorSchema = z.strictObject({
  name: z.string().trim().min(1).max(120),
  role: z.string().trim().min(1).max(120).optional(),
  avatar: localImagePath.optional(),
});
export type AuthorMeta = z.infer<typeof authorSchema>;

const imageSchema = z.strictObject({
  src: localImagePath,
  alt: z.string().trim().min(1, 'alt text is required when an image is given').max(300),
  caption: z.string().trim().min(1).max(500).optional(),
  credit: z.string().trim().min(1).max(200).optional(),
});

export const articleSchema = z
  .strictObject({
    title: z.string().trim().min(1).max(200),
    topics: z.array(slugSchema).min(1, 'needs at least one topic').max(20),
    publishedAt: isoWithOffset,
    updatedAt: isoWithOffset.optional(),
    summary: z.string().trim().min(1).max(400).optional(),
    authors: z.array(slugSchema).max(20).optional(),
    kind: z.enum(['article', 'update']).default('article'),
    image: imageSchema.optional(),
    keyEvent: z.boolean().default(false),
    pinned: z.boolean().default(false),
    draft: z.boolean().default(false),
    replies: z.enum(['open', 'closed']).default('open'),
    /** A correction shown to readers above the body ("Correction: …"), set when an edit fixes an error. */
    correction: z.string().trim().min(1).max(500).optional(),
  })
  .refine((a) => !a.updatedAt || Date.parse(a.updatedAt) >= Date.parse(a.publishedAt), {
    message: 'must not be before publishedAt',
    path: ['updatedAt'],
  });
export type ArticleMeta = z.infer<typeof articleSchema>;

/** Props of the three MDX components editors may use; anything else is a content error. */
export const componentSchemas = {
  Figure: z.strictObject({
    src: localImagePath,
    alt: z.string().trim().min(1, 'Figure needs alt text'),
    caption: z.string().optional(),
    credit: z.string().optional(),
  }),
  PullQuote: z.strictObject({ by: z.string().optional() }),
  Callout: z.strictObject({ title: z.string().optional() }),
} as const;
export type ComponentName = keyof typeof componentSchemas;
