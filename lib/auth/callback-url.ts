/**
 * Where to go after signing in: a path on this site, never another origin (SECURITY P7). Anything
 * else, including protocol-relative `//evil.example` and `/\evil.example`, becomes `/`.
 */
export function safeCallbackUrl(raw: unknown, siteUrl: string): string {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 2000) return '/';
  let url: URL;
  try {
    url = new URL(raw, siteUrl + '/');
  } catch {
    return '/';
  }
  if (url.origin !== new URL(siteUrl).origin) return '/';
  if (/^\/[\\/]/.test(url.pathname)) return '/';
  const target = url.pathname + url.search + url.hash;
  // Don't bounce back into the sign-in pages themselves.
  return /^\/(signin|signup)(\/|$)/.test(url.pathname) ? '/' : target;
}
