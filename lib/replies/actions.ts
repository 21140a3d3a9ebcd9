'use server';

// Every export here is a public endpoint: each one authenticates, validates, loads its target and
// authorizes by itself, in that order (STYLE.md §1.3), and answers with a typed result.
import { headers } from 'next/headers';
import type { z } from 'zod';
import { actionViewer, logRefusal, type Viewer } from '../auth/session';
import { getArticle } from '../content/queries';
import { getDb } from '../db/client';
import { storing } from '../db/storage';
import type { ModerationAction } from '../db/schema';
import { config } from '../env';
import { AppError, fail, type ActionResult } from '../errors';
import { getLiveBus } from '../live/instance';
import type { LiveEventType } from '../live/events';
import { log } from '../log';
import { mailEnabled, sendMail } from '../mail/send';
import { fieldErrors } from '../validation';
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

/** The viewer, parsed input, and AppErrors turned into results; anything else is unexpected and throws. */
async function act<S extends z.ZodType, T>(
  schema: S,
  raw: unknown,
  run: (viewer: Viewer, input: z.infer<S>) => Promise<ActionResult<T>>,
): Promise<ActionResult<T>> {
  const viewer = await actionViewer();
  const values = pickValues(raw);
  if (!viewer) return fail('unauthorized', 'Your session has ended. Please sign in again.', { values });
  const input = schema.safeParse(raw);
  if (!input.success) {
    const errors = fieldErrors(input.error);
    return fail('invalid', Object.values(errors)[0]?.[0] ?? 'Please check what you entered.', {
      fieldErrors: errors,
      values,
    });
  }
  try {
    return await storing(() => run(viewer, input.data), values);
  } catch (error) {
    if (error instanceof AppError) {
      if (error.code === 'forbidden')
        logRefusal(await headers(), `forbidden for ${viewer.role} ${viewer.id}`);
      return fail(error.code, error.message, { values, retryAfterSeconds: error.retryAfterSeconds });
    }
    throw error;
  }
}

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

export async function postReply(raw: unknown): Promise<Done> {
  return act(postReplySchema, raw, async (viewer, input) => {
    const { article } = await loadArticle(input.article);
    const db = await getDb();
    const { reply, created } = await service.postReply(
      db,
      viewer,
      { slug: article.slug, repliesOpen: article.replies === 'open' },
      input,
      rules(),
    );
    if (created) {
      log.info('replies', `reply ${reply.id} by ${viewer.id} on ${article.slug} (${reply.status})`);
      await announce('reply.created', article.slug);
      if (mailEnabled())
        void service.emailAnswered(
          db,
          reply,
          viewer.name,
          { title: article.title, url: `${config.SITE_URL}/articles/${article.slug}` },
          sendMail,
        );
    }
    return { ok: true, data: { id: reply.id, state: stateOf(reply.status) } };
  });
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
  return act(moderateReplySchema, raw, async (viewer, input) => {
    const { reply, previous } = await service.moderateReply(await getDb(), viewer, action, input);
    const wasShown = previous === 'published';
    const isShown = reply.status === 'published';
    if (wasShown !== isShown) await announce(isShown ? 'reply.created' : 'reply.deleted', reply.article);
    return { ok: true, data: { id: reply.id, state: stateOf(reply.status) } };
  });
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
