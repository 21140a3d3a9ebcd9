import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getAuthorPage } from '@/lib/content/queries';
import { pageMetadata } from '@/lib/seo/metadata';
import { AuthorView } from './_components/author-view';

// Shared caches (CDN, proxy) may keep a copy for a minute; ours is invalidated on change (docs/decisions/003).
export const revalidate = 60;

export const dynamicParams = true;
export const generateStaticParams = async () => [];

type Props = { params: Promise<{ author: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const data = await getAuthorPage((await params).author);
  if (!data) return {};
  const { author } = data;
  return pageMetadata({
    title: author.name,
    description: `Stories by ${author.name}${author.role ? `, ${author.role}` : ''}.`,
    path: `/authors/${author.slug}`,
  });
}

export default async function AuthorPage({ params }: Props) {
  const data = await getAuthorPage((await params).author);
  if (!data) notFound();
  return <AuthorView data={data} />;
}
