import type { ArticleMeta } from './schema';

/** The in-memory model the store serves. Dates are epoch ms plus the ISO text editors wrote. */
export type Topic = {
  slug: string;
  file: string;
  title: string;
  description: string;
  live: boolean;
  order: number | null;
  /** Intro body as HTML (rendered once at load). */
  intro: string | null;
};

export type Author = {
  slug: string;
  file: string;
  name: string;
  role: string | null;
  avatar: string | null;
  bio: string | null;
};

export type Article = {
  slug: string;
  file: string;
  title: string;
  kind: 'article' | 'update';
  topics: string[];
  authors: string[];
  publishedAt: string;
  published: number;
  updatedAt: string | null;
  summary: string;
  image: ArticleMeta['image'] | null;
  keyEvent: boolean;
  pinned: boolean;
  draft: boolean;
  replies: 'open' | 'closed';
  /** What an edit corrected, told to readers; null when nothing was. */
  correction: string | null;
  /** Body as HTML, rendered once at load from the checked MDX tree (docs/decisions/001). */
  body: string;
  text: string;
  readingMinutes: number;
  /**
   * Changes whenever anything shown on the article's page does; the same on every instance. An
   * open page compares it with the current one when its live stream connects (article-live.tsx).
   */
  version: string;
};
