import type { Root as HastRoot } from 'hast';
import type { ArticleMeta } from './schema';

/** The in-memory model the store serves. Dates are epoch ms plus the ISO text editors wrote. */
export type Topic = {
  slug: string;
  file: string;
  title: string;
  description: string;
  live: boolean;
  order: number | null;
  intro: HastRoot | null;
};

export type Author = {
  slug: string;
  file: string;
  name: string;
  role: string | null;
  avatar: string | null;
  bio: HastRoot | null;
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
  body: HastRoot;
  text: string;
  readingMinutes: number;
};
