import { Fragment, type ReactNode } from 'react';
import { isSafeAbsoluteLink } from '@/lib/links';
import type { ReplyBlock, ReplyInline } from '@/lib/replies/render';

// Trees are stored as JSON and read back, so the scheme is checked again here.
const isSafeHref = isSafeAbsoluteLink;

function inline(node: ReplyInline, key: number): ReactNode {
  if (typeof node === 'string') return node;
  switch (node.t) {
    case 'em':
      return <em key={key}>{node.c.map(inline)}</em>;
    case 'strong':
      return <strong key={key}>{node.c.map(inline)}</strong>;
    case 'del':
      return <del key={key}>{node.c.map(inline)}</del>;
    case 'code':
      return <code key={key}>{node.v}</code>;
    case 'br':
      return <br key={key} />;
    case 'a':
      return isSafeHref(node.href) ? (
        <a key={key} href={node.href} rel="nofollow ugc noopener">
          {node.c.map(inline)}
        </a>
      ) : (
        <Fragment key={key}>{node.c.map(inline)}</Fragment>
      );
    default:
      return null;
  }
}

function block(node: ReplyBlock, key: number): ReactNode {
  switch (node.t) {
    case 'p':
      return <p key={key}>{node.c.map(inline)}</p>;
    case 'pre':
      return (
        <pre key={key}>
          <code>{node.v}</code>
        </pre>
      );
    case 'quote':
      return <blockquote key={key}>{node.c.map(block)}</blockquote>;
    case 'list': {
      const items = node.items.map((item, i) => <li key={i}>{item.map(block)}</li>);
      return node.ordered ? <ol key={key}>{items}</ol> : <ul key={key}>{items}</ul>;
    }
    default:
      return null;
  }
}

/**
 * A reader's reply, from the tree lib/replies/render.ts made when it was written. Everything is a
 * React element or escaped text; there is no HTML string anywhere on this path.
 */
export function ReplyBody({ blocks }: { blocks: ReplyBlock[] }) {
  return <>{blocks.map(block)}</>;
}
