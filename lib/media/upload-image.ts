import * as v from 'valibot';
import type { ActionResult } from '../errors';

// The browser's side of POST /api/media (lib/media/upload.ts), with the shape of a server action's
// result so the desk's forms handle it as they handle their actions. The answer is checked by
// schema, not cast (ADR 013).

export type UploadedImage = { src: string; width: number; height: number };

const answer = v.union([
  v.object({
    ok: v.literal(true),
    data: v.object({ src: v.string(), width: v.number(), height: v.number() }),
  }),
  v.object({ code: v.string(), message: v.string() }),
]);

const CODES = [
  'unauthorized',
  'forbidden',
  'invalid',
  'not_found',
  'rate_limited',
  'conflict',
  'unavailable',
] as const;

/** Uploads the photo in `form`'s `image` field; never throws for an answer the server gave. */
export async function uploadImage(form: FormData): Promise<ActionResult<UploadedImage>> {
  let res: Response;
  try {
    res = await fetch('/api/media', { method: 'POST', body: form, credentials: 'same-origin' });
  } catch {
    return { ok: false, code: 'unavailable', message: 'The photo could not be sent: check the connection.' };
  }
  const parsed = v.safeParse(answer, await res.json().catch(() => null));
  if (!parsed.success)
    return { ok: false, code: 'unavailable', message: `The photo could not be stored (HTTP ${res.status}).` };
  const out = parsed.output;
  if ('ok' in out) return out;
  const code = (CODES as readonly string[]).includes(out.code)
    ? (out.code as (typeof CODES)[number])
    : 'invalid';
  return { ok: false, code, message: out.message };
}
