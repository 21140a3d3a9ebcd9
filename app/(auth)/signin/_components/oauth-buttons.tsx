'use client';
import { signIn } from 'next-auth/react';

export function OAuthButtons({
  providers,
  callbackUrl,
}: {
  providers: { id: string; name: string }[];
  callbackUrl: string;
}) {
  return (
    <div className="oauth">
      <h2>Or continue with</h2>
      {providers.map((p) => (
        <button
          key={p.id}
          type="button"
          className="button"
          onClick={() => void signIn(p.id, { callbackUrl })}
        >
          {p.name}
        </button>
      ))}
    </div>
  );
}
