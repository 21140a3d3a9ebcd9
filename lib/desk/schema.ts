import { z } from 'zod';
import { isSlug, SLUG_MAX_LENGTH } from '../links';

// What the desk's actions take (SPEC §9). Action arguments are plain objects from the desk's
// client forms; each is parsed here before anything is read or written.

const slug = z.string().max(SLUG_MAX_LENGTH).refine(isSlug, 'must be a slug like "kabul-airport"');
const isoWithOffset = z.iso.datetime({ offset: true, message: 'must be a date and time' });
const flag = z.boolean().default(false);
const body = z.string().max(100_000, 'is too long (100,000 characters at most)');
/** A file's fingerprint as the editor loaded it (lib/desk/source.ts fingerprintOf). */
const fingerprint = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'is not a fingerprint');

/** An update posted from a topic page's composer: Publish now, Schedule for later, or Save draft. */
export const postUpdateSchema = z.object({
  topic: slug,
  body: body.refine((b) => b.trim().length > 0, 'Write the update first.'),
  headline: z.string().trim().max(200).default(''),
  keyEvent: flag,
  pinned: flag,
  /** Author slugs; empty: the editor's own byline, if their account has one. */
  authors: z.array(slug).max(20).default([]),
  mode: z.enum(['publish', 'schedule', 'draft']).default('publish'),
  /** When to publish, for `schedule` (in the future). */
  publishAt: isoWithOffset.optional(),
});
export type PostUpdateInput = z.infer<typeof postUpdateSchema>;

/** Preview: the body (and headline) rendered by the published page's pipeline, nothing written. */
export const previewSchema = z.object({ body, headline: z.string().trim().max(200).default('') });

export const entrySchema = z.object({ slug });

/** Edit in place: the new text, the fingerprint of the file as the editor loaded it, an optional correction. */
export const editEntrySchema = z.object({
  slug,
  fingerprint,
  body: body.refine((b) => b.trim().length > 0, 'The update cannot be empty.'),
  headline: z.string().trim().max(200).default(''),
  /** Shown to readers as "Correction: …" (SPEC §2 `correction`); empty keeps the current one. */
  correction: z.string().trim().max(500).default(''),
});
export type EditEntryInput = z.infer<typeof editEntrySchema>;

export const setFlagSchema = z.object({ slug, flag: z.enum(['pinned', 'keyEvent']), value: z.boolean() });

export const restoreSchema = z.object({ path: z.string().min(1).max(1_000) });

const imageSchema = z
  .object({
    src: z.string().trim().max(500).default(''),
    alt: z.string().trim().max(300).default(''),
    caption: z.string().trim().max(500).default(''),
    credit: z.string().trim().max(200).default(''),
  })
  .refine((i) => !i.src || i.alt, {
    message: 'Describe the image for readers who cannot see it.',
    path: ['alt'],
  });

/** The long-article form on /desk: the frontmatter fields of SPEC §2 and the body; new, or an edit. */
export const articleFormSchema = z.object({
  /** An existing article (with its fingerprint), or absent for a new one. */
  slug: slug.optional(),
  fingerprint: fingerprint.optional(),
  title: z.string().trim().min(1, 'Give it a title.').max(200),
  kind: z.enum(['article', 'update']).default('article'),
  topics: z.array(slug).min(1, 'Choose at least one topic.').max(20),
  authors: z.array(slug).max(20).default([]),
  publishedAt: isoWithOffset,
  summary: z.string().trim().max(400).default(''),
  image: imageSchema.optional(),
  keyEvent: flag,
  pinned: flag,
  draft: flag,
  replies: z.enum(['open', 'closed']).default('open'),
  correction: z.string().trim().max(500).default(''),
  body: body.refine((b) => b.trim().length > 0, 'Write the article first.'),
});
export type ArticleFormInput = z.infer<typeof articleFormSchema>;

export const newTopicSchema = z.object({
  title: z.string().trim().min(1, 'Give the topic a title.').max(120),
  description: z.string().trim().min(1, 'Say in a sentence what the topic covers.').max(300),
  live: flag,
});

export const topicLiveSchema = z.object({ topic: slug, live: z.boolean() });
