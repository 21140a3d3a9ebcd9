import 'server-only';
import { constants } from 'node:fs';
import { open, realpath, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { config } from '../env';
import { jsonError } from '../http/json';
import { isMediaPath } from './srcset';

/** No variant comes near this; a larger file at a media name is not ours. */
const MAX_FILE_BYTES = 32 * 1024 * 1024;
const NOT_FOUND = new Set(['ENOENT', 'ENOTDIR', 'ELOOP', 'EISDIR']);

type MediaFile = { body: Uint8Array<ArrayBuffer>; etag: string };

/**
 * A stored variant's bytes, or null. Only names of the form lib/media/srcset.ts gives are looked
 * up (no `..`, no other files), and no link is followed: not at the file (O_NOFOLLOW), not on the
 * way to it (its real path must be where it was asked for). `mediaDir` itself may be a link.
 */
async function readMedia(
  segments: readonly string[],
  mediaDir: string = config.mediaDir,
): Promise<MediaFile | null> {
  if (!isMediaPath(segments)) return null;
  let handle: FileHandle;
  let full: string;
  try {
    full = path.join(await realpath(mediaDir), ...segments);
    // O_NONBLOCK: a FIFO at that name must not hang the request.
    handle = await open(full, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    if (NOT_FOUND.has((error as NodeJS.ErrnoException).code ?? '')) return null;
    throw error;
  }
  try {
    const [st, real] = await Promise.all([handle.stat(), realpath(full)]);
    if (real !== full || !st.isFile() || st.size > MAX_FILE_BYTES) return null;
    // Names are never reused for other bytes (lib/media/process.ts), so the name is the version.
    return {
      body: new Uint8Array(await handle.readFile()),
      etag: `"${segments[2]!.slice(0, -'.webp'.length)}"`,
    };
  } finally {
    await handle.close();
  }
}

/** True when an If-None-Match header names `etag` (or is `*`); weak and strong tags compare alike. */
function matches(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t.replace(/^W\//, '') === etag;
  });
}

/** GET and HEAD of /media/…: a year's cache (names are immutable), 304 on a matching ETag, 404 otherwise. */
export async function serveMedia(request: Request, segments: readonly string[]): Promise<Response> {
  const file = await readMedia(segments);
  if (!file) return jsonError(404, 'not_found', 'No such image.');
  const headers = {
    'content-type': 'image/webp',
    'cache-control': 'public, max-age=31536000, immutable',
    etag: file.etag,
  };
  if (matches(request.headers.get('if-none-match'), file.etag))
    return new Response(null, { status: 304, headers });
  return new Response(file.body, {
    headers: { ...headers, 'content-length': String(file.body.length) },
  });
}
