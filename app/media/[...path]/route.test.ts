import { copyFile, mkdir, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { storeImage } from '@/lib/media/process';
import { GET, HEAD } from './route';

// The media folder is a temporary one: lib/env reads MEDIA_DIR once, at import.
const dirs = await vi.hoisted(async () => {
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const root = mkdtempSync(`${tmpdir()}/dispatch-media-route-`);
  return { root, media: `${root}/media` };
});
vi.mock('@/lib/env', async (original) => {
  const env = await original<typeof import('@/lib/env')>();
  return { ...env, config: { ...env.config, mediaDir: dirs.media } };
});

const get = (segments: string[], headers: Record<string, string> = {}, method = 'GET') =>
  (method === 'HEAD' ? HEAD : GET)(
    new Request(`http://localhost/media/${segments.join('/')}`, { method, headers }),
    { params: Promise.resolve({ path: segments }) },
  );

let segments: string[];
let name: string;
beforeAll(async () => {
  const png = await sharp({ create: { width: 1000, height: 500, channels: 3, background: '#246' } })
    .png()
    .toBuffer();
  const { src } = await storeImage(png, dirs.media, { maxBytes: 1e7 }, new Date('2026-03-15T12:00:00Z'));
  segments = src.split('/').slice(2);
  name = segments[2]!;
});
afterAll(async () => rm(dirs.root, { recursive: true, force: true }));

describe('GET /media/…', () => {
  it('serves a stored variant as WebP, cached for a year', async () => {
    const res = await get(segments);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/webp');
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const etag = res.headers.get('etag');
    expect(etag).toBe(`"${name.replace(/\.webp$/, '')}"`);
    const body = Buffer.from(await res.arrayBuffer());
    expect(res.headers.get('content-length')).toBe(String(body.length));
    expect(await sharp(body).metadata()).toMatchObject({ format: 'webp', width: 960, height: 480 });
    expect((await get(segments, {}, 'HEAD')).status).toBe(200);
  });

  it('answers 304 to a matching If-None-Match', async () => {
    const etag = (await get(segments)).headers.get('etag')!;
    for (const header of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const res = await get(segments, { 'if-none-match': header });
      expect(res.status).toBe(304);
      expect(res.headers.get('etag')).toBe(etag);
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(await res.text()).toBe('');
    }
    expect((await get(segments, { 'if-none-match': '"other"' })).status).toBe(200);
  });

  it.each([
    ['a missing variant', () => ['2026', '03', name.replace(/^[a-f0-9]{4}/, 'ffff')]],
    ['another year', () => ['2025', '03', name]],
    ['a name outside the pattern', () => ['2026', '03', 'photo.webp']],
    ['a temporary file', () => ['2026', '03', `.${name}.abc123.tmp`]],
    ['too few segments', () => ['2026', '03']],
    ['too many segments', () => ['2026', '03', name, 'x']],
    ['..', () => ['..', '..', 'etc', 'passwd']],
    ['.. in the place of a month', () => ['2026', '..', '..', 'media', '2026', '03', name]],
    ['encoded ..', () => ['%2e%2e', '%2e%2e', 'etc']],
    ['an encoded slash', () => ['2026', '03', `..%2f..%2f${name}`]],
    ['a backslash', () => ['2026', '03', `..\\${name}`]],
  ])('is 404 for %s', async (_name, make) => {
    const res = await get(make());
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ code: 'not_found', message: 'No such image.' });
  });

  it('follows no link: not at the file, not on the way to it', async () => {
    const outside = path.join(dirs.root, 'outside');
    await mkdir(path.join(outside, '03'), { recursive: true });
    const real = path.join(dirs.media, ...segments);
    await copyFile(real, path.join(outside, '03', name));

    // A link at a variant's name (to a file outside the media folder).
    const linkedName = name.replace(/-960\.webp$/, '-480.webp');
    const linked = path.join(dirs.media, '2026', '03', linkedName);
    await rm(linked);
    await symlink(path.join(outside, '03', name), linked);
    expect((await get(['2026', '03', linkedName])).status).toBe(404);

    // A linked year folder.
    await symlink(outside, path.join(dirs.media, '2027'));
    expect((await get(['2027', '03', name])).status).toBe(404);

    expect((await get(segments)).status).toBe(200); // the real file is still served
  });
});
