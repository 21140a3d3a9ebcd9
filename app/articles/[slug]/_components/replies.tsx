'use client';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { withProviders } from '@/app/providers';
import { LocalTime } from '@/components/local-time';
import { ReplyBody } from '@/components/reply-body';
import { deleteReply, editReply, postReply, reportReply } from '@/lib/replies/actions';
import { nestReplies, REPLY_MAX_DEPTH, repliesLabel, type ReplyDto, type ReplyNode } from '@/lib/replies/dto';
import { refresh } from '@/lib/query/live';
import { keys } from '@/lib/query/keys';
import { repliesQuery } from '@/lib/query/resources';
import { ReplyForm, type FormOutcome } from './reply-form';

type Sort = 'oldest' | 'newest';
type Api = {
  post: (body: string, parent: ReplyDto | null) => Promise<FormOutcome>;
  edit: (id: string, body: string) => Promise<FormOutcome>;
  remove: (id: string) => Promise<FormOutcome>;
  report: (id: string, reason: string, note: string) => Promise<FormOutcome>;
  signedIn: boolean;
  open: boolean;
};

/**
 * The replies under an article, "Leave a Reply" as readers know it. The article page is cached
 * and shared, so replies come from the browser: per reader (their pending replies, what they may
 * edit), refetched whenever the live stream says they changed.
 */
export const Replies = withProviders(Thread);

function Thread({ slug }: { slug: string }) {
  const client = useQueryClient();
  const { data: thread = null, isError } = useQuery(repliesQuery(slug));
  const failed = isError && !thread;
  const [sort, setSort] = useState<Sort>('oldest');
  const [sending, setSending] = useState<ReplyDto[]>([]);
  // Settles once the replies are at least as new as this call (a fetch under way is followed by one more).
  const load = () => refresh(client, keys.replies(slug));

  // A permalink (#reply-…) can only be followed once the replies are here.
  const jumped = useRef(false);
  useEffect(() => {
    if (!thread || jumped.current) return;
    jumped.current = true;
    const target =
      /^#reply-[0-9a-f-]{36}$/.test(location.hash) && document.querySelector<HTMLElement>(location.hash);
    if (target) {
      target.scrollIntoView();
      target.focus({ preventScroll: true });
    }
  }, [thread]);

  const after = async (
    result: Awaited<ReturnType<typeof postReply>>,
    okMessage?: string,
  ): Promise<FormOutcome> => {
    if (!result.ok) return result;
    await load();
    return {
      ok: true,
      data: { message: result.data.state === 'pending' ? 'Your reply is awaiting moderation.' : okMessage },
    };
  };

  const api: Api = {
    signedIn: Boolean(thread?.viewer),
    open: thread?.open ?? true,
    async post(body, parent) {
      // Shown at once; replaced by the server's version (or taken back with the reason) when it answers.
      const optimistic: ReplyDto = {
        id: `sending-${Date.now()}`,
        parentId: parent ? (parent.depth >= REPLY_MAX_DEPTH ? parent.parentId : parent.id) : null,
        depth: parent ? Math.min(parent.depth + 1, REPLY_MAX_DEPTH) : 1,
        answersName: parent && parent.depth >= REPLY_MAX_DEPTH ? (parent.author?.name ?? null) : null,
        author: thread?.viewer ?? { name: 'You' },
        blocks: [{ t: 'p', c: [body] }],
        state: 'pending',
        createdAt: new Date().toISOString(),
        editedAt: null,
        mine: true,
        source: body,
        editableUntil: null,
        answered: false,
      };
      setSending((s) => [...s, optimistic]);
      try {
        return await after(await postReply({ article: slug, parentId: parent?.id ?? null, body }));
      } finally {
        setSending((s) => s.filter((r) => r !== optimistic));
      }
    },
    edit: async (id, body) => after(await editReply({ id, body })),
    remove: async (id) => after(await deleteReply({ id })),
    report: async (id, reason, note) => {
      const result = await reportReply({ id, reason, note });
      return result.ok ? { ok: true, data: { message: 'Thank you. A moderator will look at it.' } } : result;
    },
  };

  // A reply already in the server's list replaces its optimistic copy at once (the live event
  // can bring it before the action's own answer).
  const stillSending = sending.filter(
    (o) => !thread?.replies.some((r) => r.mine && r.source === o.source && r.parentId === o.parentId),
  );
  const all = [...(thread?.replies ?? []), ...stillSending];
  const roots = nestReplies(all);
  if (sort === 'newest') roots.reverse();
  const signInHref = `/signin?callbackUrl=${encodeURIComponent(`/articles/${slug}#leave-a-reply`)}`;

  return (
    <section className="replies" aria-labelledby="replies-title">
      <div className="replies-head">
        <h2 id="replies-title">{thread ? repliesLabel(thread.count) : 'Replies'}</h2>
        {all.length > 1 && (
          <label className="replies-sort">
            Sort replies{' '}
            <select value={sort} onChange={(e) => setSort(e.target.value as Sort)}>
              <option value="oldest">Oldest first</option>
              <option value="newest">Newest first</option>
            </select>
          </label>
        )}
      </div>
      {failed && (
        <p role="status">Replies could not be loaded. They will appear when the connection returns.</p>
      )}
      {roots.length > 0 && <ReplyList nodes={roots} api={api} />}
      <div id="leave-a-reply" className="leave-reply">
        <h2>Leave a Reply</h2>
        {!thread ? null : !thread.open ? (
          <p>Replies are closed for this article.</p>
        ) : thread.viewer ? (
          <ReplyForm label="Reply" submitLabel="Post reply" onSubmit={(body) => api.post(body, null)}>
            <p className="meta">
              Replying as{' '}
              <strong>
                <bdi>{thread.viewer.name}</bdi>
              </strong>
              . Your email address will not be published.
            </p>
          </ReplyForm>
        ) : (
          <p>
            <a className="button primary" href={signInHref}>
              Sign in to reply
            </a>{' '}
            Your email address will not be published.
          </p>
        )}
      </div>
    </section>
  );
}

function ReplyList({ nodes, api }: { nodes: ReplyNode[]; api: Api }) {
  return (
    <ol className="reply-list">
      {nodes.map((node) => (
        <li key={node.id}>
          <ReplyItem reply={node} api={api} />
          {node.children.length > 0 && <ReplyList nodes={node.children} api={api} />}
        </li>
      ))}
    </ol>
  );
}

const goneText = {
  deleted: 'This reply was deleted.',
  removed: 'This reply was removed by a moderator.',
  hidden: 'This reply is hidden.',
};

function ReplyItem({ reply, api }: { reply: ReplyDto; api: Api }) {
  const [mode, setMode] = useState<'idle' | 'reply' | 'edit' | 'delete' | 'report'>('idle');
  const [expired, setExpired] = useState(false);
  const close = () => setMode('idle');
  // The Edit button goes when the 15 minutes do (the server refuses late edits anyway).
  useEffect(() => {
    if (!reply.editableUntil) return;
    const timer = setTimeout(
      () => setExpired(true),
      Math.max(0, Date.parse(reply.editableUntil) - Date.now()),
    );
    return () => clearTimeout(timer);
  }, [reply.editableUntil]);
  if (reply.state === 'placeholder' || !reply.author)
    return (
      <p className="reply reply-gone" id={`reply-${reply.id}`}>
        {goneText[reply.gone ?? 'deleted']}
      </p>
    );
  const sending = reply.id.startsWith('sending-');
  const editable = reply.editableUntil !== null && !expired;
  const name = reply.author.name;
  return (
    <article
      className="reply"
      id={`reply-${reply.id}`}
      tabIndex={-1}
      aria-labelledby={`reply-${reply.id}-by`}
    >
      <header className="reply-head meta">
        <strong id={`reply-${reply.id}-by`}>
          <bdi>{name}</bdi>
        </strong>
        {reply.answersName && (
          <span>
            {' '}
            replying to <bdi>{reply.answersName}</bdi>
          </span>
        )}
        <a href={`#reply-${reply.id}`} className="reply-permalink">
          <LocalTime iso={reply.createdAt} />
        </a>
        {reply.editedAt && <span className="reply-edited">edited</span>}
        {reply.state === 'pending' && !sending && <span className="reply-pending">Awaiting moderation</span>}
        {sending && <span className="reply-pending">Sending…</span>}
      </header>
      {mode === 'edit' ? (
        <ReplyForm
          label="Edit reply"
          submitLabel="Save"
          initial={reply.source ?? ''}
          autoFocus
          onSubmit={async (body) => {
            const result = await api.edit(reply.id, body);
            if (result.ok) close();
            return result;
          }}
          onCancel={close}
        />
      ) : (
        <div className="reply-body">
          <ReplyBody blocks={reply.blocks} />
        </div>
      )}
      {!sending && (
        <div className="reply-actions">
          {api.signedIn && api.open && reply.state === 'published' && (
            <button
              type="button"
              className="link-button"
              aria-expanded={mode === 'reply'}
              onClick={() => setMode(mode === 'reply' ? 'idle' : 'reply')}
            >
              Reply
            </button>
          )}
          {reply.mine && editable && (
            <button type="button" className="link-button" onClick={() => setMode('edit')}>
              Edit
            </button>
          )}
          {reply.mine && (
            <button type="button" className="link-button" onClick={() => setMode('delete')}>
              Delete
            </button>
          )}
          {api.signedIn && !reply.mine && reply.state === 'published' && (
            <button
              type="button"
              className="link-button"
              aria-expanded={mode === 'report'}
              onClick={() => setMode(mode === 'report' ? 'idle' : 'report')}
            >
              Report
            </button>
          )}
        </div>
      )}
      {mode === 'reply' && (
        <ReplyForm
          label={`Reply to ${name}`}
          submitLabel="Post reply"
          autoFocus
          onSubmit={async (body) => {
            const result = await api.post(body, reply);
            if (result.ok && !result.data.message) close();
            return result;
          }}
          onCancel={close}
        />
      )}
      {mode === 'delete' && <ConfirmDelete onConfirm={() => api.remove(reply.id)} onCancel={close} />}
      {mode === 'report' && (
        <ReportForm onSubmit={(reason, note) => api.report(reply.id, reason, note)} onCancel={close} />
      )}
    </article>
  );
}

function ConfirmDelete({
  onConfirm,
  onCancel,
}: {
  onConfirm: () => Promise<FormOutcome>;
  onCancel: () => void;
}) {
  const [message, setMessage] = useState('');
  return (
    <div className="reply-confirm" role="group" aria-label="Delete this reply?">
      <p>Delete this reply? This cannot be undone.</p>
      <button
        type="button"
        className="button danger"
        autoFocus
        onClick={async () => {
          const result = await onConfirm();
          if (!result.ok) setMessage(result.message);
        }}
      >
        Delete reply
      </button>{' '}
      <button type="button" className="button" onClick={onCancel}>
        Keep it
      </button>
      <p role="status">{message}</p>
    </div>
  );
}

function ReportForm({
  onSubmit,
  onCancel,
}: {
  onSubmit: (reason: string, note: string) => Promise<FormOutcome>;
  onCancel: () => void;
}) {
  const [message, setMessage] = useState('');
  const [done, setDone] = useState(false);
  return (
    <form
      className="reply-form"
      onSubmit={async (event) => {
        event.preventDefault();
        const form = new FormData(event.currentTarget);
        const result = await onSubmit(String(form.get('reason')), String(form.get('note') ?? ''));
        setMessage(result.ok ? (result.data.message ?? '') : result.message);
        setDone(result.ok);
      }}
    >
      <label>
        Reason{' '}
        <select name="reason" defaultValue="abuse" autoFocus>
          <option value="abuse">Abusive or hateful</option>
          <option value="spam">Spam</option>
          <option value="off-topic">Off topic</option>
          <option value="other">Something else</option>
        </select>
      </label>
      <label>
        Details (optional) <input name="note" maxLength={500} />
      </label>
      <p role="status">{message}</p>
      {!done && (
        <div className="reply-form-actions">
          <button type="submit" className="button primary">
            Send report
          </button>
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
        </div>
      )}
    </form>
  );
}
