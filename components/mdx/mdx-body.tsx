import type { Root } from 'hast';
import { toJsxRuntime } from 'hast-util-to-jsx-runtime';
import { Fragment, jsx, jsxs } from 'react/jsx-runtime';
import { Callout } from './callout';
import { Figure } from './figure';
import { PullQuote } from './pull-quote';

// The only components content can name; lib/content/mdx.ts refuses any other at load time.
const components = { Figure, PullQuote, Callout };

/** Renders a body parsed at load time. Nothing in it is evaluated: it is a tree, not code. */
export function MdxBody({ tree, className = 'prose' }: { tree: Root; className?: string }) {
  return (
    <div className={className}>{toJsxRuntime(tree, { Fragment, jsx, jsxs, components, passKeys: true })}</div>
  );
}
