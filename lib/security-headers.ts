import { config } from './env';

/**
 * The static Content-Security-Policy and its companions, sent on every response (SECURITY P21).
 *
 * Pages are cached and shared between readers, so they cannot carry a per-request nonce; scripts
 * are limited to our own origin plus Next's inline bootstrap ('unsafe-inline'). Reader text never
 * becomes HTML, so this is the second line of defence. Figures and the choice:
 * docs/decisions/004-csp-static-vs-nonce.md.
 */
function contentSecurityPolicy(siteUrl = config.SITE_URL): string {
  const https = siteUrl.startsWith('https://');
  return [
    "default-src 'self'",
    "script-src 'self' 'unsafe-inline'",
    "style-src 'self' 'unsafe-inline'",
    // No data: or blob: images: nothing here uses them, and a value with ':' in it is compiled by
    // Next with path-to-regexp on every request (~0.2 ms of CPU; docs/benchmarks.md, Replies).
    "img-src 'self'",
    "font-src 'self'",
    "connect-src 'self'",
    "media-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
    "manifest-src 'self'",
    "worker-src 'self'",
    ...(https ? ['upgrade-insecure-requests'] : []),
  ].join('; ');
}

export function securityHeaders(siteUrl = config.SITE_URL): { key: string; value: string }[] {
  return [
    { key: 'Content-Security-Policy', value: contentSecurityPolicy(siteUrl) },
    { key: 'X-Content-Type-Options', value: 'nosniff' },
    { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
    { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
    { key: 'X-Frame-Options', value: 'DENY' },
    { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), interest-cohort=()' },
    ...(siteUrl.startsWith('https://')
      ? [{ key: 'Strict-Transport-Security', value: 'max-age=31536000; includeSubDomains' }]
      : []),
  ];
}
