import { describe, expect, it } from 'vitest';
import { parseConfig } from '../env';
import { buildAuthOptions } from './auth';

const options = (env: Record<string, string> = {}) =>
  buildAuthOptions(parseConfig({ AUTH_SECRET: 'x'.repeat(32), ...env } as unknown as NodeJS.ProcessEnv));
// next-auth merges a provider's `options` over its defaults when it starts, so the id given in options wins.
const idOf = (p: { id: string; options?: unknown }) => (p.options as { id?: string } | undefined)?.id ?? p.id;
const ids = (env?: Record<string, string>) => options(env).providers.map(idOf);

describe('auth configuration', () => {
  it('always offers email and password, and nothing else by default', () => {
    expect(ids()).toEqual(['password']);
  });

  it('offers magic links only with EMAIL_SERVER', () => {
    expect(ids({ EMAIL_SERVER: 'smtp://127.0.0.1:2525' })).toEqual(['password', 'magic-link']);
  });

  it('offers GitHub and Google only when both their variables are set, with PKCE and state', () => {
    const o = options({ GITHUB_ID: 'gh', GITHUB_SECRET: 's', GOOGLE_ID: 'g', GOOGLE_SECRET: 's' });
    expect(o.providers.map(idOf)).toEqual(['password', 'github', 'google']);
    for (const p of o.providers.slice(1)) {
      const provider = p as unknown as {
        options: { checks: string[]; allowDangerousEmailAccountLinking?: boolean };
      };
      expect(provider.options.checks).toEqual(expect.arrayContaining(['pkce', 'state']));
      expect(provider.options.allowDangerousEmailAccountLinking).toBeFalsy();
    }
    expect(() => options({ GITHUB_ID: 'gh' })).toThrow(/^Invalid configuration: GITHUB_SECRET is required/);
  });

  it('uses JWT sessions capped at 30 days, secure cookies on https', () => {
    expect(options().session).toMatchObject({ strategy: 'jwt', maxAge: 30 * 24 * 3600 });
    expect(options().useSecureCookies).toBe(false);
    expect(options({ SITE_URL: 'https://news.example' }).useSecureCookies).toBe(true);
  });

  it('only redirects within the site', async () => {
    const redirect = options().callbacks!.redirect!;
    expect(await redirect({ url: 'https://evil.example/x', baseUrl: 'http://localhost:3000' })).toBe(
      'http://localhost:3000/',
    );
    expect(await redirect({ url: '/account', baseUrl: 'http://localhost:3000' })).toBe(
      'http://localhost:3000/account',
    );
  });

  it('puts no email in the session', async () => {
    const session = await options().callbacks!.session!({
      session: { expires: '2030-01-01T00:00:00.000Z', user: { email: 'secret@example.org' } },
      token: { uid: 'u1', name: 'Ada', role: 'reader', email: 'secret@example.org' },
    } as never);
    expect(JSON.stringify(session)).not.toContain('@');
    expect(session).toEqual({
      expires: '2030-01-01T00:00:00.000Z',
      user: { id: 'u1', name: 'Ada', role: 'reader' },
    });
  });
});
