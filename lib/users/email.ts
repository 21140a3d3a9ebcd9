import { z } from 'zod';
import { safeText } from '../validation';

/**
 * One canonical form per address: NFKC (so full-width and other look-alike forms fold, as
 * GHSA-7rqj-j65f-68wh showed), trimmed, lower-case. Stored with a unique index.
 */
export const normalizeEmail = (raw: string) => raw.normalize('NFKC').trim().toLowerCase();

export const emailSchema = safeText(254)
  .transform(normalizeEmail)
  .pipe(z.email({ message: 'Enter a valid email address' }).max(254));
