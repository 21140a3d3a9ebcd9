import type { Metadata } from 'next';
import { getMagicLink } from '@/lib/auth/queries';
import { pageMetadata } from '@/lib/seo/metadata';
import { Unavailable } from '@/components/unavailable';
import { renderOrUnavailable } from '@/lib/http/page';
import { ContinueForm } from './continue-form';

export const metadata: Metadata = pageMetadata({
  title: 'Finish signing in',
  description: 'Finish signing in.',
  path: '/signin/verify',
  noindex: true,
});

type Props = { searchParams: Promise<{ token?: string | string[] }> };

/**
 * The page an emailed link opens. Opening it changes nothing: only the Continue button's POST
 * uses the link, so mail scanners that follow links can't spend it (SPEC §5).
 */
export default async function VerifyPage({ searchParams }: Props) {
  const token = ([(await searchParams).token].flat()[0] ?? '').slice(0, 200);
  return renderOrUnavailable(
    () => renderVerify(token),
    () => <Unavailable retry={`/signin/verify?token=${encodeURIComponent(token)}`} />,
  );
}

async function renderVerify(token: string) {
  const link = await getMagicLink(token);
  return (
    <div className="auth-page">
      <h1 className="page-title">Finish signing in</h1>
      {link ? (
        <>
          <p>Press Continue to sign in on this device.</p>
          <ContinueForm token={token} callbackUrl={link.callbackUrl} />
        </>
      ) : (
        <p role="status">This link has expired or was already used. Ask for a new one on the sign-in page.</p>
      )}
    </div>
  );
}
