import { jsonError } from './json';
import { log } from '../log';

/**
 * A request's body, read up to `limit` bytes: null for requests without one, a 413 response when
 * it is larger (by its Content-Length, before reading anything, or as soon as a streamed body passes
 * the limit; the rest is never read). Routes read bodies through this instead of buffering
 * whatever a client sends.
 */
export async function readCappedBody(
  req: Request,
  limit: number,
): Promise<Uint8Array<ArrayBuffer> | null | Response> {
  if (req.method === 'GET' || req.method === 'HEAD' || !req.body) return null;
  const tooLarge = () =>
    jsonError(413, 'invalid', `Request body too large (limit ${limit} bytes).`, { connection: 'close' });
  const where = new URL(req.url).pathname;
  const declared = Number(req.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) {
    log.warn('http', `refused a ${declared}-byte body to ${where}`);
    void req.body.cancel().catch(() => undefined);
    return tooLarge();
  }
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      log.warn('http', `refused a streamed body over ${limit} bytes to ${where}`);
      void reader.cancel().catch(() => undefined);
      return tooLarge();
    }
    chunks.push(value);
  }
  return new Uint8Array(Buffer.concat(chunks));
}
