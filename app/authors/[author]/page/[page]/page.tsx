import type { Metadata } from 'next';
import { notFound, permanentRedirect } from 'next/navigation';
import { getAuthorPage, parsePageParam } from '@/lib/content/queries';
import { pageMetadata } from '@/lib/seo/metadata';
import { AuthorView } from '../../_components/author-view';

// Shared caches (CDN, proxy) may keep a copy for a minute; ours is invalidated on change (docs/decisions/003).
export const revalidate = 60;

export const dynamicParams = true;
export const generateStaticParams = async () => [];

type Props = { params: Promise<{ author: string; page: string }> };

async function load(params: Props['params']) {
  const { author, page } = await params;
  const n = parsePageParam(page);
  return n === null ? null : getAuthorPage(author, n);
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const data = await load(params);
  if (!data) return {};
  return pageMetadata({
    title: `${data.author.name}, page ${data.articles.page}`,
    description: `Stories by ${data.author.name}.`,
    path: `/authors/${data.author.slug}/page/${data.articles.page}`,
  });
}

export default async function AuthorOlderPage({ params }: Props) {
  const data = await load(params);
  if (!data) notFound();
  if (data.articles.page === 1) permanentRedirect(`/authors/${data.author.slug}`);
  return <AuthorView data={data} />;
}
