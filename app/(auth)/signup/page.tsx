import type { Metadata } from 'next';
import Link from 'next/link';
import { safeCallbackUrl } from '@/lib/auth/callback-url';
import { config } from '@/lib/env';
import { pageMetadata } from '@/lib/seo/metadata';
import { SignUpForm } from './_components/sign-up-form';

export const metadata: Metadata = pageMetadata({
  title: 'Create an account',
  description: 'Create an account to reply and follow topics.',
  path: '/signup',
  noindex: true,
});

type Props = { searchParams: Promise<{ callbackUrl?: string | string[] }> };

export default async function SignUpPage({ searchParams }: Props) {
  const callbackUrl = safeCallbackUrl([(await searchParams).callbackUrl].flat()[0], config.SITE_URL);
  return (
    <div className="auth-page">
      <h1 className="page-title">Create an account</h1>
      <p>Your name is shown with your replies. Your email is never shown to anyone.</p>
      <SignUpForm callbackUrl={callbackUrl} />
      <p>
        Already have an account?{' '}
        <Link href={`/signin?callbackUrl=${encodeURIComponent(callbackUrl)}`}>Sign in</Link>
      </p>
    </div>
  );
}
