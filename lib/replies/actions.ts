'use server';

// Every export here is a public endpoint: each one authenticates, validates, loads its target and
// authorizes by itself, in that order (STYLE.md §1.3), and answers with a typed result.
import { after } from 'next/server';
import type { z } from 'zod';
import { authorizedAction } from '../auth/action';
import { canModerate } from '../auth/permissions';
import type { Viewer } from '../auth/session';
import { getArticle } from '../content/queries';
import { getDb } from '../server';
import type { ModerationAction, Role } from '../db/schema';
import { config } from '../env';
import { AppError, type ActionResult, type ErrorCode } from '../errors';
import { getLiveBus } from '../server';
import type { LiveEventType } from '../live/events';
import { log } from '../log';
import { mailEnabled, sendMail } from '../mail/send';
import { repliesRefused } from '../metrics/metrics';
import {
  editReplySchema,
  moderateReplySchema,
  postReplySchema,
  replyTargetSchema,
  reportReplySchema,
} from './schema';
import * as service from './service';

type Done = ActionResult<{ id: string; state: 'published' | 'pending' | 'gone' }>;

const rules = (): service.ReplyRules => ({
  floodSeconds: config.REPLY_FLOOD_SECONDS,
  moderateFirstReply: config.MODERATE_FIRST_REPLY,
});

/** The shared opening (lib/auth/action.ts), echoing what the reader typed on every failure. */
const act = <S extends z.ZodType, T>(
  schema: S,
  raw: unknown,
  run: (viewer: Viewer, input: z.infer<S>) => Promise<ActionResult<T>>,
  allow?: (role: Role) => boolean,
) =>
  authorizedAction(
    raw,
    { schema, values: pickValues(raw), allow, forbidden: 'Only moderators can do that.' },
    run,
  );

// Echoed back on failure so the form keeps what the reader typed (STYLE.md §1.5).
function pickValues(raw: unknown): Record<string, string> {
  if (!raw || typeof raw !== 'object') return {};
  const out: Record<string, string> = {};
  for (const key of ['body', 'reason', 'note'])
    if (typeof (raw as Record<string, unknown>)[key] === 'string')
      out[key] = (raw as Record<string, string>)[key]!;
  return out;
}

async function loadArticle(slug: string) {
  const view = await getArticle(slug);
  if (!view) throw new AppError('not_found', 'That article no longer exists.');
  return view;
}

/** Tells every open page of the article (on every instance); the reply is already safe in the database. */
async function announce(type: LiveEventType, article: string) {
  const topics = (await getArticle(article))?.topics.map((t) => t.slug) ?? [];
  await getLiveBus()
    .publish({ type, topics, article, at: Date.now() })
    .catch((error) => log.error('live', `publish ${type} failed: ${String(error)}`));
}

const stateOf = (status: string) =>
  status === 'published' ? 'published' : status === 'pending' ? 'pending' : 'gone';

// Refusals before the reply rules, by result code (the service counts its own).
const refusalReasons: Partial<Record<ErrorCode, string>> = {
  unauthorized: 'signed_out',
  invalid: 'invalid',
  not_found: 'article_gone',
  unavailable: 'unavailable',
};

export async function postReply(raw: unknown): Promise<Done> {
  let ruled = false; // the service refused it, and counted that
  const result: Done = await act(postReplySchema, raw, async (viewer, input) => {
    const { article } = await loadArticle(input.article);
    const db = await getDb();
    const { reply, created } = await service
      .postReply(db, viewer, { slug: article.slug, repliesOpen: article.replies === 'open' }, input, rules())
      .catch((error: unknown) => {
        ruled = error instanceof AppError;
        throw error;
      });
    if (created) {
      log.info('replies', `reply ${reply.id} by ${viewer.id} on ${article.slug} (${reply.status})`);
      await announce('reply.created', article.slug);
      // After the answer is sent, and never as an unhandled rejection (a database error here
      // would have escaped the request: issue 12).
      if (mailEnabled())
        after(() =>
          service
            .emailAnswered(
              db,
              reply,
              viewer.name,
              { title: article.title, url: `${config.SITE_URL}/articles/${article.slug}` },
              sendMail,
            )
            .catch((error: unknown) =>
              log.error(
                'mail',
                `reply notification not sent: ${error instanceof Error ? error.message : String(error)}`,
              ),
            ),
        );
    }
    return { ok: true, data: { id: reply.id, state: stateOf(reply.status) } };
  });
  if (!result.ok && !ruled) repliesRefused.inc({ reason: refusalReasons[result.code] ?? result.code });
  return result;
}

export async function editReply(raw: unknown): Promise<Done> {
  return act(editReplySchema, raw, async (viewer, input) => {
    const reply = await service.editReply(await getDb(), viewer, input, rules());
    await announce('reply.updated', reply.article);
    return { ok: true, data: { id: reply.id, state: stateOf(reply.status) } };
  });
}

export async function deleteReply(raw: unknown): Promise<Done> {
  return act(replyTargetSchema, raw, async (viewer, input) => {
    const reply = await service.deleteReply(await getDb(), viewer, input.id);
    await announce('reply.deleted', reply.article);
    return { ok: true, data: { id: reply.id, state: 'gone' } };
  });
}

export async function reportReply(raw: unknown): Promise<Done> {
  return act(reportReplySchema, raw, async (viewer, input) => {
    const reply = await service.reportReply(await getDb(), viewer, input);
    return { ok: true, data: { id: reply.id, state: 'published' } };
  });
}

async function moderate(action: ModerationAction, raw: unknown): Promise<Done> {
  return act(
    moderateReplySchema,
    raw,
    async (viewer, input) => {
      const { reply, previous } = await service.moderateReply(await getDb(), viewer, action, input);
      const wasShown = previous === 'published';
      const isShown = reply.status === 'published';
      if (wasShown !== isShown) await announce(isShown ? 'reply.created' : 'reply.deleted', reply.article);
      return { ok: true, data: { id: reply.id, state: stateOf(reply.status) } };
    },
    canModerate,
  ); // and checked again in the service
}

export async function approveReply(raw: unknown): Promise<Done> {
  return moderate('approve', raw);
}
export async function hideReply(raw: unknown): Promise<Done> {
  return moderate('hide', raw);
}
export async function restoreReply(raw: unknown): Promise<Done> {
  return moderate('restore', raw);
}
export async function removeReply(raw: unknown): Promise<Done> {
  return moderate('remove', raw);
}
export async function dismissReports(raw: unknown): Promise<Done> {
  return moderate('dismiss', raw);
}
