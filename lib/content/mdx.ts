import type { Element, ElementContent, Root as HastRoot } from 'hast';
import { toHtml } from 'hast-util-to-html';
import type { Root as MdastRoot, Nodes as MdastNodes } from 'mdast';
import type { MdxJsxFlowElement, MdxJsxTextElement } from 'mdast-util-mdx-jsx';
import { toString } from 'mdast-util-to-string';
import { toHast } from 'mdast-util-to-hast';
import remarkGfm from 'remark-gfm';
import remarkMdx from 'remark-mdx';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { visit, EXIT } from 'unist-util-visit';
import { isSafeLink } from '../links';
import { mediaImage } from '../media/srcset';
import { componentSchemas, type ComponentName } from './schema';

/**
 * MDX bodies are parsed, checked and turned into a HAST tree once, when the file is loaded. They
 * are never compiled to JavaScript nor evaluated: the three components are expanded into plain
 * elements and the tree is serialized to HTML once. Expressions, import/export, raw HTML, unknown
 * components and links other than http(s)/mailto are refused here, so content cannot run code
 * (SECURITY, CVE-2026-0969). The HTML is editors' content only, never readers'.
 * See docs/decisions/002-content-store.md.
 */
export type CompiledBody = {
  /** The body as HTML, rendered once at load. */
  html: string;
  /** Plain text of the body, for search and reading time. */
  text: string;
  /** Plain text of the first paragraph: the default summary. */
  firstParagraph: string;
  words: number;
};

export type BodyError = { line: number; reason: string };

const parser = unified().use(remarkParse).use(remarkMdx).use(remarkGfm);

type JsxElement = MdxJsxFlowElement | MdxJsxTextElement;

function isJsx(node: MdastNodes): node is JsxElement {
  return node.type === 'mdxJsxFlowElement' || node.type === 'mdxJsxTextElement';
}

function checkJsx(node: JsxElement): string | null {
  const name = node.name;
  if (!name || !(name in componentSchemas)) {
    const allowed = Object.keys(componentSchemas).join(', ');
    return name
      ? `unknown component or HTML tag <${name}>: only ${allowed} may be used`
      : `fragments (<>) are not allowed: only ${allowed} may be used`;
  }
  const props: Record<string, string | boolean> = {};
  for (const attr of node.attributes) {
    if (attr.type !== 'mdxJsxAttribute')
      return `<${name}> has a {…} spread: only quoted text attributes are allowed`;
    if (attr.value !== null && typeof attr.value !== 'string') {
      return `<${name} ${attr.name}={…}>: JavaScript expressions are not allowed, use ${attr.name}="text"`;
    }
    props[attr.name] = attr.value ?? true;
  }
  const result = componentSchemas[name as ComponentName].safeParse(props);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const where = issue.path.length ? ` ${issue.path.join('.')}` : '';
    return `<${name}>${where}: ${issue.message}`;
  }
  return null;
}

const LOCAL_IMAGE = /^\/(?!\/)[^:]*$/;

function checkUrl(url: string, kind: 'link' | 'image'): string | null {
  if (kind === 'image')
    return LOCAL_IMAGE.test(url)
      ? null
      : `image "${url}" must be a path under public/ or /media/…, like /images/map.svg`;
  return isSafeLink(url) ? null : `link "${url}" must use http, https or mailto`;
}

/** The first construct content may not use, with its line, or null. */
function findForbidden(tree: MdastRoot): BodyError | null {
  let found: BodyError | null = null;
  visit(tree, (node) => {
    const line = node.position?.start.line ?? 1;
    let reason: string | null = null;
    if (node.type === 'mdxjsEsm') reason = 'import and export are not allowed in content';
    else if (node.type === 'mdxFlowExpression' || node.type === 'mdxTextExpression') {
      reason = 'JavaScript expressions ({…}) are not allowed in content; write \\{ for a literal brace';
    } else if (isJsx(node as MdastNodes)) reason = checkJsx(node as JsxElement);
    else if (node.type === 'link' || node.type === 'definition')
      reason = checkUrl((node as { url: string }).url, 'link');
    else if (node.type === 'image') reason = checkUrl((node as { url: string }).url, 'image');
    if (reason) {
      found = { line, reason };
      return EXIT;
    }
  });
  return found;
}

/** Text of a tree with blocks separated by newlines (mdast-util-to-string would glue them). */
function plainText(node: MdastNodes): string {
  if (node.type === 'text' || node.type === 'inlineCode' || node.type === 'code') return node.value;
  if (!('children' in node)) return '';
  const inner = (node.children as MdastNodes[]).map(plainText);
  const block =
    node.type === 'root' ||
    node.type === 'list' ||
    node.type === 'table' ||
    node.type === 'tableRow' ||
    node.type === 'blockquote' ||
    node.type === 'mdxJsxFlowElement';
  return block ? inner.join('\n') : node.type === 'tableCell' ? inner.join('') + ' ' : inner.join('');
}

type Node = { type: string; position?: unknown; children?: Node[] } & Record<string, unknown>;

const h = (tagName: string, properties: Element['properties'], children: ElementContent[] = []): Element => ({
  type: 'element',
  tagName,
  properties,
  children,
});
const text = (value: string): ElementContent => ({ type: 'text', value });

/** An uploaded image's widths and real size (lib/media/srcset.ts); for any other image a 16:9 box. */
function figureSize(src: string): Element['properties'] {
  const media = mediaImage(src);
  if (!media) return { width: 1200, height: 675 };
  return { srcSet: media.srcSet, sizes: media.sizes, width: media.width, height: media.height };
}

/** The components, as the plain HTML they stand for (kept in step with components/mdx/figure.tsx). */
const expand: Record<ComponentName, (props: Record<string, string>, children: ElementContent[]) => Element> =
  {
    Figure: ({ src, alt, caption, credit }) =>
      h('figure', { className: ['figure'] }, [
        h('img', { src, alt, ...figureSize(src!), loading: 'lazy', decoding: 'async' }),
        ...(caption || credit
          ? [
              h('figcaption', {}, [
                ...(caption ? [text(caption)] : []),
                ...(credit ? [h('span', { className: ['credit'] }, [text(` ${credit}`)])] : []),
              ]),
            ]
          : []),
      ]),
    PullQuote: ({ by }, children) =>
      h('figure', { className: ['pull-quote'] }, [
        h('blockquote', {}, children),
        ...(by ? [h('figcaption', {}, [text(`— ${by}`)])] : []),
      ]),
    Callout: ({ title }, children) =>
      h('aside', { className: ['callout'], ariaLabel: title ?? 'Note' }, [
        ...(title ? [h('p', { className: ['callout-title'] }, [text(title)])] : []),
        ...children,
      ]),
  };

/** Expands the (already checked) components and drops source positions. */
function normalize(node: Node): Node {
  delete node.position;
  const children = node.children?.map(normalize);
  if (node.type === 'mdxJsxFlowElement' || node.type === 'mdxJsxTextElement') {
    const jsx = node as unknown as JsxElement;
    const props: Record<string, string> = {};
    for (const attr of jsx.attributes)
      if (attr.type === 'mdxJsxAttribute' && typeof attr.value === 'string') props[attr.name] = attr.value;
    return expand[jsx.name as ComponentName](
      props,
      (children ?? []) as unknown as ElementContent[],
    ) as unknown as Node;
  }
  if (children) node.children = children;
  return node;
}

/** Parses one MDX body. `lineOffset` is the number of lines before the body (the frontmatter). */
export function compileBody(
  source: string,
  lineOffset = 0,
): { ok: true; body: CompiledBody } | ({ ok: false } & BodyError) {
  let tree: MdastRoot;
  try {
    tree = parser.runSync(parser.parse(source)) as MdastRoot;
  } catch (error) {
    const e = error as {
      line?: number;
      place?: { line?: number; start?: { line?: number } };
      reason?: string;
      message?: string;
    };
    // Some micromark errors carry no position but name it in the text: "… (5:1-5:10)".
    const named = /\((\d+):\d+(?:-\d+:\d+)?\)/.exec(e.reason ?? '')?.[1];
    const line = e.place?.start?.line ?? e.place?.line ?? e.line ?? (named ? Number(named) : 1);
    return {
      ok: false,
      line: line + lineOffset,
      reason: `MDX syntax: ${e.reason ?? e.message ?? String(error)}`,
    };
  }
  const forbidden = findForbidden(tree);
  if (forbidden) return { ok: false, line: forbidden.line + lineOffset, reason: forbidden.reason };

  const firstParagraph = tree.children.find((n) => n.type === 'paragraph');
  const text = plainText(tree);
  const hast = toHast(tree, {
    passThrough: ['mdxJsxFlowElement', 'mdxJsxTextElement'],
    clobberPrefix: 'fn-',
  }) as HastRoot;
  return {
    ok: true,
    body: {
      html: toHtml(normalize(hast as unknown as Node) as unknown as HastRoot),
      text,
      firstParagraph: firstParagraph ? toString(firstParagraph) : '',
      words: text.split(/\s+/).filter(Boolean).length,
    },
  };
}
