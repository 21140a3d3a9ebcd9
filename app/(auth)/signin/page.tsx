import type { Metadata } from 'next';
import Link from 'next/link';
import { safeCallbackUrl } from '@/lib/auth/callback-url';
import { config } from '@/lib/env';
import { pageMetadata } from '@/lib/seo/metadata';
import { MagicLinkForm } from './_components/magic-link-form';
import { OAuthButtons } from './_components/oauth-buttons';
import { SignInForm } from './_components/sign-in-form';

export const metadata: Metadata = pageMetadata({
  title: 'Sign in',
  description: 'Sign in to reply and follow topics.',
  path: '/signin',
  noindex: true,
});

type Props = { searchParams: Promise<{ callbackUrl?: string | string[] }> };

export default async function SignInPage({ searchParams }: Props) {
  const callbackUrl = safeCallbackUrl([(await searchParams).callbackUrl].flat()[0], config.SITE_URL);
  const oauth = [
    config.GITHUB_ID && { id: 'github', name: 'GitHub' },
    config.GOOGLE_ID && { id: 'google', name: 'Google' },
  ].filter((p): p is { id: string; name: string } => Boolean(p));
  return (
    <div className="auth-page">
      <h1 className="page-title">Sign in</h1>
      <SignInForm callbackUrl={callbackUrl} />
      {config.EMAIL_SERVER && <MagicLinkForm callbackUrl={callbackUrl} />}
      {oauth.length > 0 && <OAuthButtons providers={oauth} callbackUrl={callbackUrl} />}
      <p>
        New here?{' '}
        <Link href={`/signup?callbackUrl=${encodeURIComponent(callbackUrl)}`}>Create an account</Link>
      </p>
    </div>
  );
}
