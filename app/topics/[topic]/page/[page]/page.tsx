import type { Metadata } from 'next';
import { notFound, permanentRedirect } from 'next/navigation';
import { getTopicStream, parsePageParam } from '@/lib/content/queries';
import { pageMetadata } from '@/lib/seo/metadata';
import { TopicView } from '../../_components/topic-view';

// Shared caches (CDN, proxy) may keep a copy for a minute; ours is invalidated on change (docs/decisions/003).
export const revalidate = 60;

export const dynamicParams = true;
export const generateStaticParams = async () => [];

type Props = { params: Promise<{ topic: string; page: string }> };

async function load(params: Props['params']) {
  const { topic, page } = await params;
  const n = parsePageParam(page);
  return n === null ? null : getTopicStream(topic, n);
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const data = await load(params);
  if (!data) return {};
  const { topic, stream } = data;
  return pageMetadata({
    title: `${topic.title}, page ${stream.page}`,
    description: topic.description,
    path: `/topics/${topic.slug}/page/${stream.page}`,
    topicFeed: { slug: topic.slug, title: topic.title },
  });
}

export default async function TopicOlderPage({ params }: Props) {
  const data = await load(params);
  if (!data) notFound();
  if (data.stream.page === 1) permanentRedirect(`/topics/${data.topic.slug}`);
  return <TopicView data={data} />;
}
