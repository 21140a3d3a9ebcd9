import 'server-only';
import { canEdit } from '../auth/permissions';
import { getViewer } from '../auth/session';
import { config } from '../env';
import { AppError } from '../errors';
import { readCappedBody } from '../http/body';
import { jsonError, withDatabase } from '../http/json';
import { log } from '../log';
import { clientIp } from '../net/client-address';
import { storeImage } from './process';

// POST /api/media: the desk's photo upload (issue 13). A route, not a server action: a photo is
// megabytes, and Next's limit on server-action bodies is one for every action, so raising it for
// uploads would let anyone send that much to any action. This route reads its body only after the
// session and the role are checked, and never more than the limit.

const maxBytes = () => config.MEDIA_MAX_UPLOAD_MB * 1024 * 1024;
/** Room for the multipart framing around the file. */
const FORM_OVERHEAD = 64 * 1024;

/** Cross-site forms can POST here with the editor's cookie: only this site's own pages may. */
function sameOrigin(req: Request): boolean {
  const origin = req.headers.get('origin');
  if (!origin) return req.headers.get('sec-fetch-site') === 'same-origin';
  const host = req.headers.get('x-forwarded-host') ?? req.headers.get('host');
  try {
    return new URL(origin).host === host || new URL(origin).origin === new URL(config.SITE_URL).origin;
  } catch {
    return false;
  }
}

/**
 * Stores the photo in the form field `image`; answers `{ ok: true, data: { src, width, height } }` or
 * `{ ok: false, code, message }`; 503 while the database (the editor's session) can't be asked.
 */
export const handleUpload = withDatabase(async (req: Request): Promise<Response> => {
  const refuse = (why: string) => log.warn('authz', `refused upload: ${why} ip=${clientIp(req.headers)}`);
  const viewer = await getViewer();
  if (!viewer) {
    refuse('not signed in');
    return jsonError(401, 'unauthorized', 'Please sign in as an editor.');
  }
  if (!canEdit(viewer.role)) {
    refuse(`forbidden for ${viewer.role} ${viewer.id}`);
    return jsonError(403, 'forbidden', 'Only editors can upload images.');
  }
  if (!sameOrigin(req)) return jsonError(403, 'forbidden', 'Uploads come from this site’s own pages.');
  const body = await readCappedBody(req, maxBytes() + FORM_OVERHEAD);
  if (body instanceof Response) return body;
  const form = await new Response(body, {
    headers: { 'content-type': req.headers.get('content-type') ?? '' },
  })
    .formData()
    .catch(() => null);
  const image = form?.get('image');
  if (!(image instanceof File) || image.size === 0)
    return jsonError(400, 'invalid', 'Choose an image to upload.');
  if (image.size > maxBytes())
    return jsonError(413, 'invalid', `Images may be at most ${config.MEDIA_MAX_UPLOAD_MB} MB.`);
  try {
    const bytes = new Uint8Array(await image.arrayBuffer());
    const stored = await storeImage(bytes, config.mediaDir, { maxBytes: maxBytes() });
    log.info(
      'desk',
      `image uploaded by ${viewer.id}: ${JSON.stringify(image.name.slice(0, 200))} (${bytes.length} bytes) as ${stored.src}`,
    );
    return Response.json({ ok: true, data: stored }, { headers: { 'cache-control': 'no-store' } });
  } catch (error) {
    if (error instanceof AppError) return jsonError(400, error.code, error.message);
    throw error;
  }
});
