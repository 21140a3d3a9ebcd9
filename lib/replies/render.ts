import type { Nodes, PhrasingContent, Root } from 'mdast';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { LINK_SCHEMES } from '../links';

/**
 * Reader replies in "light Markdown", turned into a small tree that components/reply-body.tsx
 * renders with plain React elements. The tree can only hold text, a few inline and block
 * formats and http(s)/mailto links: raw HTML stays literal text, other links become their text.
 * Replies are stored verbatim; this runs once per write and its tree is stored beside them.
 */
export type ReplyInline =
  | string
  | { t: 'em' | 'strong' | 'del'; c: ReplyInline[] }
  | { t: 'code'; v: string }
  | { t: 'a'; href: string; c: ReplyInline[] }
  | { t: 'br' };
export type ReplyBlock =
  | { t: 'p'; c: ReplyInline[] }
  | { t: 'quote'; c: ReplyBlock[] }
  | { t: 'pre'; v: string }
  | { t: 'list'; ordered: boolean; items: ReplyBlock[][] };
/** `links` counts every link the reader wrote, kept or dropped, for the moderation rule. */
export type RenderedReply = { blocks: ReplyBlock[]; links: number };

// Deeper quotes and lists are flattened to paragraphs; deeper inline formats become plain text.
// Both keep hostile input from nesting the tree (and React's recursive render) without limit.
const MAX_BLOCK_DEPTH = 6;
const MAX_INLINE_DEPTH = 8;

// micromark is quadratic in the containers opened on one line (5,000 `>` take about a second),
// so runs of more than 16 leading `>`/list markers are cut before parsing: they flatten anyway.
// Wider gaps than these make indented code, not nesting, so code lines are left alone.
const MARKER = String.raw`(?:>|[-*+](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$))`;
const NEXT = String.raw`[ \t]{0,4}${MARKER}`;
const DEEP_PREFIX = new RegExp(String.raw`^([ \t]{0,3}${MARKER}(?:${NEXT}){15})(?:${NEXT})+`, 'gm');

// In raw HTML (shown as text) an href or a bare URL still counts as a link the reader wrote.
const HTML_LINK_ATTR = /\b(?:href|action|formaction)\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]*)/gi;
const BARE_URL = /\b(?:https?:\/\/|www\.)/gi;
const FALLBACK_URL = /\b(?:https?:\/\/|www\.|mailto:|javascript:|vbscript:)/gi;

const parser = unified().use(remarkParse).use(remarkGfm);

type Ctx = { defs: Map<string, string>; links: number };

/** The URL as the browser will read it, if its scheme is allowed. Relative URLs are refused too. */
function safeHref(url: string): string | null {
  try {
    const parsed = new URL(url);
    return LINK_SCHEMES.has(parsed.protocol) ? parsed.href : null;
  } catch {
    return null;
  }
}

function htmlLinks(html: string): number {
  let n = 0;
  const rest = html.replace(HTML_LINK_ATTR, () => {
    n++;
    return ' ';
  });
  return n + (rest.match(BARE_URL)?.length ?? 0);
}

function push(out: ReplyInline[], item: ReplyInline): void {
  const last = out[out.length - 1];
  if (typeof item === 'string') {
    if (!item) return;
    if (typeof last === 'string') {
      out[out.length - 1] = last + item;
      return;
    }
  }
  out.push(item);
}

/** Plain text of a subtree, without recursion (it may be thousands of levels deep). */
function textOf(nodes: readonly Nodes[], ctx: Ctx): string {
  let text = '';
  const stack = [...nodes].reverse();
  for (let node = stack.pop(); node; node = stack.pop()) {
    if (node.type === 'link' || (node.type === 'linkReference' && ctx.defs.has(node.identifier))) ctx.links++;
    if (node.type === 'html') ctx.links += htmlLinks(node.value);
    if (node.type === 'image' || node.type === 'imageReference') text += node.alt ?? '';
    else if (node.type === 'break') text += '\n';
    else if ('value' in node) text += node.value;
    else if ('children' in node && node.type !== 'footnoteDefinition') {
      for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
    }
  }
  return text;
}

function inlines(
  nodes: readonly PhrasingContent[],
  ctx: Ctx,
  depth: number,
  out: ReplyInline[] = [],
): ReplyInline[] {
  if (depth > MAX_INLINE_DEPTH) {
    push(out, textOf(nodes, ctx));
    return out;
  }
  const link = (url: string, children: PhrasingContent[]) => {
    ctx.links++;
    const href = safeHref(url);
    if (!href) {
      inlines(children, ctx, depth + 1, out); // a refused link keeps its text
      return;
    }
    const c = inlines(children, ctx, depth + 1);
    out.push({ t: 'a', href, c: c.length ? c : [href] });
  };
  for (const node of nodes) {
    switch (node.type) {
      case 'text':
        push(out, node.value);
        break;
      case 'html':
        ctx.links += htmlLinks(node.value);
        push(out, node.value);
        break;
      case 'inlineCode':
        out.push({ t: 'code', v: node.value });
        break;
      case 'break':
        out.push({ t: 'br' });
        break;
      case 'emphasis':
      case 'strong':
      case 'delete': {
        const c = inlines(node.children, ctx, depth + 1);
        if (c.length)
          out.push({ t: node.type === 'emphasis' ? 'em' : node.type === 'strong' ? 'strong' : 'del', c });
        break;
      }
      case 'link':
        link(node.url, node.children);
        break;
      case 'linkReference': {
        const url = ctx.defs.get(node.identifier);
        if (url === undefined) inlines(node.children, ctx, depth + 1, out);
        else link(url, node.children);
        break;
      }
      case 'image':
      case 'imageReference':
        push(out, node.alt ?? '');
        break;
      case 'footnoteReference':
        break;
      default:
        push(out, textOf([node], ctx));
    }
  }
  return out;
}

function paragraph(out: ReplyBlock[], c: ReplyInline[]): void {
  // Dropped footnote marks and empty image alts can leave blank edges behind.
  const first = c[0];
  if (typeof first === 'string') c[0] = first.trimStart();
  const last = c[c.length - 1];
  if (typeof last === 'string') c[c.length - 1] = last.trimEnd();
  const kept = c.filter((x) => x !== '');
  if (kept.length) out.push({ t: 'p', c: kept });
}

function blocks(nodes: readonly Nodes[], ctx: Ctx, depth: number, out: ReplyBlock[] = []): ReplyBlock[] {
  for (const node of nodes) {
    switch (node.type) {
      case 'paragraph':
      case 'heading':
        paragraph(out, inlines(node.children, ctx, 0));
        break;
      case 'code':
        out.push({ t: 'pre', v: node.value });
        break;
      case 'html': {
        ctx.links += htmlLinks(node.value);
        const c: ReplyInline[] = [];
        node.value.split(/\r?\n/).forEach((line, i) => {
          if (i) c.push({ t: 'br' });
          push(c, line);
        });
        paragraph(out, c);
        break;
      }
      case 'blockquote':
        if (depth >= MAX_BLOCK_DEPTH) flatten(node.children, ctx, out);
        else out.push({ t: 'quote', c: blocks(node.children, ctx, depth + 1) });
        break;
      case 'list':
        if (depth >= MAX_BLOCK_DEPTH) flatten(node.children, ctx, out);
        else {
          const items = node.children.map((item) => {
            const c = blocks(item.children, ctx, depth + 1);
            // Task-list boxes stay as the reader typed them rather than becoming inputs.
            if (typeof item.checked === 'boolean') {
              const mark = item.checked ? '[x] ' : '[ ] ';
              const first = c[0];
              if (first?.t !== 'p') c.unshift({ t: 'p', c: [mark.trim()] });
              else if (typeof first.c[0] === 'string') first.c[0] = mark + first.c[0];
              else first.c.unshift(mark);
            }
            return c;
          });
          out.push({ t: 'list', ordered: node.ordered === true, items });
        }
        break;
      case 'table':
        for (const row of node.children) {
          const c: ReplyInline[] = [];
          row.children.forEach((cell, i) => {
            if (i) push(c, ' | ');
            inlines(cell.children, ctx, 0, c);
          });
          paragraph(out, c);
        }
        break;
      case 'thematicBreak':
      case 'definition':
      case 'footnoteDefinition':
        break;
      default:
        if ('children' in node) flatten(node.children, ctx, out);
        else if ('value' in node) paragraph(out, [node.value]);
    }
  }
  return out;
}

const LEAVES = new Set([
  'paragraph',
  'heading',
  'code',
  'html',
  'table',
  'thematicBreak',
  'definition',
  'footnoteDefinition',
]);

/** The leaf blocks of a (maybe very deep) subtree as a flat run, without recursion. */
function flatten(nodes: readonly Nodes[], ctx: Ctx, out: ReplyBlock[]): void {
  const stack = [...nodes].reverse();
  for (let node = stack.pop(); node; node = stack.pop()) {
    if (!LEAVES.has(node.type) && 'children' in node) {
      for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
    } else if (LEAVES.has(node.type)) blocks([node], ctx, MAX_BLOCK_DEPTH, out);
    else paragraph(out, [textOf([node], ctx)]);
  }
}

function definitions(tree: Root): Map<string, string> {
  const defs = new Map<string, string>();
  const stack: Nodes[] = [tree];
  for (let node = stack.pop(); node; node = stack.pop()) {
    // The first definition of a label wins, as in CommonMark.
    if (node.type === 'definition' && !defs.has(node.identifier)) defs.set(node.identifier, node.url);
    if ('children' in node) for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
  }
  return defs;
}

// Most replies are a few sentences of prose. Text made only of these characters, with no line
// that starts with a space, a list marker, `#` or `=`, ends with a space (a hard break) or holds
// "www." or "//" (GFM autolinks), parses to nothing but paragraphs of its own text, so the parser (about half a
// millisecond for a short reply) is skipped. render.test.ts checks both paths agree.
const PLAIN = /^[\p{L}\p{M}\p{N} ,.;:!?'"()%#/+=…‘’“”–—\n-]+$/u;
const NOT_PLAIN = /^(?:[ #+=-]|\d{1,9}[.)])| $|www\.|\/\//imu;

export function plainParagraphs(body: string): RenderedReply | null {
  if (!PLAIN.test(body) || NOT_PLAIN.test(body)) return null;
  const blocks: ReplyBlock[] = [];
  for (const part of body.split(/\n{2,}/)) {
    const p = part.replace(/^\n+|\n+$/g, '');
    if (p) blocks.push({ t: 'p', c: [p] });
  }
  return { blocks, links: 0 };
}

/** Turns a reply body into the restricted tree. Never throws. */
export function renderReply(body: string): RenderedReply {
  return plainParagraphs(body) ?? parseReply(body);
}

/** renderReply through the Markdown parser, always (exported for the test that compares them). */
export function parseReply(body: string): RenderedReply {
  try {
    const tree = parser.parse(body.replace(DEEP_PREFIX, '$1'));
    const ctx: Ctx = { defs: definitions(tree), links: 0 };
    return { blocks: blocks(tree.children, ctx, 0), links: ctx.links };
  } catch {
    // Should never happen, but a reply must always be shown: its text, paragraph by paragraph.
    const text = String(body);
    const paragraphs = text.split(/\r?\n[ \t]*\r?\n/).map((p) => p.trim());
    return {
      blocks: paragraphs.filter(Boolean).map((p) => ({ t: 'p', c: [p] })),
      links: text.match(FALLBACK_URL)?.length ?? 0,
    };
  }
}

/** How many links a body holds, for the "two or more links wait for moderation" rule. */
export function countLinks(body: string): number {
  return renderReply(body).links;
}
