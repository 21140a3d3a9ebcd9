import type { Config } from '../env';

export type Cookie = { name: string; value: string };

/** Name/value pairs of a Cookie header. */
export function parseCookies(header: string | null): Cookie[] {
  if (!header) return [];
  // As Next's own parser (@edge-runtime/cookies) reads it, so pages and next-auth's routes see the
  // same session: a name sent twice keeps its last value, and values are percent-decoded.
  const jar = new Map<string, string>();
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    const name = eq < 0 ? '' : part.slice(0, eq).trim();
    if (!name) continue;
    const raw = part.slice(eq + 1).trim();
    let value = raw;
    try {
      value = decodeURIComponent(raw);
    } catch {
      // kept as sent
    }
    jar.set(name, value);
  }
  return [...jar].map(([name, value]) => ({ name, value }));
}

/** next-auth's session cookie name (its default, which we don't override). */
export const sessionCookieName = (cfg: Pick<Config, 'SITE_URL'>) =>
  `${cfg.SITE_URL.startsWith('https://') ? '__Secure-' : ''}next-auth.session-token`;
