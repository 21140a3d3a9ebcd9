import type { Metadata } from 'next';
import Link from 'next/link';
import { getDeskChoices } from '@/lib/desk/queries';
import { Unavailable } from '@/components/unavailable';
import { renderOrUnavailable } from '@/lib/http/page';
import { ArticleForm } from '../_components/article-form';
import { deskMetadata, requireEditor } from '../require-editor';

export const dynamic = 'force-dynamic';

export const metadata: Metadata = deskMetadata('New article', 'Write a new article or update.', '/desk/new');

export default async function NewArticlePage() {
  return renderOrUnavailable(
    () => renderNewArticle(),
    () => <Unavailable retry="/desk/new" />,
  );
}

async function renderNewArticle() {
  await requireEditor('/desk/new');
  const choices = await getDeskChoices();
  return (
    <div className="desk desk-edit">
      <p className="desk-back">
        <Link href="/desk">Desk</Link>
      </p>
      <h1 className="page-title">New article</h1>
      <ArticleForm choices={choices} />
    </div>
  );
}
