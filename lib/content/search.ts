import MiniSearch from 'minisearch';
import type { Article } from './model';

export type SearchHit = { article: Article; score: number; terms: string[] };

/**
 * Full-text index over titles, summaries and bodies (BM25 via MiniSearch), updated per changed
 * article rather than rebuilt. Documents are the store's Article objects: an unchanged file keeps
 * its object, so `sync` only touches what changed.
 */
export class SearchIndex {
  private index = new MiniSearch<Article>({
    idField: 'slug',
    fields: ['title', 'summary', 'text'],
    searchOptions: {
      boost: { title: 3, summary: 1.5 },
      prefix: (term) => term.length > 2,
      fuzzy: 0.15,
      combineWith: 'AND',
    },
  });
  private docs = new Map<string, Article>();

  /** Brings the index in line with `articles`; returns how many documents changed. */
  sync(articles: ReadonlyMap<string, Article>): number {
    let changed = 0;
    for (const [slug, doc] of this.docs) {
      if (articles.get(slug) !== doc) {
        this.index.discard(slug);
        this.docs.delete(slug);
        changed++;
      }
    }
    for (const [slug, article] of articles) {
      if (!this.docs.has(slug)) {
        this.index.add(article);
        this.docs.set(slug, article);
        changed++;
      }
    }
    return changed;
  }

  /** Ranked hits among the articles `visible` accepts (drafts and scheduled ones are filtered out). */
  search(query: string, visible: (a: Article) => boolean, limit = 50): SearchHit[] {
    const q = query.trim().slice(0, 200);
    if (!q) return [];
    const hits: SearchHit[] = [];
    for (const r of this.index.search(q)) {
      const article = this.docs.get(String(r.id));
      if (!article || !visible(article)) continue;
      hits.push({ article, score: r.score, terms: r.terms });
      if (hits.length >= limit) break;
    }
    return hits;
  }

  get size() {
    return this.docs.size;
  }
}

/**
 * The passage around the first matched term, as plain-text segments with the matches flagged, so
 * the page highlights them with <mark> without ever building HTML from content.
 */
export function snippet(text: string, terms: string[], radius = 90): { text: string; match: boolean }[] {
  const flat = text.replace(/\s+/g, ' ').trim();
  const escaped = [...new Set(terms)]
    .filter(Boolean)
    .sort((a, b) => b.length - a.length)
    .map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  if (escaped.length === 0) return [{ text: flat.slice(0, radius * 2), match: false }];
  const pattern = new RegExp(`(${escaped.join('|')})`, 'gi');
  const first = flat.search(pattern);
  const start = first < 0 ? 0 : Math.max(0, first - radius);
  const end = Math.min(flat.length, (first < 0 ? 0 : first) + radius);
  let window = flat.slice(start, end);
  if (start > 0) window = '…' + window.replace(/^\S*\s/, '');
  if (end < flat.length) window = window.replace(/\s\S*$/, '') + '…';
  // split() with a capturing group puts the matches at the odd indexes.
  return window
    .split(pattern)
    .map((part, i) => ({ text: part, match: i % 2 === 1 }))
    .filter((part) => part.text.length > 0);
}
