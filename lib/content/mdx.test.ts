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
    const body = ok(
      '| a | b |\n| - | - |\n| 1 | 2 |\n\n~~old~~ https://example.org and a note[^1]\n\n[^1]: The note.',
    );
    expect(body.html).toContain('<table>');
    expect(body.html).toContain('<del>old</del>');
    expect(body.html).toContain('<a href="https://example.org">https://example.org</a>');
    expect(body.html).toContain('id="fn-fn-1"');
  });

  it('renders the three components as plain HTML, escaping their text', () => {
    const body = ok(
      '<Figure src="/images/a.svg" alt="A &quot;map&quot;" caption="The <map>" credit="Staff" />\n\n<PullQuote by="A. Person">\nWords.\n</PullQuote>\n\n<Callout title="Note">\n**Bold**\n</Callout>',
    );
    expect(body.html).toContain(
      '<figure class="figure"><img src="/images/a.svg" alt="A &#x22;map&#x22;" width="1200" height="675" loading="lazy" decoding="async"><figcaption>The &#x3C;map><span class="credit"> Staff</span></figcaption></figure>',
    );
    expect(body.html).toContain(
      '<figure class="pull-quote"><blockquote><p>Words.</p></blockquote><figcaption>— A. Person</figcaption></figure>',
    );
    expect(body.html).toContain(
      '<aside class="callout" aria-label="Note"><p class="callout-title">Note</p><p><strong>Bold</strong></p></aside>',
    );
  });

  it('gives an uploaded image its widths and its real size, and any other image a 16:9 box', () => {
    const src = '/media/2026/03/0123456789abcdef-2000x1500-960.webp';
    expect(ok(`<Figure src="${src}" alt="Harbour" />`).html).toBe(
      '<figure class="figure"><img src="/media/2026/03/0123456789abcdef-2000x1500-960.webp" alt="Harbour" srcset="/media/2026/03/0123456789abcdef-2000x1500-480.webp 480w, /media/2026/03/0123456789abcdef-2000x1500-960.webp 960w, /media/2026/03/0123456789abcdef-2000x1500-1600.webp 1600w" sizes="(max-width: 720px) 100vw, 720px" width="960" height="720" loading="lazy" decoding="async"></figure>',
    );
    expect(ok('<Figure src="/images/a.svg" alt="Map" />').html).toBe(
      '<figure class="figure"><img src="/images/a.svg" alt="Map" width="1200" height="675" loading="lazy" decoding="async"></figure>',
    );
  });

  it('never lets markdown produce script or unsafe URLs', () => {
    expect(fail('[x](javascript:alert(1))').reason).toMatch(/must use http, https or mailto/);
    expect(fail('[x]: data:text/html,hi\n\n[y][x]').reason).toMatch(/must use http, https or mailto/);
    expect(fail('![x](https://tracker.example/p.gif)').reason).toMatch(/must be a path under public/);
    expect(ok('[a](/topics) [b](#top) [c](mailto:desk@example.org) [d](https://example.org)').html).toContain(
      'href="mailto:desk@example.org"',
    );
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
    [
      'an expression attribute',
      '<Figure src="/a.svg" alt={"x"} />',
      /JavaScript expressions are not allowed/,
    ],
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
