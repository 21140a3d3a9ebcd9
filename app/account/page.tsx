import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { getViewer } from '@/lib/auth/session';
import { PushSettings } from '@/components/push-settings';
import { config } from '@/lib/env';
import { getFeedTokenFor } from '@/lib/follows/queries';
import { getPushSubscriptionCount } from '@/lib/push/queries';
import { vapidKeys } from '@/lib/push/vapid';
import { mailEnabled } from '@/lib/mail/send';
import { getReplyEmailsFor } from '@/lib/users/queries';
import { pageMetadata } from '@/lib/seo/metadata';
import { Unavailable } from '@/components/unavailable';
import { renderOrUnavailable } from '@/lib/http/page';
import { AccountForms } from './_components/account-forms';
import { PrivateFeeds } from './_components/private-feeds';

export const dynamic = 'force-dynamic';

export const metadata: Metadata = pageMetadata({
  title: 'Your account',
  description: 'Your account settings.',
  path: '/account',
  noindex: true,
});

export default async function AccountPage() {
  return renderOrUnavailable(
    () => renderAccount(),
    () => <Unavailable retry="/account" />,
  );
}

async function renderAccount() {
  const viewer = await getViewer();
  if (!viewer) redirect('/signin?callbackUrl=%2Faccount');
  const [replyEmails, pushCount, token] = await Promise.all([
    getReplyEmailsFor(viewer.id),
    getPushSubscriptionCount(viewer.id),
    getFeedTokenFor(viewer.id),
  ]);
  return (
    <div className="auth-page">
      <h1 className="page-title">Your account</h1>
      <AccountForms name={viewer.name} replyEmails={mailEnabled() ? replyEmails : null} />
      <PushSettings publicKey={vapidKeys().publicKey} subscribed={pushCount > 0} />
      <PrivateFeeds siteUrl={config.SITE_URL} token={token} />
    </div>
  );
}
