import { createHash, randomUUID } from 'node:crypto';
import { canModerate } from '../auth/permissions';
import { isUniqueViolation, type Db } from '../db/client';
import type { ModerationAction, RepliesTable, ReplyStatus, Role } from '../db/schema';
import { AppError } from '../errors';
import { log } from '../log';
import { repliesAccepted, repliesRefused } from '../metrics/metrics';
import { forgetReplyNotifications, notifyReplyAnswered } from '../notifications/service';
import { renderReply } from './render';
import { EDIT_WINDOW_MS, REPLY_MAX_DEPTH, type EditReplyInput, type PostReplyInput } from './schema';

/** Who acts: the session's viewer. */
export type Actor = { id: string; name: string; role: Role };
/** The article replied to, as the content store knows it. */
export type ReplyArticle = { slug: string; repliesOpen: boolean };
export type ReplyRules = { floodSeconds: number; moderateFirstReply: boolean; now?: () => number };
export type Reply = RepliesTable;

const isModerator = (actor: Actor) => canModerate(actor.role);
const clock = (rules: Pick<ReplyRules, 'now'>) => (rules.now ?? Date.now)();

const dedupeKey = (authorId: string, article: string, answersId: string | null, body: string) =>
  createHash('sha256')
    .update(JSON.stringify([authorId, article, answersId ?? '', body]))
    .digest('base64url');

const findByKey = (db: Db, key: string) =>
  db.selectFrom('replies').selectAll().where('dedupe_key', '=', key).executeTakeFirst();

/** Whether a viewer may see (and answer, report) a reply's text. */
const visibleTo = (reply: Reply, actor: Actor | null) =>
  reply.status === 'published' || (reply.status === 'pending' && reply.author_id === actor?.id);

async function hasApprovedReply(db: Db, authorId: string) {
  const row = await db
    .selectFrom('replies')
    .select('id')
    .where('author_id', '=', authorId)
    .where('status', '=', 'published')
    .limit(1)
    .executeTakeFirst();
  return Boolean(row);
}

export type PostResult = { reply: Reply; created: boolean };

/** A reply the rules refuse, counted by why (the action counts refusals before the rules). */
const refused = (reason: 'closed' | 'parent_gone' | 'no_account' | 'flood', error: AppError) => {
  repliesRefused.inc({ reason });
  return error;
};

/**
 * Posts a reply under the rules of SPEC §5. The same text to the same reply by the same author
 * returns the first one (one row, even for two submissions at once); flood control claims
 * `users.last_reply_at` with a conditional update, which is atomic on SQLite and PostgreSQL.
 */
export async function postReply(
  db: Db,
  actor: Actor,
  article: ReplyArticle,
  input: PostReplyInput,
  rules: ReplyRules,
): Promise<PostResult> {
  if (!article.repliesOpen)
    throw refused('closed', new AppError('forbidden', 'Replies are closed on this article.'));
  const now = clock(rules);
  let parent: Reply | undefined;
  if (input.parentId) {
    parent = await db
      .selectFrom('replies')
      .selectAll()
      .where('id', '=', input.parentId)
      .where('article', '=', article.slug)
      .executeTakeFirst();
    if (!parent || !visibleTo(parent, actor))
      throw refused(
        'parent_gone',
        new AppError('not_found', 'The reply you are answering is no longer available.'),
      );
  }
  const key = dedupeKey(actor.id, article.slug, parent?.id ?? null, input.body);
  const rendered = renderReply(input.body);
  const exempt = isModerator(actor);
  let status: ReplyStatus = 'published';
  if (!exempt && rendered.links >= 2) status = 'pending';
  else if (!exempt && rules.moderateFirstReply && !(await hasApprovedReply(db, actor.id))) status = 'pending';

  const reply: Reply = {
    id: randomUUID(),
    article: article.slug,
    // Threads stop at depth 3: an answer to a depth-3 reply sits beside it and names whom it answers.
    parent_id: parent ? (parent.depth >= REPLY_MAX_DEPTH ? parent.parent_id : parent.id) : null,
    answers_id: parent?.id ?? null,
    depth: parent ? Math.min(parent.depth + 1, REPLY_MAX_DEPTH) : 1,
    author_id: actor.id,
    body: input.body,
    rendered: JSON.stringify(rendered.blocks),
    dedupe_key: key,
    status,
    created_at: now,
    edited_at: null,
    updated_at: now,
  };

  try {
    const outcome = await db
      .transaction()
      .execute(async (tx): Promise<PostResult | { waitSeconds: number }> => {
        const existing = await findByKey(tx, key);
        if (existing) return { reply: existing, created: false };
        if (!exempt && rules.floodSeconds > 0) {
          const claimed = await tx
            .updateTable('users')
            .set({ last_reply_at: now })
            .where('id', '=', actor.id)
            .where((eb) =>
              eb.or([
                eb('last_reply_at', 'is', null),
                eb('last_reply_at', '<=', now - rules.floodSeconds * 1000),
              ]),
            )
            .executeTakeFirst();
          if (claimed.numUpdatedRows === 0n) {
            // Waiting on a twin submission's row lock ends here too: if it committed, return its reply.
            const twin = await findByKey(tx, key);
            if (twin) return { reply: twin, created: false };
            const user = await tx
              .selectFrom('users')
              .select('last_reply_at')
              .where('id', '=', actor.id)
              .executeTakeFirst();
            if (!user)
              throw refused('no_account', new AppError('unauthorized', 'Your account no longer exists.'));
            const waitMs = (user.last_reply_at ?? now) + rules.floodSeconds * 1000 - now;
            return { waitSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
          }
        }
        await tx.insertInto('replies').values(reply).execute();
        if (status === 'published') await notifyAnswered(tx, reply, actor);
        return { reply, created: true };
      });
    if ('waitSeconds' in outcome) {
      log.warn('replies', `flood control: user ${actor.id} must wait ${outcome.waitSeconds}s`);
      throw refused(
        'flood',
        new AppError(
          'rate_limited',
          `You are posting too quickly. Please wait ${outcome.waitSeconds} second${outcome.waitSeconds === 1 ? '' : 's'}.`,
          outcome.waitSeconds,
        ),
      );
    }
    if (outcome.created) repliesAccepted.inc({ status: outcome.reply.status });
    return outcome;
  } catch (error) {
    // Two identical submissions at once: the second one's insert lost the race on dedupe_key.
    if (isUniqueViolation(error)) {
      const first = await findByKey(db, key);
      if (first) return { reply: first, created: false };
    }
    throw error;
  }
}

/** Tells the author of the answered reply (in the app; email is sent by the caller after commit). */
async function notifyAnswered(tx: Db, reply: Reply, actor: Pick<Actor, 'id' | 'name'>) {
  if (!reply.answers_id) return;
  const answered = await tx
    .selectFrom('replies')
    .select('author_id')
    .where('id', '=', reply.answers_id)
    .executeTakeFirst();
  if (!answered?.author_id || answered.author_id === reply.author_id) return;
  await notifyReplyAnswered(tx, {
    userId: answered.author_id,
    article: reply.article,
    replyId: reply.id,
    actorName: actor.name,
    createdAt: reply.created_at,
  });
}

async function loadOwn(db: Db, actor: Actor, id: string): Promise<Reply> {
  const reply = await db.selectFrom('replies').selectAll().where('id', '=', id).executeTakeFirst();
  if (!reply || !visibleTo(reply, actor))
    throw new AppError('not_found', 'That reply is no longer available.');
  if (reply.author_id !== actor.id) throw new AppError('forbidden', 'You can only change your own replies.');
  return reply;
}

async function isAnswered(db: Db, id: string) {
  const row = await db
    .selectFrom('replies')
    .select('id')
    .where((eb) => eb.or([eb('answers_id', '=', id), eb('parent_id', '=', id)]))
    .where('status', 'in', ['published', 'pending', 'hidden'])
    .limit(1)
    .executeTakeFirst();
  return Boolean(row);
}

/** Edits one's own reply: within 15 minutes, and not once someone answered it. */
export async function editReply(
  db: Db,
  actor: Actor,
  input: EditReplyInput,
  rules: ReplyRules,
): Promise<Reply> {
  return db.transaction().execute(async (tx) => {
    const reply = await loadOwn(tx, actor, input.id);
    const now = clock(rules);
    if (now - reply.created_at > EDIT_WINDOW_MS)
      throw new AppError('forbidden', 'Replies can only be edited for 15 minutes after posting.');
    if (await isAnswered(tx, reply.id))
      throw new AppError('conflict', 'Someone has answered this reply, so it can no longer be edited.');
    if (input.body === reply.body) return reply;
    const rendered = renderReply(input.body);
    // An edit can't slip links past moderation.
    const status: ReplyStatus = !isModerator(actor) && rendered.links >= 2 ? 'pending' : reply.status;
    const changes = {
      body: input.body,
      rendered: JSON.stringify(rendered.blocks),
      dedupe_key: dedupeKey(actor.id, reply.article, reply.answers_id, input.body),
      status,
      edited_at: now,
      updated_at: now,
    };
    try {
      await tx.updateTable('replies').set(changes).where('id', '=', reply.id).execute();
    } catch (error) {
      if (isUniqueViolation(error))
        throw new AppError('conflict', 'You already posted a reply with that text here.');
      throw error;
    }
    return { ...reply, ...changes };
  });
}

/** Deletes one's own reply at any time. The row stays as a placeholder (text erased) for its answers. */
export async function deleteReply(
  db: Db,
  actor: Actor,
  id: string,
  rules: Pick<ReplyRules, 'now'> = {},
): Promise<Reply> {
  return db.transaction().execute(async (tx) => {
    const reply = await loadOwn(tx, actor, id);
    const now = clock(rules);
    const changes = {
      status: 'deleted' as const,
      body: '',
      rendered: '[]',
      dedupe_key: `deleted:${reply.id}`,
      updated_at: now,
    };
    await tx.updateTable('replies').set(changes).where('id', '=', reply.id).execute();
    await forgetReplyNotifications(tx, reply.id);
    return { ...reply, ...changes };
  });
}

/** A reader reports someone else's reply; reporting twice keeps the first report. */
export async function reportReply(
  db: Db,
  actor: Actor,
  input: { id: string; reason: string; note: string },
  rules: Pick<ReplyRules, 'now'> = {},
) {
  const reply = await db.selectFrom('replies').selectAll().where('id', '=', input.id).executeTakeFirst();
  if (!reply || reply.status !== 'published')
    throw new AppError('not_found', 'That reply is no longer available.');
  if (reply.author_id === actor.id) throw new AppError('invalid', 'You cannot report your own reply.');
  await db
    .insertInto('reply_reports')
    .values({
      reply_id: reply.id,
      reporter_id: actor.id,
      reason: input.note ? `${input.reason}: ${input.note}` : input.reason,
      created_at: clock(rules),
      resolved_at: null,
    })
    .onConflict((oc) => oc.columns(['reply_id', 'reporter_id']).doNothing())
    .execute();
  log.info('replies', `reply ${reply.id} reported by ${actor.id} (${input.reason})`);
  return reply;
}

const transitions: Record<ModerationAction, { from: ReplyStatus[]; to: ReplyStatus | null }> = {
  approve: { from: ['pending'], to: 'published' },
  hide: { from: ['published', 'pending'], to: 'hidden' },
  restore: { from: ['hidden'], to: 'published' },
  remove: { from: ['published', 'pending', 'hidden'], to: 'removed' },
  // Reports were unfounded: the reply stays as it is.
  dismiss: { from: ['published'], to: null },
};

/**
 * A moderator's act on a reply: authorized here (not only by the page), applied with its log
 * entry in one transaction, and every open report on the reply resolved by it.
 */
export async function moderateReply(
  db: Db,
  actor: Actor,
  action: ModerationAction,
  input: { id: string; reason: string },
  rules: Pick<ReplyRules, 'now'> = {},
): Promise<{ reply: Reply; article: string; previous: ReplyStatus }> {
  if (!isModerator(actor)) {
    log.warn('authz', `moderation ${action} refused for user ${actor.id}`);
    throw new AppError('forbidden', 'Only moderators can do that.');
  }
  const now = clock(rules);
  const result = await db.transaction().execute(async (tx) => {
    const reply = await tx.selectFrom('replies').selectAll().where('id', '=', input.id).executeTakeFirst();
    if (!reply) throw new AppError('not_found', 'That reply no longer exists.');
    const rule = transitions[action];
    if (!rule.from.includes(reply.status))
      throw new AppError(
        'conflict',
        `This reply is ${reply.status}; it cannot be ${action === 'dismiss' ? 'dismissed' : `${action}d`}.`,
      );
    const next = { ...reply, status: rule.to ?? reply.status, updated_at: now };
    if (rule.to)
      await tx
        .updateTable('replies')
        .set({ status: rule.to, updated_at: now })
        .where('id', '=', reply.id)
        .execute();
    await tx
      .updateTable('reply_reports')
      .set({ resolved_at: now })
      .where('reply_id', '=', reply.id)
      .where('resolved_at', 'is', null)
      .execute();
    await tx
      .insertInto('moderation_log')
      .values({
        id: randomUUID(),
        actor_id: actor.id,
        actor_name: actor.name,
        reply_id: reply.id,
        action,
        reason: input.reason,
        created_at: now,
      })
      .execute();
    if (action === 'approve' && reply.author_id) {
      const author = await tx
        .selectFrom('users')
        .select(['id', 'name'])
        .where('id', '=', reply.author_id)
        .executeTakeFirst();
      if (author) await notifyAnswered(tx, next, author);
    }
    return { reply: next, article: reply.article, previous: reply.status };
  });
  log.info(
    'moderation',
    `${actor.id} ${action} reply ${input.id}${input.reason ? ` (${JSON.stringify(input.reason)})` : ''}`,
  );
  return result;
}

/**
 * Emails the author of the answered reply, when they opted in. Plain text only: what readers
 * wrote never becomes HTML. Called after the reply committed; a mail failure is logged, not fatal.
 */
export async function emailAnswered(
  db: Db,
  reply: Reply,
  actorName: string,
  article: { title: string; url: string },
  send: (to: string, subject: string, text: string) => Promise<void>,
): Promise<boolean> {
  if (!reply.answers_id || reply.status !== 'published') return false;
  const recipient = await db
    .selectFrom('replies as r')
    .innerJoin('users as u', 'u.id', 'r.author_id')
    .select(['u.id', 'u.email', 'u.notify_email'])
    .where('r.id', '=', reply.answers_id)
    .executeTakeFirst();
  if (!recipient || recipient.notify_email !== 1 || recipient.id === reply.author_id) return false;
  const text = [
    `${actorName} replied to you on "${article.title}":`,
    '',
    ...reply.body.split('\n').map((line) => `> ${line}`),
    '',
    `Read and answer: ${article.url}#reply-${reply.id}`,
    '',
    'You get these emails because you asked for them on your account page; turn them off there.',
  ].join('\n');
  try {
    await send(recipient.email, `${actorName} replied to you`, text);
    return true;
  } catch (error) {
    log.error('mail', 'reply notification failed', error);
    return false;
  }
}
