import { describe, expect, it } from 'vitest';
import { parseConfig } from './env';

describe('parseConfig', () => {
  it('applies the SPEC defaults', () => {
    const c = parseConfig({} as NodeJS.ProcessEnv);
    expect(c).toMatchObject({ PORT: 3000, CONTENT_DIR: './content', SITE_URL: 'http://localhost:3000' });
    expect(c.contentDir).toMatch(/content$/);
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('fails on one line naming the variable', () => {
    expect(() => parseConfig({ PORT: 'eighty' } as never)).toThrow(/^Invalid configuration: PORT /);
    expect(() => parseConfig({ SITE_URL: 'ftp://x' } as never)).toThrow(
      /^Invalid configuration: SITE_URL must be an absolute http\(s\) URL$/,
    );
    expect(() => parseConfig({ SITE_URL: 'not a url' } as never)).toThrow(/SITE_URL/);
  });

  it('drops a trailing slash from SITE_URL', () => {
    expect(parseConfig({ SITE_URL: 'https://news.example/' } as never).SITE_URL).toBe('https://news.example');
  });
});
