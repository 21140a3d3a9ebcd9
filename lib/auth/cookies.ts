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
