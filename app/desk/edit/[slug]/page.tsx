import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getArticleForm, getDeskChoices } from '@/lib/desk/queries';
import { isSlug } from '@/lib/links';
import { Unavailable } from '@/components/unavailable';
import { renderOrUnavailable } from '@/lib/http/page';
import { ArticleForm } from '../../_components/article-form';
import { deskMetadata, requireEditor } from '../../require-editor';

export const dynamic = 'force-dynamic';

type Props = {
  params: Promise<{ slug: string }>;
  searchParams: Promise<{ saved?: string | string[] }>;
};

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { slug } = await params;
  return deskMetadata('Edit article', 'Edit an article or update.', `/desk/edit/${slug}`);
}

export default async function EditArticlePage(props: Props) {
  const { slug } = await props.params;
  return renderOrUnavailable(
    () => renderEditArticle(slug, props),
    () => <Unavailable retry={`/desk/edit/${encodeURIComponent(slug)}`} />,
  );
}

async function renderEditArticle(slug: string, { searchParams }: Props) {
  await requireEditor(`/desk/edit/${slug}`);
  const [article, choices] = isSlug(slug)
    ? await Promise.all([getArticleForm(slug), getDeskChoices()])
    : [null];
  if (!article || !choices) notFound();
  return (
    <div className="desk desk-edit">
      <p className="desk-back">
        <Link href="/desk">Desk</Link>
      </p>
      <h1 className="page-title">Edit: {article.title}</h1>
      <p className="meta">
        <code>{article.file}</code> · <Link href={`/desk/history/${slug}`}>History</Link> ·{' '}
        <Link href={`/articles/${slug}`}>Article page</Link>
      </p>
      <ArticleForm article={article} choices={choices} saved={(await searchParams).saved === '1'} />
    </div>
  );
}
