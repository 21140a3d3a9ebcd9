import { z } from 'zod';
import { isSlug } from '../links';
import { safeText } from '../validation';

import { REPLY_MAX_CHARS } from './dto';

export { EDIT_WINDOW_MS, REPLY_MAX_DEPTH } from './dto';

// Whitespace, format characters (zero-width space/joiners, BOM, bidi marks, soft hyphen) and the
// blank-looking letters (Hangul fillers, braille blank) that make a reply look empty.
const invisible = /[\s\p{Cf}\p{Z}\u034F\u115F\u1160\u3164\uFFA0\u2800]/gu;

/** Counted as Unicode scalar values ("runes"), so an emoji is one character, not two. */
const replyBodySchema = safeText(REPLY_MAX_CHARS * 2)
  .refine((s) => s.replace(invisible, '').length > 0, 'Write something before posting.')
  .refine(
    (s) => [...s].length <= REPLY_MAX_CHARS,
    `A reply can be at most ${REPLY_MAX_CHARS.toLocaleString('en')} characters.`,
  );

const slug = z.string().refine(isSlug, 'Unknown article.');
const replyIdSchema = z.uuid('Unknown reply.');

export const postReplySchema = z.object({
  article: slug,
  parentId: replyIdSchema.nullish(),
  body: replyBodySchema,
});
export type PostReplyInput = z.infer<typeof postReplySchema>;

export const editReplySchema = z.object({ id: replyIdSchema, body: replyBodySchema });
export type EditReplyInput = z.infer<typeof editReplySchema>;

export const replyTargetSchema = z.object({ id: replyIdSchema });

const reportReasons = ['spam', 'abuse', 'off-topic', 'other'] as const;
export const reportReplySchema = z.object({
  id: replyIdSchema,
  reason: z.enum(reportReasons, 'Choose a reason.'),
  note: safeText(500).optional().default(''),
});

export const moderateReplySchema = z.object({
  id: replyIdSchema,
  reason: safeText(500).optional().default(''),
});
