import 'server-only';
import { getAuthorNames, listFeedArticles } from '../content/queries';
import { buildFeed, feedResponse, type FeedFormat } from './build';

/** GET handler body for a site or topic feed; 404 for an unknown topic. */
export async function serveFeed(format: FeedFormat, topicSlug?: string): Promise<Response> {
  const data = await listFeedArticles(topicSlug);
  if (!data) return new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain' } });
  return feedResponse(buildFeed({ ...data, authors: await getAuthorNames() }, format), format);
}
