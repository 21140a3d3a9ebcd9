import { isMap, LineCounter, parseDocument } from 'yaml';

export type Frontmatter =
  | { ok: true; data: unknown; body: string; bodyLine: number; lineOf: (path: PropertyKey[]) => number }
  | { ok: false; line: number; reason: string };

const FENCE = /^---[ \t]*\r?\n/;

/**
 * Splits `---` YAML frontmatter from the body. Line numbers are 1-based and count from the top of
 * the file, so an error names the line an editor sees.
 */
export function readFrontmatter(source: string): Frontmatter {
  const text = source.replace(/^\uFEFF/, '');
  if (!FENCE.test(text))
    return { ok: false, line: 1, reason: 'missing frontmatter: the file must start with a --- line' };
  const start = text.indexOf('\n') + 1;
  const close = /^---[ \t]*$/m;
  close.lastIndex = 0;
  const rest = text.slice(start);
  const match = close.exec(rest);
  if (!match) return { ok: false, line: 1, reason: 'frontmatter is not closed: add a --- line after it' };
  const yamlText = rest.slice(0, match.index);
  const afterClose = start + match.index + match[0].length;
  const body = text.slice(afterClose).replace(/^\r?\n/, '');
  const bodyLine = text.slice(0, afterClose).split('\n').length + 1;

  const lineCounter = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    const err = doc.errors[0]!;
    const line = lineCounter.linePos(err.pos[0]).line + 1;
    return { ok: false, line, reason: `bad YAML: ${err.message.split('\n')[0]}` };
  }
  if (!isMap(doc.contents))
    return { ok: false, line: 2, reason: 'frontmatter must be a set of key: value lines' };

  const lineOf = (path: PropertyKey[]) => {
    // The deepest node that exists on the path: a missing key points at its parent.
    for (let depth = path.length; depth >= 0; depth--) {
      const node = doc.getIn(path.slice(0, depth) as unknown[], true) as
        { range?: [number, number, number] } | undefined;
      const pair = depth > 0 ? findKeyNode(doc, path.slice(0, depth)) : undefined;
      const offset = pair ?? node?.range?.[0];
      if (typeof offset === 'number') return lineCounter.linePos(offset).line + 1;
    }
    return 2;
  };
  return { ok: true, data: doc.toJS(), body, bodyLine, lineOf };
}

/** Offset of the key of the last path segment, so "topics: [x]" errors point at the topics line. */
function findKeyNode(doc: ReturnType<typeof parseDocument>, path: PropertyKey[]): number | undefined {
  const parent = path.length > 1 ? doc.getIn(path.slice(0, -1) as unknown[], true) : doc.contents;
  if (!isMap(parent)) return undefined;
  const last = path[path.length - 1];
  const pair = parent.items.find((item) => (item.key as { value?: unknown } | null)?.value === last);
  return (pair?.key as { range?: [number, number, number] } | undefined)?.range?.[0];
}
