import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getTopicStream } from '@/lib/content/queries';
import { pageMetadata } from '@/lib/seo/metadata';
import { TopicView } from './_components/topic-view';

// Shared caches (CDN, proxy) may keep a copy for a minute; ours is invalidated on change (docs/decisions/003).
export const revalidate = 60;

// Rendered on first request, then cached until content changes (docs/decisions/003-page-cache.md).
export const dynamicParams = true;
export const generateStaticParams = async () => [];

type Props = { params: Promise<{ topic: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const data = await getTopicStream((await params).topic);
  if (!data) return {};
  const { topic } = data;
  return pageMetadata({
    title: topic.live ? `${topic.title} (live)` : topic.title,
    description: topic.description,
    path: `/topics/${topic.slug}`,
    topicFeed: { slug: topic.slug, title: topic.title },
  });
}

export default async function TopicPage({ params }: Props) {
  const data = await getTopicStream((await params).topic);
  if (!data) notFound();
  return <TopicView data={data} />;
}
