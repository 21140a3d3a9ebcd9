import type { MetadataRoute } from 'next';
import { listSitemap } from '@/lib/content/queries';
import { absoluteUrl } from '@/lib/seo/metadata';

// Shared caches (CDN, proxy) may keep a copy for a minute; ours is invalidated on change (docs/decisions/003).
export const revalidate = 60;

export default async function sitemap(): Promise<MetadataRoute.Sitemap> {
  const { articles, topics, authors } = await listSitemap();
  const latest = articles[0]?.updatedAt ?? articles[0]?.publishedAt;
  return [
    { url: absoluteUrl('/'), lastModified: latest, changeFrequency: 'always', priority: 1 },
    { url: absoluteUrl('/topics'), changeFrequency: 'daily' },
    ...topics.map((t) => ({
      url: absoluteUrl(`/topics/${t.slug}`),
      changeFrequency: t.live ? ('always' as const) : ('hourly' as const),
    })),
    ...authors.map((a) => ({ url: absoluteUrl(`/authors/${a.slug}`) })),
    ...articles.map((a) => ({
      url: absoluteUrl(`/articles/${a.slug}`),
      lastModified: a.updatedAt ?? a.publishedAt,
    })),
  ];
}
