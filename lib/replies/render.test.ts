import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
// The tree exists to be drawn by this component; the safety tests check the HTML it gives.
// eslint-disable-next-line no-restricted-imports -- test of the pair, not a runtime import
import { ReplyBody } from '@/components/reply-body';
import {
  countLinks,
  parseReply,
  plainParagraphs,
  renderReply,
  type ReplyBlock,
  type ReplyInline,
} from './render';

const html = (body: string) =>
  renderToStaticMarkup(createElement(ReplyBody, { blocks: renderReply(body).blocks }));
const htmlOf = (blocks: ReplyBlock[]) => renderToStaticMarkup(createElement(ReplyBody, { blocks }));
const blocksOf = (body: string) => renderReply(body).blocks;
/** Text the way React escapes it in markup. */
const escaped = (text: string) =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#x27;');

function blockDepth(blocks: ReplyBlock[]): number {
  return Math.max(
    0,
    ...blocks.map((b) =>
      b.t === 'quote'
        ? 1 + blockDepth(b.c)
        : b.t === 'list'
          ? 1 + Math.max(0, ...b.items.map(blockDepth))
          : 0,
    ),
  );
}

function inlineDepth(nodes: ReplyInline[]): number {
  return Math.max(0, ...nodes.map((n) => (typeof n !== 'string' && 'c' in n ? 1 + inlineDepth(n.c) : 0)));
}

function allInlines(blocks: ReplyBlock[]): ReplyInline[] {
  const found: ReplyInline[] = [];
  const walkInline = (n: ReplyInline) => {
    found.push(n);
    if (typeof n !== 'string' && 'c' in n) n.c.forEach(walkInline);
  };
  const walk = (b: ReplyBlock) => {
    if (b.t === 'p') b.c.forEach(walkInline);
    else if (b.t === 'quote') b.c.forEach(walk);
    else if (b.t === 'list') b.items.forEach((item) => item.forEach(walk));
  };
  blocks.forEach(walk);
  return found;
}

const ALLOWED_TAGS = new Set([
  'p',
  'em',
  'strong',
  'del',
  'code',
  'pre',
  'blockquote',
  'ul',
  'ol',
  'li',
  'br',
  'a',
]);
const FORBIDDEN =
  /<(?:script|img|svg|iframe|object|embed|style|math|form|meta|base|noscript|template|link|input|video|source|xmp|details|body|textarea|isindex)/i;
const SAFE_HREF = /^(?:https?:\/\/|mailto:)/;

/** Fails unless the markup is only the allowed tags, with safe hrefs and no other attributes. */
/** Links kept in a tree. */
function anchorsIn(blocks: ReplyBlock[]): number {
  let n = 0;
  const inline = (nodes: ReplyInline[]): void => {
    for (const node of nodes) {
      if (typeof node === 'string' || node.t === 'code' || node.t === 'br') continue;
      if (node.t === 'a') n++;
      inline(node.c);
    }
  };
  const walk = (list: ReplyBlock[]): void => {
    for (const b of list) {
      if (b.t === 'p') inline(b.c);
      else if (b.t === 'quote') walk(b.c);
      else if (b.t === 'list') b.items.forEach(walk);
    }
  };
  walk(blocks);
  return n;
}

/** The text a tree shows. */
function textOf(blocks: ReplyBlock[]): string {
  const inline = (nodes: ReplyInline[]): string =>
    nodes
      .map((node) =>
        typeof node === 'string'
          ? node
          : node.t === 'code'
            ? node.v
            : node.t === 'br'
              ? '\n'
              : inline(node.c),
      )
      .join('');
  return blocks
    .map((b) =>
      b.t === 'p'
        ? inline(b.c)
        : b.t === 'pre'
          ? b.v
          : b.t === 'quote'
            ? textOf(b.c)
            : b.items.map(textOf).join('\n'),
    )
    .join('\n');
}

function expectInert(markup: string, blocks: ReplyBlock[]) {
  expect(markup).not.toMatch(FORBIDDEN);
  for (const [tag, name = '', attrs = ''] of markup.matchAll(/<\/?([a-zA-Z][\w:-]*)([^>]*)>/g)) {
    expect(ALLOWED_TAGS, tag).toContain(name.toLowerCase());
    expect(attrs, tag).not.toMatch(/\son\w+\s*=/i);
    // Only href and rel, each quoted as React writes them; a bare "/" closes <br/>.
    expect(
      attrs
        .replace(/\s(?:href|rel)="[^"]*"/g, '')
        .replace(/\/$/, '')
        .trim(),
      tag,
    ).toBe('');
    const rel = /\srel="([^"]*)"/.exec(attrs)?.[1];
    if (name === 'a' && !tag.startsWith('</')) expect(rel, tag).toBe('nofollow ugc noopener');
  }
  for (const [, href = ''] of markup.matchAll(/\shref="([^"]*)"/g)) {
    expect(href.replace(/&amp;/g, '&')).toMatch(SAFE_HREF);
  }
  for (const node of allInlines(blocks)) {
    if (typeof node !== 'string' && node.t === 'a') expect(node.href).toMatch(SAFE_HREF);
  }
}

describe('renderReply: constructs', () => {
  it('keeps paragraphs, emphasis, strong, strikethrough, inline code and hard breaks', () => {
    expect(blocksOf('a *b* **c** ~~d~~ `<e>`\nsoft  \nhard\n\nnext')).toEqual([
      {
        t: 'p',
        c: [
          'a ',
          { t: 'em', c: ['b'] },
          ' ',
          { t: 'strong', c: ['c'] },
          ' ',
          { t: 'del', c: ['d'] },
          ' ',
          { t: 'code', v: '<e>' },
          '\nsoft',
          { t: 'br' },
          'hard',
        ],
      },
      { t: 'p', c: ['next'] },
    ]);
  });

  it('keeps code blocks, fenced and indented, verbatim', () => {
    expect(blocksOf('```js\nconst a = "<b>";\n```\n\n    indented *x*')).toEqual([
      { t: 'pre', v: 'const a = "<b>";' },
      { t: 'pre', v: 'indented *x*' },
    ]);
  });

  it('keeps block quotes and lists, ordered and not, with nesting', () => {
    expect(blocksOf('> quoted\n>\n> > inner\n\n1. one\n2. two\n   - sub\n\n- [ ] todo\n- [x] done')).toEqual([
      {
        t: 'quote',
        c: [
          { t: 'p', c: ['quoted'] },
          { t: 'quote', c: [{ t: 'p', c: ['inner'] }] },
        ],
      },
      {
        t: 'list',
        ordered: true,
        items: [
          [{ t: 'p', c: ['one'] }],
          [
            { t: 'p', c: ['two'] },
            { t: 'list', ordered: false, items: [[{ t: 'p', c: ['sub'] }]] },
          ],
        ],
      },
      { t: 'list', ordered: false, items: [[{ t: 'p', c: ['[ ] todo'] }], [{ t: 'p', c: ['[x] done'] }]] },
    ]);
  });

  it('keeps http, https and mailto links, and autolinks bare URLs, www and e-mail addresses', () => {
    expect(
      blocksOf(
        '[a](https://a.example/x?q=1) <http://b.example> https://c.example www.d.example [e](mailto:e@f.example) g@h.example',
      ),
    ).toEqual([
      {
        t: 'p',
        c: [
          { t: 'a', href: 'https://a.example/x?q=1', c: ['a'] },
          ' ',
          { t: 'a', href: 'http://b.example/', c: ['http://b.example'] },
          ' ',
          { t: 'a', href: 'https://c.example/', c: ['https://c.example'] },
          ' ',
          { t: 'a', href: 'http://www.d.example/', c: ['www.d.example'] },
          ' ',
          { t: 'a', href: 'mailto:e@f.example', c: ['e'] },
          ' ',
          { t: 'a', href: 'mailto:g@h.example', c: ['g@h.example'] },
        ],
      },
    ]);
  });

  it('resolves reference links through their definition and drops the definition', () => {
    expect(blocksOf('[full][r], [r][] and [r]\n\n[r]: https://r.example "title"')).toEqual([
      {
        t: 'p',
        c: [
          { t: 'a', href: 'https://r.example/', c: ['full'] },
          ', ',
          { t: 'a', href: 'https://r.example/', c: ['r'] },
          ' and ',
          { t: 'a', href: 'https://r.example/', c: ['r'] },
        ],
      },
    ]);
    expect(blocksOf('[no][such] ref')).toEqual([{ t: 'p', c: ['[no][such] ref'] }]);
  });

  it('shows images as their alt text and an empty link as its address', () => {
    expect(blocksOf('![a *cat*](https://i.example/c.png) [](https://e.example)')).toEqual([
      { t: 'p', c: ['a cat ', { t: 'a', href: 'https://e.example/', c: ['https://e.example/'] }] },
    ]);
  });

  it('turns headings into paragraphs, tables into rows of cell text, and drops rules and footnotes', () => {
    expect(
      blocksOf('# Title\n\n---\n\n| a | **b** |\n|---|---|\n| 1 | 2 |\n\nnote[^1]\n\n[^1]: the footnote'),
    ).toEqual([
      { t: 'p', c: ['Title'] },
      { t: 'p', c: ['a | ', { t: 'strong', c: ['b'] }] },
      { t: 'p', c: ['1 | 2'] },
      { t: 'p', c: ['note'] },
    ]);
  });

  it('renders the tree as plain elements', () => {
    expect(html('Hi *there* [x](https://x.example)\n\n> q\n\n- a\n\n```\n<b>\n```')).toBe(
      '<p>Hi <em>there</em> <a href="https://x.example/" rel="nofollow ugc noopener">x</a></p>' +
        '<blockquote><p>q</p></blockquote><ul><li><p>a</p></li></ul><pre><code>&lt;b&gt;</code></pre>',
    );
  });

  it('gives nothing for an empty or blank body', () => {
    expect(renderReply('')).toEqual({ blocks: [], links: 0 });
    expect(renderReply(' \n\n\t ')).toEqual({ blocks: [], links: 0 });
  });
});

describe('renderReply: raw HTML', () => {
  it('shows inline and block HTML as its literal text, merged with the text around it', () => {
    expect(blocksOf('a <b>bold</b> <i>x</i>')).toEqual([{ t: 'p', c: ['a <b>bold</b> <i>x</i>'] }]);
    expect(blocksOf('<div>\n<script>alert(1)</script>\n</div>')).toEqual([
      { t: 'p', c: ['<div>', { t: 'br' }, '<script>alert(1)</script>', { t: 'br' }, '</div>'] },
    ]);
    expect(html('<b>x</b>')).toBe('<p>&lt;b&gt;x&lt;/b&gt;</p>');
  });

  it('keeps entities as the characters they stand for, escaped again on output', () => {
    expect(html('&lt;script&gt; &amp; &#60;b&#62;')).toBe('<p>&lt;script&gt; &amp; &lt;b&gt;</p>');
  });
});

describe('renderReply: link allowlist', () => {
  const dropped: [string, string][] = [
    ['relative', '[x](/admin)'],
    ['fragment', '[x](#top)'],
    ['protocol-relative', '[x](//evil.example)'],
    ['javascript', '[x](javascript:alert(1))'],
    ['ftp', '[x](ftp://files.example)'],
    ['file', '[x](file:///etc/passwd)'],
    ['data', '[x](data:text/html,hi)'],
    ['vbscript', '[x](vbscript:msgbox(1))'],
    ['tel', '[x](tel:+100)'],
  ];
  it.each(dropped)('drops a %s link and keeps its text', (_, body) => {
    expect(renderReply(body)).toEqual({ blocks: [{ t: 'p', c: ['x'] }], links: 1 });
  });

  it('re-checks the scheme when rendering a stored tree', () => {
    const tampered: ReplyBlock[] = [
      {
        t: 'p',
        c: [
          { t: 'a', href: 'javascript:alert(1)', c: ['a'] },
          { t: 'a', href: ' JAVASCRIPT:alert(1)', c: ['b'] },
          { t: 'a', href: '/relative', c: ['c'] },
          { t: 'a', href: 'https://ok.example/', c: ['d'] },
        ],
      },
    ];
    expect(htmlOf(tampered)).toBe(
      '<p>abc<a href="https://ok.example/" rel="nofollow ugc noopener">d</a></p>',
    );
  });
});

describe('renderReply: link count', () => {
  const counts: [string, string, number][] = [
    ['plain text', 'no links here, just example.com and a: colon', 0],
    ['one markdown link', '[a](https://a.example)', 1],
    ['two markdown links', '[a](https://a.example) [b](http://b.example)', 2],
    ['bare URLs', 'see https://a.example and http://b.example/x', 2],
    ['bare www', 'www.a.example and www.b.example', 2],
    ['angle autolinks', '<https://a.example> <mailto:x@y.example>', 2],
    ['e-mail addresses', 'write to a@b.example', 1],
    ['references, each use', '[a][r] [b][r]\n\n[r]: https://r.example', 2],
    ['unused definition', '[r]: https://r.example', 0],
    ['images', '![a](https://i.example/a.png)', 0],
    ['code', '`https://a.example`\n\n```\nwww.b.example\n```', 0],
    ['disallowed schemes', '[a](javascript:alert(1)) <javascript:alert(2)>', 2],
    ['relative and data', '[a](/x) [b](data:text/html,x)', 2],
    ['raw HTML anchors', '<a href="https://spam.example">buy</a> <a href=javascript:x>y</a>', 2],
    ['bare URL in raw HTML', '<div>\nhttps://spam.example\n</div>', 1],
    ['nested in quotes and lists', '> - [a](https://a.example)\n>   - www.b.example', 2],
    ['inside a deeply nested quote', '> '.repeat(30) + 'https://a.example https://b.example', 2],
  ];
  it.each(counts)('%s', (_, body, n) => {
    expect(renderReply(body).links).toBe(n);
    expect(countLinks(body)).toBe(n);
  });
});

describe('renderReply: depth cap', () => {
  it('flattens quotes deeper than six levels into paragraphs, keeping the text', () => {
    const blocks = blocksOf('> '.repeat(20) + 'deep\n\n' + '>'.repeat(12) + ' also');
    expect(blockDepth(blocks)).toBe(6);
    expect(htmlOf(blocks)).toContain('<p>deep</p>');
    expect(htmlOf(blocks)).toContain('<p>also</p>');
  });

  it('flattens lists nested by indentation, and mixes of lists and quotes', () => {
    const nested = Array.from({ length: 12 }, (_, i) => `${'  '.repeat(i)}- item ${i}`).join('\n');
    const blocks = blocksOf(nested);
    expect(blockDepth(blocks)).toBe(6);
    expect(htmlOf(blocks)).toContain('<p>item 11</p>');
    expect(blockDepth(blocksOf('> - 1. '.repeat(30) + 'x'))).toBe(6);
  });

  it('caps inline nesting', () => {
    const blocks = blocksOf('*_'.repeat(40) + 'x' + '_*'.repeat(40));
    expect(inlineDepth(allInlines(blocks).filter((n) => typeof n !== 'string'))).toBeLessThanOrEqual(10);
    expect(htmlOf(blocks)).toContain('x');
  });

  it('leaves long runs of markers inside indented code as they are', () => {
    expect(blocksOf('    ' + '>'.repeat(30))).toEqual([{ t: 'pre', v: '>'.repeat(30) }]);
  });

  it('handles 5,000 nested markers on one line', () => {
    for (const body of [
      '>'.repeat(5000),
      '> '.repeat(2500),
      '1. '.repeat(1666),
      '- '.repeat(2500),
      '> * '.repeat(1250),
    ]) {
      const { blocks } = renderReply(body);
      expect(blockDepth(blocks)).toBeLessThanOrEqual(6);
      expectInert(htmlOf(blocks), blocks);
    }
  });
});

// mulberry32: a fixed seed makes any failure reproducible.
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('renderReply: the plain-text shortcut', () => {
  it("is taken for prose and gives exactly the parser's tree", () => {
    for (const body of [
      'Hello world',
      'Thanks for this. It’s the clearest account I’ve read (so far) — 40% of it, anyway!',
      'one\ntwo',
      '\n\nfirst\n\n\n\nsecond\n',
      'Zürich, Ελλάδα, 東京, नमस्ते',
      'Reply #12: 4.2 m/s at 3/4 of the gauge, 2+2=4',
    ]) {
      expect(plainParagraphs(body), body).not.toBeNull();
      expect(renderReply(body), body).toEqual(parseReply(body));
    }
  });

  it('is not taken where Markdown could begin', () => {
    for (const body of [
      'a  \nb',
      'a\n- b',
      '- a',
      '1. a',
      '2024) a',
      '    code',
      'go to www.example.com',
      'see http://example.com',
      '# heading',
      'a\n===',
      'a\n---',
      'a *b*',
      '<b>',
      'a\tb',
      'a\r\nb',
      'a@b.example',
    ])
      expect(plainParagraphs(body), JSON.stringify(body)).toBeNull();
  });

  it('agrees with the parser on 3,000 random strings of prose characters and markers', () => {
    const next = random(424242);
    const pieces = [
      ...'abcXYZ09 ,.;:!?\'"()%#/+=…’—-\n'.split(''),
      '# ',
      '==',
      'http://',
      '\n\n',
      ' \n',
      '1. ',
      '2)',
      '- ',
      'www.',
      'Ünï',
    ];
    let plain = 0;
    for (let i = 0; i < 3000; i++) {
      let body = '';
      const length = 1 + Math.floor(next() * 60);
      while (body.length < length) body += pieces[Math.floor(next() * pieces.length)];
      if (plainParagraphs(body)) plain++;
      expect(renderReply(body), JSON.stringify(body)).toEqual(parseReply(body));
    }
    expect(plain).toBeGreaterThan(300); // the shortcut was exercised, not only the parser
  });
});

describe('renderReply: never throws', () => {
  const PIECES = [
    ...'*_~`[]()<>!#>-+|:\\&;"\' \n\n\t\r1.)xyz'.split(''),
    'http://',
    'https://a.b',
    'www.',
    'javascript:',
    'mailto:',
    '<script>',
    '<img src=x onerror=alert(1)>',
    '&#106;',
    '&amp;',
    '[^1]',
    '[r]: ',
    '```',
    '    ',
    '| --- |',
    '\u202e',
    '\u0000',
    '\ud800',
    '😀',
  ];

  it('gives a safe tree for 400 random strings', () => {
    const next = random(20261128);
    for (let i = 0; i < 400; i++) {
      const length = Math.floor(next() * (i % 20 === 0 ? 5000 : 300));
      let body = '';
      while (body.length < length) {
        body +=
          next() < 0.7
            ? PIECES[Math.floor(next() * PIECES.length)]
            : String.fromCharCode(Math.floor(next() * 0x3000));
      }
      body = body.slice(0, 5000);
      const result = renderReply(body);
      expect(Array.isArray(result.blocks), JSON.stringify(body)).toBe(true);
      // Every link kept in the tree was counted (the moderation rule counts dropped ones too).
      expect(result.links, JSON.stringify(body)).toBeGreaterThanOrEqual(anchorsIn(result.blocks));
      expectInert(htmlOf(result.blocks), result.blocks);
    }
  });

  it('renders odd but valid strings as inert text, with no links and nothing lost', () => {
    for (const [body, shows] of [
      ['\u0000', ''],
      ['\ud800\udc00\ud800', '\ud800\udc00'],
      ['\r\r\r', ''],
      ['\u2028\u2029', ''],
      ['\\'.repeat(5000), '\\'.repeat(2500)], // Markdown's escaped backslashes
      ['['.repeat(5000), '['.repeat(5000)],
    ] as const) {
      const result = renderReply(body);
      expect(result.links).toBe(0);
      expectInert(htmlOf(result.blocks), result.blocks);
      expect(textOf(result.blocks)).toContain(shows);
    }
  });
});

// Each vector is named; `shows` is text that must still be visible (escaped), so nothing is lost.
const VECTORS: { name: string; body: string; shows?: string }[] = [
  { name: 'script block', body: '<script>alert(1)</script>', shows: '<script>alert(1)</script>' },
  { name: 'script inline', body: 'hi <script>alert(1)</script> there', shows: '<script>alert(1)</script>' },
  {
    name: 'script uppercase with src',
    body: '<SCRIPT SRC=//evil.example/x.js></SCRIPT>',
    shows: '<SCRIPT SRC=',
  },
  { name: 'img onerror block', body: '<img src=x onerror=alert(1)>', shows: '<img src=x onerror=alert(1)>' },
  {
    name: 'img onerror inline',
    body: 'look <img src=x onerror=alert(1)> here',
    shows: '<img src=x onerror=alert(1)>',
  },
  {
    name: 'img onerror entity',
    body: '<img src="x" onerror="&#97;lert(1)">',
    shows: 'onerror="&#97;lert(1)"',
  },
  { name: 'svg onload', body: '<svg onload=alert(1)>', shows: '<svg onload=alert(1)>' },
  { name: 'svg slash onload', body: '<svg/onload=alert(1)>', shows: '<svg/onload=alert(1)>' },
  { name: 'svg script', body: '<svg><script>alert(1)</script></svg>', shows: '<svg><script>' },
  { name: 'body onload', body: '<body onload=alert(1)>', shows: '<body onload=alert(1)>' },
  {
    name: 'div onmouseover',
    body: '<div onmouseover="alert(1)">hover</div>',
    shows: 'onmouseover="alert(1)"',
  },
  { name: 'details ontoggle', body: '<details open ontoggle=alert(1)>', shows: 'ontoggle=alert(1)' },
  { name: 'input onfocus', body: '<input autofocus onfocus=alert(1)>', shows: '<input autofocus' },
  { name: 'custom element onclick', body: '<x-y onclick=alert(1)>z</x-y>', shows: '<x-y onclick=alert(1)>' },
  {
    name: 'video source onerror',
    body: '<video><source onerror=alert(1)></video>',
    shows: '<source onerror',
  },
  { name: 'iframe javascript', body: '<iframe src="javascript:alert(1)"></iframe>', shows: '<iframe src=' },
  { name: 'iframe srcdoc', body: '<iframe srcdoc="<script>alert(1)</script>">', shows: '<iframe srcdoc=' },
  { name: 'object data', body: '<object data="javascript:alert(1)"></object>', shows: '<object data=' },
  {
    name: 'embed data URL',
    body: '<embed src="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">',
    shows: '<embed src=',
  },
  {
    name: 'form action',
    body: '<form action="javascript:alert(1)"><button>go</button></form>',
    shows: '<form action=',
  },
  {
    name: 'meta refresh',
    body: '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    shows: '<meta http-equiv=',
  },
  { name: 'base href', body: '<base href="javascript:alert(1)//">', shows: '<base href=' },
  { name: 'link stylesheet', body: '<link rel=stylesheet href=javascript:alert(1)>', shows: '<link rel=' },
  { name: 'template', body: '<template><img src=x onerror=alert(1)></template>', shows: '<template>' },
  {
    name: 'style url(javascript:)',
    body: '<style>body{background:url(javascript:alert(1))}</style>',
    shows: '<style>body{background:url(javascript:alert(1))}</style>',
  },
  {
    name: 'style attribute',
    body: '<p style="background:url(javascript:alert(1))">x</p>',
    shows: '<p style=',
  },
  {
    name: 'raw anchor javascript',
    body: '<a href="javascript:alert(1)">x</a>',
    shows: '<a href="javascript:alert(1)">x</a>',
  },
  {
    name: 'raw anchor unquoted',
    body: '<a href=javascript:alert(1)>x</a>',
    shows: '<a href=javascript:alert(1)>',
  },
  {
    name: 'raw anchor onclick',
    body: '<a href="https://ok.example" onclick="alert(1)">x</a>',
    shows: 'onclick=',
  },
  { name: 'markdown link javascript', body: '[x](javascript:alert(1))' },
  { name: 'markdown link mixed case', body: '[x](JaVaScRiPt:alert(1))' },
  { name: 'markdown link decimal entity', body: '[x](&#106;avascript:alert(1))' },
  { name: 'markdown link hex entities', body: '[x](&#x4A;&#x41;VASCRIPT:alert(1))' },
  { name: 'markdown link &colon;', body: '[x](javascript&colon;alert(1))' },
  { name: 'markdown link tab entity', body: '[x](java&#9;script:alert(1))' },
  { name: 'markdown link newline entity', body: '[x](java&#10;script:alert(1))' },
  { name: 'markdown link raw tab', body: '[x](<java\tscript:alert(1)>)' },
  { name: 'markdown link leading control char', body: '[x](\x01javascript:alert(1))' },
  { name: 'markdown link leading control entity', body: '[x](&#1;javascript:alert(1))' },
  { name: 'markdown link leading space entity', body: '[x](&#32;javascript:alert(1))' },
  { name: 'markdown link url-encoded colon', body: '[x](javascript%3Aalert(1))' },
  { name: 'markdown link url-encoded letter', body: '[x](%6Aavascript:alert(1))' },
  { name: 'markdown link javascript://', body: '[x](javascript://%0Aalert(1))' },
  { name: 'markdown link zero-width space', body: '[x](java\u200bscript:alert(1))' },
  { name: 'markdown link fullwidth', body: '[x](ｊａｖａｓｃｒｉｐｔ:alert(1))' },
  { name: 'markdown link angle brackets', body: '[x](<javascript:alert(1)>)' },
  { name: 'markdown link spaces', body: '[x]( javascript:alert(1) )' },
  { name: 'reference link', body: '[x][r]\n\n[r]: javascript:alert(1)' },
  { name: 'collapsed reference angle', body: '[r][]\n\n[r]: <javascript:alert(1)>' },
  { name: 'shortcut reference with title', body: '[r]\n\n[r]: javascript:alert(1) "t"' },
  { name: 'autolink javascript', body: '<javascript:alert(1)>', shows: 'javascript:alert(1)' },
  { name: 'autolink uppercase', body: '<JAVASCRIPT:alert(1)>', shows: 'JAVASCRIPT:alert(1)' },
  {
    name: 'markdown link data URL',
    body: '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  },
  { name: 'autolink data URL', body: '<data:text/html;base64,PHNjcmlwdD4=>', shows: 'data:text/html;base64' },
  { name: 'vbscript', body: '[x](vbscript:msgbox(1))' },
  { name: 'protocol-relative', body: '[x](//evil.example/x)' },
  { name: 'image javascript', body: '![x](javascript:alert(1))', shows: 'x' },
  { name: 'image with HTML alt', body: '![<img src=x onerror=alert(1)>](x)', shows: 'onerror' },
  { name: 'title attribute breakout', body: '[x](https://ok.example "a\\" onmouseover=\\"alert(1)")' },
  { name: 'quote in URL', body: '[x](https://ok.example/"onmouseover="alert(1))' },
  { name: 'www autolink with quote', body: 'www.ok.example/"onmouseover=alert(1)//', shows: 'onmouseover' },
  { name: 'bare URL then script', body: 'https://ok.example/<script>alert(1)</script>', shows: '<script>' },
  {
    name: 'link text with HTML',
    body: '[<img src=x onerror=alert(1)>](https://ok.example)',
    shows: '<img src=x',
  },
  { name: 'emphasis around HTML', body: '*<img src=x onerror=alert(1)>*', shows: '<img src=x' },
  {
    name: 'mXSS noscript',
    body: '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    shows: '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
  },
  {
    name: 'mXSS math mglyph',
    body: '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
    shows: '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  },
  {
    name: 'mXSS svg style',
    body: '<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">',
    shows: '<img src=1 onerror=alert(1)>',
  },
  { name: 'mXSS xmp', body: '<xmp><p title="</xmp><svg/onload=alert(1)>">', shows: '<svg/onload=alert(1)>' },
  { name: 'comment breakout', body: '<!--<img src="--><img src=x onerror=alert(1)//">', shows: '<!--<img' },
  { name: 'CDATA', body: '<![CDATA[><script>alert(1)</script>]]>', shows: '<![CDATA[' },
  { name: 'processing instruction', body: '<?xml version="1.0"?><script>alert(1)</script>', shows: '<?xml' },
  { name: 'isindex', body: '<isindex type=image src=1 onerror=alert(1)>', shows: '<isindex' },
  { name: 'inline code HTML', body: '`<script>alert(1)</script>`', shows: '<script>alert(1)</script>' },
  {
    name: 'fenced code HTML',
    body: '```html\n<script>alert(1)</script>\n```',
    shows: '<script>alert(1)</script>',
  },
  { name: 'encoded tags', body: '&lt;script&gt;alert(1)&lt;/script&gt;', shows: '<script>alert(1)</script>' },
  { name: 'double-encoded tags', body: '&amp;lt;script&amp;gt;', shows: '&lt;script&gt;' },
  {
    name: 'table of HTML',
    body: '| <script>alert(1)</script> | a |\n|---|---|\n| <img src=x onerror=alert(1)> | b |',
    shows: '<img src=x onerror=alert(1)>',
  },
  { name: 'footnote with javascript link', body: 'a[^1]\n\n[^1]: [x](javascript:alert(1))' },
  { name: 'quoted iframe', body: '> <iframe src=javascript:alert(1)>', shows: '<iframe src=' },
  { name: 'listed svg', body: '- <svg/onload=alert(1)>', shows: '<svg/onload' },
  {
    name: 'SSE framing',
    body: 'hello\n\ndata: x\n\nevent: reply.created',
    shows: 'event: reply.created',
  },
  { name: 'SSE framing CRLF', body: 'hello\r\n\r\ndata: {"evil":1}\r\n\r\nid: 9', shows: 'data: {"evil":1}' },
  {
    name: 'RTL override',
    body: '\u202eexe.txt\u202c [safe](https://ok.example/\u202egpj.exe)',
    shows: '\u202eexe.txt',
  },
  { name: 'odd Unicode', body: 'ｓｃｒｉｐｔ \u2028 \ufeff \u{1f4a9} \u0301 \u180e', shows: 'ｓｃｒｉｐｔ' },
];

describe('renderReply: hostile input renders inert', () => {
  it('has a corpus of at least 40 vectors', () => {
    expect(VECTORS.length).toBeGreaterThanOrEqual(40);
    expect(new Set(VECTORS.map((v) => v.name)).size).toBe(VECTORS.length);
  });

  it.each(VECTORS)('$name', ({ body, shows }) => {
    const { blocks } = renderReply(body);
    const markup = htmlOf(blocks);
    expectInert(markup, blocks);
    if (shows) expect(markup).toContain(escaped(shows));
  });
});
