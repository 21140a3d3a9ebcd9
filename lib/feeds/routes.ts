import 'server-only';
import { getAuthorNames, listFeedArticles, listFeedArticlesOfTopics } from '../content/queries';
import { getDb } from '../server';
import { config } from '../env';
import { listFollows, userByFeedToken } from '../follows/service';
import { withDatabase } from '../http/json';
import { buildFeed, feedResponse, type FeedFormat } from './build';

/** GET handler body for a site or topic feed; 404 for an unknown topic. */
export async function serveFeed(format: FeedFormat, topicSlug?: string): Promise<Response> {
  const data = await listFeedArticles(topicSlug);
  if (!data) return new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain' } });
  return feedResponse(buildFeed({ ...data, authors: await getAuthorNames() }, format), format);
}

/** A reader's private feed of the topics they follow; 404 for an unknown (or reset) token. */
export const servePersonalFeed = withDatabase(
  async (format: FeedFormat, token: string): Promise<Response> => {
    const db = await getDb();
    const userId = await userByFeedToken(db, token);
    if (!userId) return new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain' } });
    const follows = await listFollows(db, userId);
    const [articles, authors] = await Promise.all([
      listFeedArticlesOfTopics(follows.map((f) => f.topic)),
      getAuthorNames(),
    ]);
    const base = `/following/${token}`;
    const body = buildFeed(
      {
        topic: null,
        articles,
        authors,
        personal: {
          title: `Your topics · ${config.SITE_NAME}`,
          paths: { rss: `${base}/rss.xml`, atom: `${base}/atom.xml`, json: `${base}/feed.json` },
        },
      },
      format,
    );
    return feedResponse(body, format, true);
  },
);
