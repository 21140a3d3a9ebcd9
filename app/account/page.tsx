import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { getViewer } from '@/lib/auth/session';
import { getDb } from '@/lib/db/client';
import { mailEnabled } from '@/lib/mail/send';
import { getReplyEmails } from '@/lib/users/service';
import { pageMetadata } from '@/lib/seo/metadata';
import { AccountForms } from './_components/account-forms';

export const dynamic = 'force-dynamic';

export const metadata: Metadata = pageMetadata({
  title: 'Your account',
  description: 'Your account settings.',
  path: '/account',
  noindex: true,
});

export default async function AccountPage() {
  const viewer = await getViewer();
  if (!viewer) redirect('/signin?callbackUrl=%2Faccount');
  return (
    <div className="auth-page">
      <h1 className="page-title">Your account</h1>
      <AccountForms
        name={viewer.name}
        replyEmails={mailEnabled() ? await getReplyEmails(await getDb(), viewer.id) : null}
      />
    </div>
  );
}
