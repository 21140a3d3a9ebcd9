import { hostname } from 'node:os';
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

  it('names the instance after its host and process unless INSTANCE_ID says otherwise', () => {
    expect(parseConfig({} as never).INSTANCE_ID).toBe(`${hostname()}:${process.pid}`);
    expect(parseConfig({ INSTANCE_ID: 'web-2' } as never).INSTANCE_ID).toBe('web-2');
    expect(() => parseConfig({ INSTANCE_ID: 'a b' } as never)).toThrow(
      /^Invalid configuration: INSTANCE_ID /,
    );
  });

  it('leaves metrics off unless METRICS_TOKEN is set, and checks METRICS_PORT', () => {
    const off = parseConfig({} as never);
    expect([off.METRICS_TOKEN, off.METRICS_PORT]).toEqual([undefined, undefined]);
    expect(parseConfig({ METRICS_PORT: '9464' } as never).METRICS_PORT).toBe(9464);
    expect(() => parseConfig({ METRICS_TOKEN: 'short' } as never)).toThrow(
      /METRICS_TOKEN must be at least 16/,
    );
    expect(() => parseConfig({ METRICS_PORT: '70000' } as never)).toThrow(/METRICS_PORT/);
  });

  it('drops a trailing slash from SITE_URL', () => {
    expect(parseConfig({ SITE_URL: 'https://news.example/' } as never).SITE_URL).toBe('https://news.example');
  });
});
