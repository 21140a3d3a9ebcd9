import { mediaImage } from '@/lib/media/srcset';

type FigureProps = { src: string; alt: string; caption?: string; credit?: string; priority?: boolean };

/**
 * An image with its caption and credit; kept in step with `expand.Figure` in lib/content/mdx.ts.
 * An uploaded image (/media/…) comes with its widths and its real size; any other local file gets
 * a 16:9 box, which only reserves space.
 */
export function Figure({ src, alt, caption, credit, priority = false }: FigureProps) {
  const media = mediaImage(src);
  return (
    <figure className="figure">
      {/* eslint-disable-next-line @next/next/no-img-element -- local files and pre-sized uploads need no optimizer (docs/decisions/001) */}
      <img
        src={src}
        srcSet={media?.srcSet}
        sizes={media?.sizes}
        alt={alt}
        width={media?.width ?? 1200}
        height={media?.height ?? 675}
        loading={priority ? 'eager' : 'lazy'}
        decoding="async"
        fetchPriority={priority ? 'high' : undefined}
      />
      {(caption || credit) && (
        <figcaption>
          {caption}
          {credit && <span className="credit"> {credit}</span>}
        </figcaption>
      )}
    </figure>
  );
}
