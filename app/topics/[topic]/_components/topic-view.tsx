import { FollowButton } from '@/app/islands';
import { JsonLd } from '@/components/json-ld';
import { KeyEvents } from '@/components/key-events';
import { LiveBadge } from '@/components/live-badge';
import { MdxBody } from '@/components/mdx/mdx-body';
import { Pagination } from '@/components/pagination';
import { StreamEntry } from '@/components/stream-item';
import { toTopicStreamData, type TopicStream } from '@/lib/content/queries';
import { liveBlogLd } from '@/lib/seo/structured-data';
import { LiveTopicStream } from './live-topic-stream';

export function TopicView({ data }: { data: TopicStream }) {
  const { topic, stream, keyEvents } = data;
  const first = stream.page === 1;
  const live = toTopicStreamData(data);
  return (
    <>
      {topic.live && <JsonLd data={liveBlogLd(topic, stream.items, data.startedAt)} />}
      <header>
        {topic.live && <LiveBadge />}
        <h1 className="page-title">{topic.title}</h1>
        <p className="lede">{topic.description}</p>
        <FollowButton topic={topic.slug} title={topic.title} />
        {topic.intro && first && <MdxBody html={topic.intro} />}
      </header>
      {first && <KeyEvents events={keyEvents} />}
      {first ? (
        // Page 1 stays live in the browser; older pages are history.
        <LiveTopicStream initial={live.data} etag={live.etag} />
      ) : (
        <section aria-labelledby="latest">
          <h2 id="latest" className="section-title">
            Latest
          </h2>
          <ol className="stream">
            {live.data.items.map((item) => (
              <li key={item.slug}>
                <StreamEntry item={item} />
              </li>
            ))}
          </ol>
        </section>
      )}
      <Pagination base={`/topics/${topic.slug}`} page={stream.page} pages={stream.pages} />
    </>
  );
}
