import { describe, expect, it } from 'vitest';
import { compileBody } from './mdx';

const ok = (source: string) => {
  const r = compileBody(source);
  if (!r.ok) throw new Error(`expected ok, got line ${r.line}: ${r.reason}`);
  return r.body;
};
const fail = (source: string, offset = 0) => {
  const r = compileBody(source, offset);
  if (r.ok) throw new Error('expected a content error');
  return r;
};

describe('compileBody', () => {
  it('parses GFM: tables, strikethrough, autolinks and footnotes', () => {
    const body = ok('| a | b |\n| - | - |\n| 1 | 2 |\n\n~~old~~ https://example.org and a note[^1]\n\n[^1]: The note.');
    const html = JSON.stringify(body.tree);
    expect(html).toContain('"tagName":"table"');
    expect(html).toContain('"tagName":"del"');
    expect(html).toContain('"href":"https://example.org"');
    expect(html).toContain('fn-fn-1');
  });

  it('turns the three components into elements with their string props', () => {
    const body = ok('<Figure src="/images/a.svg" alt="A map" caption="The map" />\n\n<PullQuote by="A. Person">\nWords.\n</PullQuote>\n\n<Callout>\n**Note**\n</Callout>');
    const names = body.tree.children.filter((n) => n.type === 'element').map((n) => (n as { tagName: string }).tagName);
    expect(names).toEqual(['Figure', 'PullQuote', 'Callout']);
    expect(body.tree.children[0]).toMatchObject({ properties: { src: '/images/a.svg', alt: 'A map', caption: 'The map' } });
  });

  it('gives plain text, the first paragraph and a word count', () => {
    const body = ok('## Heading\n\nFirst *para* here.\n\nSecond one.');
    expect(body.firstParagraph).toBe('First para here.');
    expect(body.text).toContain('Second one.');
    expect(body.words).toBe(6);
  });

  it.each([
    ['an expression', 'Two is {1 + 1}.', /JavaScript expressions/],
    ['a flow expression', '{alert(1)}', /JavaScript expressions/],
    ['an import', 'import x from "y"\n\nText', /import and export/],
    ['an export', 'export const a = 1\n\nText', /import and export/],
    ['an expression attribute', '<Figure src="/a.svg" alt={"x"} />', /JavaScript expressions are not allowed/],
    ['a spread attribute', '<Callout {...props}>x</Callout>', /spread/],
    ['raw HTML', '<script>alert(1)</script>', /unknown component or HTML tag <script>/],
    ['an unknown component', '<Video src="/a.mp4" />', /unknown component or HTML tag <Video>/],
    ['a fragment', '<>x</>', /fragments/],
    ['a Figure without alt', '<Figure src="/a.svg" />', /Figure.*alt/],
    ['a remote Figure image', '<Figure src="https://evil.example/a.png" alt="x" />', /path under public/],
    ['an unknown prop', '<Callout onClick="x">y</Callout>', /Callout/],
  ])('refuses %s', (_name, source, reason) => {
    expect(fail(source).reason).toMatch(reason);
  });

  it('reports MDX syntax errors with the line, counted from the top of the file', () => {
    const r = fail('Fine.\n\nStill fine.\n\n<Callout>\nunclosed', 5);
    expect(r.reason).toMatch(/MDX syntax/);
    expect(r.line).toBeGreaterThanOrEqual(10);
  });

  it('names the line of a forbidden construct', () => {
    expect(fail('One.\n\nTwo.\n\n{x}', 4).line).toBe(9);
  });
});
