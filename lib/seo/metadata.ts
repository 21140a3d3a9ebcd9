import type { Metadata } from 'next';
import { config } from '../env';

export const absoluteUrl = (path: string) => new URL(path, config.SITE_URL + '/').toString();

/** The three feed URLs for the whole site (no topic) or one topic. */
export function feedPaths(topic?: string) {
  const base = topic ? `/topics/${topic}` : '';
  return { rss: `${base}/rss.xml`, atom: `${base}/atom.xml`, json: `${base}/feed.json` };
}

type PageMeta = {
  title: string;
  description: string;
  path: string;
  /** Feeds to advertise besides the site's own. */
  topicFeed?: { slug: string; title: string };
  type?: 'website' | 'article';
  image?: { src: string; alt: string } | null;
  publishedTime?: string;
  modifiedTime?: string;
  authors?: string[];
  noindex?: boolean;
};

/** Title, description, canonical URL, Open Graph and feed discovery for one page. */
export function pageMetadata(meta: PageMeta): Metadata {
  const site = feedPaths();
  const feeds = meta.topicFeed ? feedPaths(meta.topicFeed.slug) : null;
  const url = absoluteUrl(meta.path);
  const images = meta.image ? [{ url: absoluteUrl(meta.image.src), alt: meta.image.alt }] : undefined;
  const label = meta.topicFeed?.title;
  return {
    title: meta.title,
    description: meta.description,
    alternates: {
      canonical: url,
      types: {
        'application/rss+xml': [
          ...(feeds ? [{ url: feeds.rss, title: `${label} (RSS)` }] : []),
          { url: site.rss, title: `${config.SITE_NAME} (RSS)` },
        ],
        'application/atom+xml': [
          ...(feeds ? [{ url: feeds.atom, title: `${label} (Atom)` }] : []),
          { url: site.atom, title: `${config.SITE_NAME} (Atom)` },
        ],
        'application/feed+json': [
          ...(feeds ? [{ url: feeds.json, title: `${label} (JSON Feed)` }] : []),
          { url: site.json, title: `${config.SITE_NAME} (JSON Feed)` },
        ],
      },
    },
    openGraph: {
      title: meta.title,
      description: meta.description,
      url,
      siteName: config.SITE_NAME,
      type: meta.type ?? 'website',
      images,
      ...(meta.type === 'article'
        ? { publishedTime: meta.publishedTime, modifiedTime: meta.modifiedTime, authors: meta.authors }
        : {}),
    },
    twitter: {
      card: images ? 'summary_large_image' : 'summary',
      title: meta.title,
      description: meta.description,
    },
    robots: meta.noindex ? { index: false, follow: true } : undefined,
  };
}

/** JSON for a <script type="application/ld+json">, with "<" escaped so content can't close the tag. */
export function jsonLd(data: object): string {
  return JSON.stringify(data).replace(/</g, '\\u003c');
}
