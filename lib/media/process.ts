import { createHash, randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, mkdir, open, realpath, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { AppError } from '../errors';
import {
  MEDIA_MAX_SIDE,
  MEDIA_SRC_WIDTH,
  MEDIA_WIDTHS,
  mediaFileName,
  variantSize,
  type MediaWidth,
} from './srcset';

/** Larger originals are refused: 40 MP is more than any phone's camera gives by default. */
const MEDIA_MAX_PIXELS = 40_000_000;
/** WebP stores at most this many pixels a side. */
const WEBP_MAX_SIDE = 16_383;
/** A decode or encode that takes longer is abandoned. */
const TIMEOUT_SECONDS = 60;

type Format = 'jpeg' | 'png' | 'webp';
const FORMATS = 'JPEG, PNG or WebP';

export type StoredImage = {
  /** `/media/<yyyy>/<mm>/<hash>-<W>x<H>-960.webp`, for `<Figure src>` or an article's image. */
  src: string;
  /** The size of the variant `src` names. */
  width: number;
  height: number;
};

export type ImageLimits = { maxBytes: number; maxPixels?: number };

/** What the bytes are, by their first bytes (never by the file's name or declared type); null for anything else. */
export function sniffImage(bytes: Uint8Array): Format | null {
  const at = (offset: number, ...expected: number[]) => expected.every((b, i) => bytes[offset + i] === b);
  if (at(0, 0xff, 0xd8, 0xff)) return 'jpeg';
  if (at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'png';
  if (at(0, 0x52, 0x49, 0x46, 0x46) && at(8, 0x57, 0x45, 0x42, 0x50)) return 'webp'; // RIFF····WEBP
  return null;
}

/**
 * Stores an uploaded photo for the site (SPEC §9, issue 13): checked by its content (JPEG, PNG or
 * WebP only, at most `maxBytes` and `maxPixels`), turned upright, re-encoded as WebP at each of
 * MEDIA_WIDTHS (never enlarged) with no metadata at all (no EXIF, so no GPS position, no XMP, no
 * ICC profile: colours are converted to sRGB), under `mediaDir/<yyyy>/<mm>/`, named by content.
 *
 * Writes are confined to `mediaDir`: links inside it are never followed, and each file is written
 * to a temporary name, synced and renamed into place, so a name is never half-written. A name is
 * never given to other bytes: an upload of the same bytes finds its files there and keeps them.
 * Expected refusals are AppError('invalid'); a link in the media folder throws an Error.
 */
export async function storeImage(
  bytes: Uint8Array,
  mediaDir: string,
  limits: ImageLimits,
  now = new Date(),
): Promise<StoredImage> {
  const maxPixels = limits.maxPixels ?? MEDIA_MAX_PIXELS;
  if (bytes.length === 0) throw new AppError('invalid', 'The file is empty.');
  if (bytes.length > limits.maxBytes)
    throw new AppError('invalid', `Images may be at most ${formatMegabytes(limits.maxBytes)}.`);
  const format = sniffImage(bytes);
  if (!format) throw new AppError('invalid', `Only ${FORMATS} images can be uploaded.`);

  const input = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const load = () =>
    sharp(input, { limitInputPixels: maxPixels, failOn: 'warning' }).timeout({ seconds: TIMEOUT_SECONDS });
  const meta = await load()
    .metadata()
    .catch((error: unknown) => {
      throw unreadable(error, maxPixels);
    });
  if (meta.format !== format) throw new AppError('invalid', `Only ${FORMATS} images can be uploaded.`);
  const { width, height } = meta.autoOrient;
  if (width * height > maxPixels) throw tooManyPixels(maxPixels);
  const tallest = variantSize(width, height, MEDIA_WIDTHS[MEDIA_WIDTHS.length - 1]!).height;
  if (width > MEDIA_MAX_SIDE || height > MEDIA_MAX_SIDE || tallest > WEBP_MAX_SIDE)
    throw new AppError('invalid', 'This image is too long and narrow to show; crop it first.');

  const hash = createHash('sha256').update(input).digest('hex').slice(0, 16);
  // One encode per distinct width (widths the original doesn't reach collapse into one), one at a
  // time: a large photo decoded three times at once would triple the memory it takes.
  const encoded = new Map<number, Buffer>();
  const variants: { variant: MediaWidth; size: { width: number; height: number }; data: Buffer }[] = [];
  for (const variant of MEDIA_WIDTHS) {
    const size = variantSize(width, height, variant);
    let data = encoded.get(size.width);
    if (!data) {
      data = await load()
        .autoOrient()
        // Exactly the size the name promises (lib/media/srcset.ts computes it the same way).
        .resize(size.width, size.height, { fit: 'fill' })
        .webp({ quality: 80 })
        .toBuffer()
        .catch((error: unknown) => {
          throw unreadable(error, maxPixels);
        });
      encoded.set(size.width, data);
    }
    variants.push({ variant, size, data });
  }

  const year = String(now.getUTCFullYear());
  const month = String(now.getUTCMonth() + 1).padStart(2, '0');
  const folder = await mediaFolder(mediaDir, [year, month]);
  for (const { variant, data } of variants)
    await writeOnce(folder, mediaFileName(hash, width, height, variant), data);
  await syncFolder(folder);

  const shown = variants.find((v) => v.variant === MEDIA_SRC_WIDTH)!;
  return {
    src: `/media/${year}/${month}/${mediaFileName(hash, width, height, MEDIA_SRC_WIDTH)}`,
    ...shown.size,
  };
}

const formatMegabytes = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;

const tooManyPixels = (maxPixels: number) =>
  new AppError('invalid', `Images may have at most ${Math.floor(maxPixels / 1e6)} megapixels.`);

/** sharp could not read the image: damaged, truncated, or not what its first bytes claim. */
function unreadable(error: unknown, maxPixels: number): AppError {
  const message = error instanceof Error ? error.message : String(error);
  if (/pixel limit/i.test(message)) return tooManyPixels(maxPixels);
  return new AppError('invalid', `This file could not be read as a ${FORMATS} image; it may be damaged.`);
}

const code = (error: unknown) => (error as NodeJS.ErrnoException).code;

/**
 * `mediaDir/<parts…>`, created as needed, as its real path. `mediaDir` itself may be a link (to a
 * mounted volume, say); a link or anything but a folder below it is refused, never followed.
 */
async function mediaFolder(mediaDir: string, parts: string[]): Promise<string> {
  await mkdir(mediaDir, { recursive: true });
  const root = await realpath(mediaDir);
  let dir = root;
  for (const part of parts) {
    dir = path.join(dir, part);
    await mkdir(dir).catch((error: unknown) => {
      if (code(error) !== 'EEXIST') throw error;
    });
    if (!(await lstat(dir)).isDirectory())
      throw new Error(`${dir} is not a folder (a symbolic link?): links are not followed in MEDIA_DIR`);
  }
  // A folder swapped for a link since it was checked.
  if ((await realpath(dir)) !== dir)
    throw new Error(`${dir} is under a symbolic link: links are not followed in MEDIA_DIR`);
  return dir;
}

/**
 * Writes `name` in `folder` unless it is there already (the same upload: a name is never reused
 * for other bytes): a synced temporary file renamed into place, so the name is never half-written.
 * Anything else at the name (a link) is refused: neither followed nor replaced.
 */
async function writeOnce(folder: string, name: string, data: Buffer): Promise<void> {
  const target = path.join(folder, name);
  const existing = await lstat(target).catch((error: unknown) => {
    if (code(error) === 'ENOENT') return null;
    throw error;
  });
  if (existing?.isFile()) return;
  if (existing) throw new Error(`${target} is not a regular file: links are not followed in MEDIA_DIR`);
  const temp = path.join(folder, `.${name}.${randomBytes(6).toString('hex')}.tmp`);
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
  const handle = await open(temp, flags, 0o644);
  try {
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}

/** Makes the folder's new names durable. */
async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
