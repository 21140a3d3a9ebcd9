import { config } from '../env';
import type { Article, Author, Topic } from '../content/model';
import { absoluteUrl } from './metadata';

const publisher = () => ({ '@type': 'Organization', name: config.SITE_NAME, url: config.SITE_URL });

/** schema.org NewsArticle for an article page. */
export function newsArticleLd(article: Article, authors: Author[]) {
  return {
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    headline: article.title,
    description: article.summary,
    datePublished: article.publishedAt,
    dateModified: article.updatedAt ?? article.publishedAt,
    mainEntityOfPage: absoluteUrl(`/articles/${article.slug}`),
    image: article.image ? [absoluteUrl(article.image.src)] : undefined,
    author: authors.map((a) => ({ '@type': 'Person', name: a.name, url: absoluteUrl(`/authors/${a.slug}`) })),
    publisher: publisher(),
  };
}

/** schema.org LiveBlogPosting for a live topic, with its latest updates. */
export function liveBlogLd(topic: Topic, items: Article[], startedAt: string | null) {
  return {
    '@context': 'https://schema.org',
    '@type': 'LiveBlogPosting',
    headline: topic.title,
    description: topic.description,
    url: absoluteUrl(`/topics/${topic.slug}`),
    coverageStartTime: startedAt ?? undefined,
    dateModified: items[0]?.updatedAt ?? items[0]?.publishedAt,
    publisher: publisher(),
    liveBlogUpdate: items.slice(0, 20).map((a) => ({
      '@type': 'BlogPosting',
      headline: a.title,
      datePublished: a.publishedAt,
      url: absoluteUrl(`/articles/${a.slug}`),
      articleBody: a.kind === 'update' ? a.text.slice(0, 1000) : a.summary,
    })),
  };
}
