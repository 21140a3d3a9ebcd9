// What pages and the browser see of replies. Shared by server and client: types and pure code only.
import type { ReplyBlock } from './render';

export const REPLY_MAX_CHARS = 5_000;
export const REPLY_MAX_DEPTH = 3;
export const EDIT_WINDOW_MS = 15 * 60_000;

export type ReplyDto = {
  id: string;
  parentId: string | null;
  depth: number;
  /** Whom it answers, when that is not its parent (below depth 3). */
  answersName: string | null;
  /** Null for placeholders (deleted, removed or hidden replies kept because they were answered). */
  author: { name: string } | null;
  blocks: ReplyBlock[];
  state: 'published' | 'pending' | 'placeholder';
  /** Why a placeholder is one. */
  gone?: 'deleted' | 'removed' | 'hidden';
  createdAt: string;
  editedAt: string | null;
  mine: boolean;
  /** What the author wrote, verbatim: sent to the author only, for editing. */
  source?: string;
  /** The author may still edit it: within the window and not answered yet. */
  editableUntil: string | null;
  answered: boolean;
};

export type ReplyThread = {
  article: string;
  /** The article's current version (Article.version), for pages that opened before a change. */
  version: string;
  open: boolean;
  /** Published replies, the number shown as "N Replies". */
  count: number;
  replies: ReplyDto[];
  viewer: { name: string } | null;
};

export type ReplyNode = ReplyDto & { children: ReplyNode[] };

/** Nests a flat list (already in the wanted order) into threads; orphans become roots. */
export function nestReplies(replies: ReplyDto[]): ReplyNode[] {
  const nodes = new Map<string, ReplyNode>();
  for (const r of replies) nodes.set(r.id, { ...r, children: [] });
  const roots: ReplyNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.parentId ? nodes.get(node.parentId) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  return roots;
}

export const repliesLabel = (n: number) => `${n.toLocaleString('en')} ${n === 1 ? 'Reply' : 'Replies'}`;
