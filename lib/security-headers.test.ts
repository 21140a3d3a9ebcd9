import { describe, expect, it } from 'vitest';
import { securityHeaders } from './security-headers';

const asMap = (url: string) => new Map(securityHeaders(url).map((h) => [h.key, h.value]));

describe('securityHeaders', () => {
  it('sends a CSP with the required directives', () => {
    const csp = asMap('http://localhost:3000').get('Content-Security-Policy')!;
    for (const d of [
      "object-src 'none'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
      "form-action 'self'",
      "default-src 'self'",
    ]) {
      expect(csp).toContain(d);
    }
    expect(csp).not.toMatch(/unsafe-eval/);
  });

  it('has no ":" in any value, so Next sends them without compiling each per request', () => {
    for (const url of ['http://localhost:3000', 'https://news.example'])
      for (const { key, value } of securityHeaders(url)) expect(value, key).not.toContain(':');
  });

  it('adds HSTS only for https sites', () => {
    expect(asMap('http://localhost:3000').has('Strict-Transport-Security')).toBe(false);
    expect(asMap('https://news.example').get('Strict-Transport-Security')).toBe(
      'max-age=31536000; includeSubDomains',
    );
    expect(asMap('https://news.example').get('Content-Security-Policy')).toContain(
      'upgrade-insecure-requests',
    );
  });

  it('sends nosniff, referrer and opener policies', () => {
    const h = asMap('http://localhost:3000');
    expect(h.get('X-Content-Type-Options')).toBe('nosniff');
    expect(h.get('Referrer-Policy')).toBe('strict-origin-when-cross-origin');
    expect(h.get('Cross-Origin-Opener-Policy')).toBe('same-origin');
  });
});
