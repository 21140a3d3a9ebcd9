// How the desk's uploaded images are named, and what a page needs to show one. No imports: the
// content loader (lib/content/mdx.ts), components/mdx/figure.tsx and the media route share it.

/** The widths every upload is stored at (never wider than the original). */
export const MEDIA_WIDTHS = [480, 960, 1600] as const;
export type MediaWidth = (typeof MEDIA_WIDTHS)[number];

/** The variant `src` points at: what the upload returns and what content refers to. */
export const MEDIA_SRC_WIDTH: MediaWidth = 960;

/** The article column is at most 720 px wide, the full viewport below that. */
const MEDIA_SIZES = '(max-width: 720px) 100vw, 720px';

/**
 * `<yyyy>/<mm>/<hash16>-<W>x<H>-<width>.webp`: the hash is the upload's content (a name is never
 * reused for other bytes), W×H the original's size, upright (so a page can reserve the image's box
 * without reading it), `width` the stored variant.
 */
export const MEDIA_MAX_SIDE = 99_999;
const YEAR = /^\d{4}$/;
const MONTH = /^(?:0[1-9]|1[0-2])$/;
const FILE = /^[a-f0-9]{16}-[1-9]\d{0,4}x[1-9]\d{0,4}-(?:480|960|1600)\.webp$/;
const SRC =
  /^(\/media\/\d{4}\/(?:0[1-9]|1[0-2])\/[a-f0-9]{16}-([1-9]\d{0,4})x([1-9]\d{0,4}))-(480|960|1600)\.webp$/;

/** The file name of one variant of an upload. */
export const mediaFileName = (hash: string, width: number, height: number, variant: MediaWidth) =>
  `${hash}-${width}x${height}-${variant}.webp`;

/** True for the path segments of a stored variant, [yyyy, mm, file], and nothing else. */
export function isMediaPath(segments: readonly string[]): boolean {
  return (
    segments.length === 3 && YEAR.test(segments[0]!) && MONTH.test(segments[1]!) && FILE.test(segments[2]!)
  );
}

/** The size of a variant of a `width`×`height` original: `variant` wide at most, never enlarged. */
export function variantSize(width: number, height: number, variant: MediaWidth) {
  const w = Math.min(variant, width);
  return { width: w, height: Math.max(1, Math.round((height * w) / width)) };
}

export type MediaImage = { src: string; srcSet: string; sizes: string; width: number; height: number };

/**
 * What an `<img>` of an uploaded image needs, from its src alone (no I/O): the srcset of its
 * stored widths (a width the original does not reach collapses to the original's, and is listed
 * once) and the size of the variant `src` names, so the page reserves its box. Null for any other
 * src (a file under public/).
 */
export function mediaImage(src: string): MediaImage | null {
  const match = SRC.exec(src);
  if (!match) return null;
  const [, stem, width, height, variant] = match;
  const [w, h] = [Number(width), Number(height)];
  const listed = new Set<number>();
  const candidates: string[] = [];
  for (const each of MEDIA_WIDTHS) {
    const actual = variantSize(w, h, each).width;
    if (listed.has(actual)) continue;
    listed.add(actual);
    candidates.push(`${stem}-${each}.webp ${actual}w`);
  }
  const box = variantSize(w, h, Number(variant) as MediaWidth);
  return { src, srcSet: candidates.join(', '), sizes: MEDIA_SIZES, ...box };
}
