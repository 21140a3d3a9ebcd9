import { z } from 'zod';
import { slugSchema } from '../content/schema';

/** A stream's query string, validated where it enters (the SSE route). Server only: zod stays out of the browser. */
export const liveSubscriptionSchema = z
  .object({
    topics: z
      .string()
      .max(10_000)
      .optional()
      .transform((s) => (s ? [...new Set(s.split(',').filter(Boolean))] : []))
      // /following listens to every topic the reader follows.
      .pipe(z.array(slugSchema).max(100)),
    article: slugSchema.optional(),
  })
  .refine((s) => s.topics.length > 0 || s.article, 'subscribe to at least one topic or an article');
