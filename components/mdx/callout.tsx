import type { ReactNode } from 'react';

export function Callout({ title, children }: { title?: string; children?: ReactNode }) {
  return (
    <aside className="callout" aria-label={title ?? 'Note'}>
      {title && <p className="callout-title">{title}</p>}
      {children}
    </aside>
  );
}
