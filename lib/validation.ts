import { z } from 'zod';

/**
 * Text that behaves the same in SQLite and PostgreSQL: no NUL (PostgreSQL's text refuses 0x00,
 * SQLite stores it) and no lone surrogates (not valid UTF-8). Checked before any database sees
 * it (SECURITY P32).
 */
export const safeText = (max: number) =>
  z
    .string()
    .max(max, `must be at most ${max} characters`)
    .refine((s) => !s.includes('\u0000'), 'must not contain NUL characters')
    .refine((s) => s.isWellFormed(), 'must be valid Unicode text');

/** Zod issues as `{ field: [messages] }` for forms. */
export function fieldErrors(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) (out[issue.path.join('.') || 'form'] ??= []).push(issue.message);
  return out;
}
