import { lstat, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { sniffImage, storeImage } from './process';
import { mediaImage } from './srcset';

const NOW = new Date('2026-03-15T12:00:00Z');
const LIMITS = { maxBytes: 15 * 1024 * 1024 };
const SRC = /^\/media\/2026\/03\/([a-f0-9]{16})-(\d+)x(\d+)-960\.webp$/;

let root: string;
let mediaDir: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'dispatch-media-'));
  mediaDir = path.join(root, 'media');
});
afterEach(async () => rm(root, { recursive: true, force: true }));

/** A phone-like JPEG: EXIF with the camera, the time and a GPS position. */
const photo = (width = 2000, height = 1000) =>
  sharp({ create: { width, height, channels: 3, background: '#888' } })
    .jpeg()
    .withExif({
      IFD0: { Make: 'PhoneCo', Model: 'Phone 9' },
      IFD2: { DateTimeOriginal: '2026:03:14 09:30:00' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '51/1 30/1 1234/100',
        GPSLongitudeRef: 'W',
        GPSLongitude: '0/1 7/1 3999/100',
      },
    })
    .toBuffer();

/** The tags of the GPS IFD of an EXIF block (TIFF: IFD0 → tag 0x8825 → GPS IFD), or []. */
function gpsTags(exif: Buffer | undefined): number[] {
  if (!exif) return [];
  const tiff = exif.subarray(exif.indexOf('Exif\0\0') + 6);
  const le = tiff.toString('latin1', 0, 2) === 'II';
  const u16 = (at: number) => (le ? tiff.readUInt16LE(at) : tiff.readUInt16BE(at));
  const u32 = (at: number) => (le ? tiff.readUInt32LE(at) : tiff.readUInt32BE(at));
  const entries = (ifd: number) =>
    Array.from({ length: u16(ifd) }, (_, i) => ({
      tag: u16(ifd + 2 + i * 12),
      value: u32(ifd + 10 + i * 12),
    }));
  const gps = entries(u32(4)).find((e) => e.tag === 0x8825);
  return gps ? entries(gps.value).map((e) => e.tag) : [];
}

/** The chunk types of a WebP file (RIFF): pixels only is VP8/VP8L (+ VP8X, ALPH). */
function webpChunks(file: Buffer): string[] {
  expect(file.toString('latin1', 0, 4)).toBe('RIFF');
  expect(file.toString('latin1', 8, 12)).toBe('WEBP');
  const chunks: string[] = [];
  for (let at = 12; at + 8 <= file.length;) {
    chunks.push(file.toString('latin1', at, at + 4));
    const size = file.readUInt32LE(at + 4);
    at += 8 + size + (size % 2);
  }
  return chunks;
}

/** Every file under `dir`, relative, sorted. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => !e.isDirectory())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

const variantPath = (src: string, width: number) =>
  path.join(mediaDir, src.replace(/^\/media\//, '').replace(/-960\.webp$/, `-${width}.webp`));

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe('invalid');
  return (error as AppError).message;
}

describe('storeImage', () => {
  it('strips EXIF (and the GPS position in it) from every stored width', async () => {
    const input = await photo();
    const inputMeta = await sharp(input).metadata();
    expect(gpsTags(inputMeta.exif)).toEqual(expect.arrayContaining([1, 2, 3, 4])); // Lat/Long and their refs
    expect(input.includes(Buffer.from('PhoneCo'))).toBe(true);

    const stored = await storeImage(input, mediaDir, LIMITS, NOW);
    const [, hash, w, h] = SRC.exec(stored.src)!;
    expect([w, h]).toEqual(['2000', '1000']);
    expect(stored).toEqual({ src: stored.src, width: 960, height: 480 });
    expect(await filesUnder(mediaDir)).toEqual(
      [1600, 480, 960].map((width) => `2026/03/${hash}-2000x1000-${width}.webp`),
    );
    for (const [width, height] of [
      [480, 240],
      [960, 480],
      [1600, 800],
    ] as const) {
      const file = await readFile(variantPath(stored.src, width));
      const meta = await sharp(file).metadata();
      expect(meta).toMatchObject({ format: 'webp', width, height });
      expect(meta.exif).toBeUndefined();
      expect(meta.xmp).toBeUndefined();
      expect(meta.icc).toBeUndefined();
      expect(webpChunks(file).every((c) => ['VP8 ', 'VP8L', 'VP8X', 'ALPH'].includes(c))).toBe(true);
      expect(file.includes(Buffer.from('Exif'))).toBe(false);
      expect(file.includes(Buffer.from('PhoneCo'))).toBe(false);
    }
    // What the page computes from the src alone is what was stored.
    expect(mediaImage(stored.src)).toMatchObject({ width: stored.width, height: stored.height });
  });

  it('turns the photo upright, and names it by its upright size', async () => {
    const sideways = await sharp(await photo(2000, 1000))
      .withMetadata({ orientation: 6 })
      .jpeg()
      .toBuffer();
    expect((await sharp(sideways).metadata()).orientation).toBe(6);
    const stored = await storeImage(sideways, mediaDir, LIMITS, NOW);
    expect(stored.src).toMatch(/-1000x2000-960\.webp$/);
    expect(stored).toMatchObject({ width: 960, height: 1920 });
    const meta = await sharp(await readFile(variantPath(stored.src, 960))).metadata();
    expect(meta).toMatchObject({ width: 960, height: 1920 });
    expect(meta.orientation).toBeUndefined();
  });

  it('never enlarges: a 700 px PNG is stored 480 and 700 wide', async () => {
    const png = await sharp({ create: { width: 700, height: 350, channels: 4, background: '#0f08' } })
      .png()
      .toBuffer();
    const stored = await storeImage(png, mediaDir, LIMITS, NOW);
    expect(stored).toMatchObject({ width: 700, height: 350 });
    const widths = await Promise.all(
      [480, 960, 1600].map(async (w) => (await sharp(variantPath(stored.src, w)).metadata()).width),
    );
    expect(widths).toEqual([480, 700, 700]);
    expect(mediaImage(stored.src)?.srcSet).toBe(
      `${stored.src.replace('-960', '-480')} 480w, ${stored.src} 700w`,
    );
  });

  it('accepts WebP, and converts a colour profile to sRGB without keeping it', async () => {
    const webp = await sharp({ create: { width: 1200, height: 800, channels: 3, background: '#c33' } })
      .webp()
      .withIccProfile('p3')
      .toBuffer();
    expect((await sharp(webp).metadata()).icc).toBeDefined();
    const stored = await storeImage(webp, mediaDir, LIMITS, NOW);
    const meta = await sharp(variantPath(stored.src, 960)).metadata();
    expect(meta.icc).toBeUndefined();
    expect(meta.space).toBe('srgb');
  });

  it('stores an upload of the same bytes once, under the same names', async () => {
    const input = await photo(1000, 800);
    const first = await storeImage(input, mediaDir, LIMITS, NOW);
    const before = await stat(variantPath(first.src, 960));
    const again = await storeImage(input, mediaDir, LIMITS, NOW);
    expect(again).toEqual(first);
    const after = await stat(variantPath(first.src, 960));
    expect(after.ino).toBe(before.ino);
    expect(after.mtimeMs).toBe(before.mtimeMs);
    expect((await filesUnder(mediaDir)).length).toBe(3); // no temporary files left
  });

  it.each([
    [
      'a GIF',
      () =>
        sharp({ create: { width: 8, height: 8, channels: 3, background: '#f00' } })
          .gif()
          .toBuffer(),
    ],
    [
      'an SVG',
      async () => Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    ],
    ['HTML named photo.jpg', async () => Buffer.from('<!doctype html><img src=x onerror=alert(1)>')],
    [
      'a TIFF',
      () =>
        sharp({ create: { width: 8, height: 8, channels: 3, background: '#f00' } })
          .tiff()
          .toBuffer(),
    ],
  ])('refuses %s by its content', async (_name, make) => {
    expect(await refusal(storeImage(await make(), mediaDir, LIMITS, NOW))).toBe(
      'Only JPEG, PNG or WebP images can be uploaded.',
    );
    expect(await filesUnder(mediaDir)).toEqual([]);
  });

  it('refuses JPEG magic bytes on a damaged file, an empty file, and too many bytes or pixels', async () => {
    const input = await photo();
    expect(sniffImage(input.subarray(0, 200))).toBe('jpeg');
    expect(await refusal(storeImage(input.subarray(0, 200), mediaDir, LIMITS, NOW))).toMatch(
      /could not be read/,
    );
    expect(await refusal(storeImage(input.subarray(0, input.length - 100), mediaDir, LIMITS, NOW))).toMatch(
      /could not be read/,
    );
    expect(await refusal(storeImage(new Uint8Array(), mediaDir, LIMITS, NOW))).toBe('The file is empty.');
    expect(await refusal(storeImage(input, mediaDir, { maxBytes: input.length - 1 }, NOW))).toMatch(
      /^Images may be at most [\d.]+ MB\.$/,
    );
    expect(await refusal(storeImage(input, mediaDir, { ...LIMITS, maxPixels: 1_000_000 }, NOW))).toBe(
      'Images may have at most 1 megapixels.',
    );
    expect(await filesUnder(mediaDir)).toEqual([]);
  });

  it('writes through no link in the media folder', async () => {
    const elsewhere = path.join(root, 'elsewhere');
    await mkdir(elsewhere);
    await mkdir(mediaDir);
    await symlink(elsewhere, path.join(mediaDir, '2026'));
    await expect(storeImage(await photo(), mediaDir, LIMITS, NOW)).rejects.toThrow(/links are not followed/);
    expect(await filesUnder(elsewhere)).toEqual([]);

    // A link at a file's name is refused too, and the file it points to left alone.
    await rm(path.join(mediaDir, '2026'));
    const input = await photo(1200, 900);
    const { src } = await storeImage(input, path.join(root, 'probe'), LIMITS, NOW);
    const target = path.join(elsewhere, 'victim.txt');
    await writeFile(target, 'keep me');
    await mkdir(path.join(mediaDir, '2026', '03'), { recursive: true });
    await symlink(target, variantPath(src, 1600));
    await expect(storeImage(input, mediaDir, LIMITS, NOW)).rejects.toThrow(/links are not followed/);
    expect(await readFile(target, 'utf8')).toBe('keep me');
    expect((await lstat(variantPath(src, 1600))).isSymbolicLink()).toBe(true);
  });

  it('stores into a media folder that is itself a link (a mounted volume)', async () => {
    const volume = path.join(root, 'volume');
    await mkdir(volume);
    await symlink(volume, mediaDir);
    const stored = await storeImage(await photo(600, 400), mediaDir, LIMITS, NOW);
    expect((await filesUnder(volume)).length).toBe(3);
    expect(stored.src).toMatch(SRC);
  });
});
