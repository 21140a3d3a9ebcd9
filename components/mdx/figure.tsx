type FigureProps = { src: string; alt: string; caption?: string; credit?: string; priority?: boolean };

/** An image with its caption and credit. Images are local files; the 16:9 size only reserves space. */
export function Figure({ src, alt, caption, credit, priority = false }: FigureProps) {
  return (
    <figure className="figure">
      {/* eslint-disable-next-line @next/next/no-img-element -- local SVGs need no optimizer (docs/decisions/001) */}
      <img
        src={src}
        alt={alt}
        width={1200}
        height={675}
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
