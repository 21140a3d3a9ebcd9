import { describe, expect, it } from 'vitest';
import { isMediaPath, mediaFileName, mediaImage, variantSize } from './srcset';

const HASH = '0123456789abcdef';

describe('mediaImage', () => {
  it('lists the three widths of a large upload, and the size of the variant src names', () => {
    expect(mediaImage(`/media/2026/03/${HASH}-4000x3000-960.webp`)).toEqual({
      src: `/media/2026/03/${HASH}-4000x3000-960.webp`,
      srcSet: [480, 960, 1600].map((w) => `/media/2026/03/${HASH}-4000x3000-${w}.webp ${w}w`).join(', '),
      sizes: '(max-width: 720px) 100vw, 720px',
      width: 960,
      height: 720,
    });
    expect(mediaImage(`/media/2026/03/${HASH}-4000x3000-1600.webp`)).toMatchObject({
      width: 1600,
      height: 1200,
    });
  });

  it('collapses widths the original does not reach into its own, listed once', () => {
    expect(mediaImage(`/media/2026/12/${HASH}-700x1400-960.webp`)).toMatchObject({
      srcSet: `/media/2026/12/${HASH}-700x1400-480.webp 480w, /media/2026/12/${HASH}-700x1400-960.webp 700w`,
      width: 700,
      height: 1400,
    });
    expect(mediaImage(`/media/2026/12/${HASH}-300x200-960.webp`)).toMatchObject({
      srcSet: `/media/2026/12/${HASH}-300x200-480.webp 300w`,
      width: 300,
      height: 200,
    });
  });

  it.each([
    '/images/map.svg',
    `/media/2026/03/${HASH}-4000x3000-960.jpg`,
    `/media/2026/03/${HASH}-4000x3000-800.webp`,
    `/media/2026/13/${HASH}-4000x3000-960.webp`,
    `/media/26/03/${HASH}-4000x3000-960.webp`,
    `/media/2026/03/${HASH.toUpperCase()}-4000x3000-960.webp`,
    `/media/2026/03/${HASH}-0x3000-960.webp`,
    `/media/2026/03/../03/${HASH}-4000x3000-960.webp`,
    `https://example.org/media/2026/03/${HASH}-4000x3000-960.webp`,
    `/media/2026/03/${HASH}-4000x3000-960.webp?x=1`,
  ])('is null for %s', (src) => {
    expect(mediaImage(src)).toBeNull();
  });
});

describe('the media naming', () => {
  it('names variants, and accepts exactly those path segments', () => {
    const name = mediaFileName(HASH, 2000, 1000, 480);
    expect(name).toBe(`${HASH}-2000x1000-480.webp`);
    expect(isMediaPath(['2026', '03', name])).toBe(true);
    for (const segments of [
      ['2026', '03'],
      ['2026', '03', name, 'x'],
      ['..', '03', name],
      ['2026', '..', name],
      ['2026', '03', '..'],
      ['2026', '03', `.${name}.abc.tmp`],
      ['2026', '03', `${HASH}-2000x1000-480.webp/..`],
      ['2026', '03', `%2e%2e`],
      ['2026', '3', name],
    ])
      expect(isMediaPath(segments)).toBe(false);
  });

  it('sizes a variant by the original, never enlarging', () => {
    expect(variantSize(2000, 1000, 960)).toEqual({ width: 960, height: 480 });
    expect(variantSize(999, 333, 480)).toEqual({ width: 480, height: 160 });
    expect(variantSize(700, 350, 1600)).toEqual({ width: 700, height: 350 });
    expect(variantSize(5000, 1, 480)).toEqual({ width: 480, height: 1 });
  });
});
