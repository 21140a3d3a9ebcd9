// Rules shared by the server and the browser: no imports, so no client bundle pays for them.

/** URL schemes a link may use, in replies (rendered on the server and again in the browser) and MDX. */
export const LINK_SCHEMES: ReadonlySet<string> = new Set(['http:', 'https:', 'mailto:']);

/** An absolute URL with an allowed scheme. */
export function isSafeAbsoluteLink(href: unknown): href is string {
  if (typeof href !== 'string') return false;
  try {
    return LINK_SCHEMES.has(new URL(href).protocol);
  } catch {
    return false;
  }
}

/**
 * An allowed scheme, or no colon at all (a relative link or an #anchor), as MDX links may be. Any
 * other colon counts as a scheme, so `java\nscript:` (which browsers read as javascript:) is refused.
 */
export function isSafeLink(href: string): boolean {
  const s = href.trim();
  const colon = s.indexOf(':');
  return colon < 0 || LINK_SCHEMES.has(s.slice(0, colon + 1).toLowerCase());
}

/** Every slug (topics, authors, articles): lower-case words joined by single hyphens. */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const SLUG_MAX_LENGTH = 200;
export const isSlug = (s: string) => s.length <= SLUG_MAX_LENGTH && SLUG_PATTERN.test(s);
