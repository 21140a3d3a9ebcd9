import type { ReactNode } from 'react';

export function PullQuote({ by, children }: { by?: string; children?: ReactNode }) {
  return (
    <figure className="pull-quote">
      <blockquote>{children}</blockquote>
      {by && <figcaption>— {by}</figcaption>}
    </figure>
  );
}
