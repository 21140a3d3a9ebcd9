import type { Article } from './model';

// Plain data for the browser: what a topic stream shows, nothing more. No server imports here.

export type StreamItem = {
  slug: string;
  title: string;
  kind: 'article' | 'update';
  publishedAt: string;
  updatedAt: string | null;
  /** "Correction: …" shown with the item (SPEC §2 `correction`). */
  correction: string | null;
  summary: string;
  pinned: boolean;
  keyEvent: boolean;
  /** Updates are shown in full: their body, rendered once at load. Articles show as cards. */
  html: string | null;
  image: { src: string } | null;
};

export type TopicStreamData = {
  topic: { slug: string; title: string; live: boolean };
  items: StreamItem[];
  page: number;
  pages: number;
};

export const toStreamItem = (a: Article): StreamItem => ({
  slug: a.slug,
  title: a.title,
  kind: a.kind,
  publishedAt: a.publishedAt,
  updatedAt: a.updatedAt,
  correction: a.correction,
  summary: a.summary,
  pinned: a.pinned,
  keyEvent: a.keyEvent,
  html: a.kind === 'update' ? a.body : null,
  image: a.image ? { src: a.image.src } : null,
});
