import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { describeEachDatabase } from '../testing/each-database';
import { listNotifications } from '../notifications/queries';
import { markNotificationsRead } from '../notifications/service';
import { insertReader } from '../testing/factories';
import { metricValue } from '../testing/metrics';
import { countReplies, listModerationLog, listModerationQueues, listReplies } from './queries';
import { editReplySchema, postReplySchema } from './schema';
import {
  deleteReply,
  editReply,
  emailAnswered,
  moderateReply,
  postReply,
  reportReply,
  type Actor,
  type ReplyRules,
} from './service';

let articleN = 0;
const newArticle = (repliesOpen = true) => ({
  slug: `article-${++articleN}-${Date.now().toString(36)}`,
  repliesOpen,
});
const T0 = Date.UTC(2026, 10, 28, 9, 0, 0);
const at = (ms: number): ReplyRules => ({ floodSeconds: 15, moderateFirstReply: false, now: () => T0 + ms });
const input = (article: string, body: string, parentId?: string) =>
  postReplySchema.parse({ article, body, parentId });

describeEachDatabase('replies', ({ db, test: maybe }) => {
  const reader = (overrides: Parameters<typeof insertReader>[1] = {}): Promise<Actor> =>
    insertReader(db(), overrides);

  maybe('posts a reply, stored verbatim, rendered once, listed without any email', async () => {
    const a = newArticle();
    const ada = await reader({ name: 'Ada' });
    const body = 'Hello *world* <b>bold?</b>';
    const { reply, created } = await postReply(db(), ada, a, input(a.slug, body), at(0));
    expect(created).toBe(true);
    expect(reply).toMatchObject({ body, status: 'published', depth: 1, parent_id: null });
    const thread = await listReplies(db(), a.slug, null, T0);
    expect(thread.count).toBe(1);
    expect(thread.replies[0]).toMatchObject({ author: { name: 'Ada' }, state: 'published', mine: false });
    expect(JSON.stringify(thread)).not.toMatch(/@example\.org/);
    expect(JSON.stringify(thread.replies[0]!.blocks)).toContain('<b>bold?</b>'); // as text, not markup
  });

  maybe(
    'threads to depth 3; an answer to a depth-3 reply sits at depth 3 and names whom it answers',
    async () => {
      const a = newArticle();
      const [ada, bo] = [await reader({ name: 'Ada' }), await reader({ name: 'Bo' })];
      const r1 = (await postReply(db(), ada, a, input(a.slug, 'one'), at(0))).reply;
      const r2 = (await postReply(db(), bo, a, input(a.slug, 'two', r1.id), at(0))).reply;
      const r3 = (await postReply(db(), ada, a, input(a.slug, 'three', r2.id), at(20_000))).reply;
      const r4 = (await postReply(db(), bo, a, input(a.slug, 'four', r3.id), at(20_000))).reply;
      expect([r1.depth, r2.depth, r3.depth, r4.depth]).toEqual([1, 2, 3, 3]);
      expect(r4.parent_id).toBe(r2.id);
      expect(r4.answers_id).toBe(r3.id);
      const view = (await listReplies(db(), a.slug, null, T0)).replies.find((r) => r.id === r4.id);
      expect(view?.answersName).toBe('Ada');
    },
  );

  maybe('refuses empty, whitespace-only, zero-width-only and over-long text; counts scalar values', () => {
    for (const body of ['', '   \n\t ', '\u200B\u200C\u200D\uFEFF', '\u2060 \u3164'])
      expect(postReplySchema.safeParse({ article: 'a', body }).success, JSON.stringify(body)).toBe(false);
    expect(postReplySchema.safeParse({ article: 'a', body: 'x'.repeat(5000) }).success).toBe(true);
    expect(postReplySchema.safeParse({ article: 'a', body: 'x'.repeat(5001) }).success).toBe(false);
    // 5,000 emoji are 10,000 UTF-16 units but 5,000 characters.
    expect(postReplySchema.safeParse({ article: 'a', body: '😀'.repeat(5000) }).success).toBe(true);
    expect(postReplySchema.safeParse({ article: 'a', body: '😀'.repeat(5001) }).success).toBe(false);
    expect(postReplySchema.safeParse({ article: 'a', body: 'nul\u0000' }).success).toBe(false);
    expect(postReplySchema.safeParse({ article: 'a', body: 'lone \uD800' }).success).toBe(false);
    return Promise.resolve();
  });

  maybe('flood control: a second reply within 15 s is rate_limited with the seconds to wait', async () => {
    const a = newArticle();
    const ada = await reader();
    await postReply(db(), ada, a, input(a.slug, 'first'), at(0));
    await expect(postReply(db(), ada, a, input(a.slug, 'second'), at(4_000))).rejects.toMatchObject({
      code: 'rate_limited',
      retryAfterSeconds: 11,
    });
    expect((await postReply(db(), ada, a, input(a.slug, 'second'), at(15_000))).created).toBe(true);
    const mod = await reader({ role: 'moderator' });
    await postReply(db(), mod, a, input(a.slug, 'mod one'), at(0));
    expect((await postReply(db(), mod, a, input(a.slug, 'mod two'), at(1))).created).toBe(true); // exempt
  });

  maybe('the same text to the same parent returns the first reply: one row, no error', async () => {
    const a = newArticle();
    const ada = await reader();
    const first = await postReply(db(), ada, a, input(a.slug, 'same words'), at(0));
    const again = await postReply(db(), ada, a, input(a.slug, 'same words'), at(2_000));
    expect(again).toEqual({ reply: first.reply, created: false });
    expect((await listReplies(db(), a.slug, null, T0)).count).toBe(1);
  });

  maybe('counts replies accepted by the state they start in, and refused by why (/metrics)', async () => {
    const series = {
      published: ['dispatch_replies_accepted_total', { status: 'published' }],
      pending: ['dispatch_replies_accepted_total', { status: 'pending' }],
      flood: ['dispatch_replies_refused_total', { reason: 'flood' }],
      closed: ['dispatch_replies_refused_total', { reason: 'closed' }],
      parent_gone: ['dispatch_replies_refused_total', { reason: 'parent_gone' }],
    } as const;
    const read = async () =>
      Object.fromEntries(
        await Promise.all(
          Object.entries(series).map(async ([key, [name, labels]]) => [key, await metricValue(name, labels)]),
        ),
      ) as Record<keyof typeof series, number>;
    const before = await read();
    const a = newArticle();
    const ada = await reader();
    await postReply(db(), ada, a, input(a.slug, 'counted once'), at(0));
    await postReply(db(), ada, a, input(a.slug, 'counted once'), at(1_000)); // the same reply again
    await expect(postReply(db(), ada, a, input(a.slug, 'too soon'), at(2_000))).rejects.toThrow();
    await postReply(db(), ada, a, input(a.slug, 'see https://a.example and https://b.example'), at(20_000));
    const closed = newArticle(false);
    await expect(postReply(db(), ada, closed, input(closed.slug, 'hello'), at(40_000))).rejects.toThrow();
    const orphan = input(a.slug, 'to nobody', randomUUID());
    await expect(postReply(db(), ada, a, orphan, at(60_000))).rejects.toThrow();
    const after = await read();
    const moved = Object.fromEntries(
      Object.entries(after).map(([k, v]) => [k, v - before[k as keyof typeof before]]),
    );
    expect(moved).toEqual({ published: 1, pending: 1, flood: 1, closed: 1, parent_gone: 1 });
  });

  maybe('two identical submissions at once make one row', async () => {
    for (const floodSeconds of [15, 0]) {
      const a = newArticle();
      const ada = await reader();
      const rules = { ...at(0), floodSeconds };
      const results = await Promise.all([
        postReply(db(), ada, a, input(a.slug, 'double click'), rules),
        postReply(db(), ada, a, input(a.slug, 'double click'), rules),
        postReply(db(), ada, a, input(a.slug, 'double click'), rules),
      ]);
      expect(new Set(results.map((r) => r.reply.id)).size).toBe(1);
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect((await listReplies(db(), a.slug, null, T0)).count).toBe(1);
    }
  });

  maybe('2 or more links from a reader wait for moderation; only the author sees them', async () => {
    const a = newArticle();
    const [ada, bo, mod] = [await reader(), await reader(), await reader({ role: 'moderator' })];
    const one = await postReply(db(), ada, a, input(a.slug, 'see https://example.org'), at(0));
    expect(one.reply.status).toBe('published');
    const two = await postReply(
      db(),
      ada,
      a,
      input(a.slug, 'https://a.example and [b](https://b.example)'),
      at(20_000),
    );
    expect(two.reply.status).toBe('pending');
    const own = await listReplies(db(), a.slug, ada, T0);
    expect(own.replies.find((r) => r.id === two.reply.id)?.state).toBe('pending');
    expect(own.count).toBe(1);
    expect((await listReplies(db(), a.slug, bo, T0)).replies.map((r) => r.id)).toEqual([one.reply.id]);
    const modPost = await postReply(
      db(),
      mod,
      a,
      input(a.slug, 'https://a.example https://b.example'),
      at(0),
    );
    expect(modPost.reply.status).toBe('published');
    // Approval publishes it and logs who did it.
    await moderateReply(db(), mod, 'approve', { id: two.reply.id, reason: 'links are fine' }, at(30_000));
    expect((await listReplies(db(), a.slug, bo, T0)).count).toBe(3);
    const log = await listModerationLog(db());
    expect(log.find((l) => l.replyId === two.reply.id)).toMatchObject({
      action: 'approve',
      reason: 'links are fine',
    });
  });

  maybe('MODERATE_FIRST_REPLY holds a reader until one of their replies was approved', async () => {
    const a = newArticle();
    const [ada, mod] = [await reader(), await reader({ role: 'moderator' })];
    const rules = { ...at(0), moderateFirstReply: true };
    const first = await postReply(db(), ada, a, input(a.slug, 'my first words'), rules);
    expect(first.reply.status).toBe('pending');
    await moderateReply(db(), mod, 'approve', { id: first.reply.id, reason: '' });
    const second = await postReply(db(), ada, a, input(a.slug, 'my second words'), {
      ...rules,
      now: () => T0 + 20_000,
    });
    expect(second.reply.status).toBe('published');
    expect((await postReply(db(), mod, a, input(a.slug, 'staff'), rules)).reply.status).toBe('published');
  });

  maybe('replies: closed is refused on the server', async () => {
    const a = newArticle(false);
    await expect(postReply(db(), await reader(), a, input(a.slug, 'hello'), at(0))).rejects.toMatchObject({
      code: 'forbidden',
    });
  });

  maybe('a reply to a reply on another article, or to a hidden one, is not_found', async () => {
    const [a, b] = [newArticle(), newArticle()];
    const [ada, mod] = [await reader(), await reader({ role: 'moderator' })];
    const r = (await postReply(db(), ada, a, input(a.slug, 'on a'), at(0))).reply;
    await expect(postReply(db(), ada, b, input(b.slug, 'x', r.id), at(20_000))).rejects.toMatchObject({
      code: 'not_found',
    });
    await moderateReply(db(), mod, 'hide', { id: r.id, reason: 'abuse' });
    await expect(postReply(db(), ada, a, input(a.slug, 'y', r.id), at(40_000))).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  maybe(
    'edits within 15 minutes, not after, not once answered, not others’ replies; shows edited',
    async () => {
      const a = newArticle();
      const [ada, bo] = [await reader(), await reader()];
      const r = (await postReply(db(), ada, a, input(a.slug, 'typo'), at(0))).reply;
      const edited = await editReply(
        db(),
        ada,
        editReplySchema.parse({ id: r.id, body: 'fixed' }),
        at(14 * 60_000),
      );
      expect(edited).toMatchObject({ body: 'fixed', edited_at: T0 + 14 * 60_000 });
      const view = (await listReplies(db(), a.slug, ada, T0 + 14 * 60_000)).replies[0]!;
      expect(view.editedAt).not.toBeNull();
      expect(view.editableUntil).toBe(new Date(T0 + 15 * 60_000).toISOString());
      await expect(
        editReply(db(), ada, { id: r.id, body: 'late' }, at(15 * 60_000 + 1)),
      ).rejects.toMatchObject({ code: 'forbidden' });
      await expect(editReply(db(), bo, { id: r.id, body: 'mine now' }, at(60_000))).rejects.toMatchObject({
        code: 'forbidden',
      });
      const r2 = (await postReply(db(), ada, a, input(a.slug, 'second'), at(20_000))).reply;
      await postReply(db(), bo, a, input(a.slug, 'answer', r2.id), at(30_000));
      await expect(editReply(db(), ada, { id: r2.id, body: 'changed' }, at(60_000))).rejects.toMatchObject({
        code: 'conflict',
      });
    },
  );

  maybe('an edit that adds links goes back to moderation', async () => {
    const a = newArticle();
    const ada = await reader();
    const r = (await postReply(db(), ada, a, input(a.slug, 'clean'), at(0))).reply;
    const e = await editReply(
      db(),
      ada,
      { id: r.id, body: 'https://spam.example https://more.example' },
      at(1_000),
    );
    expect(e.status).toBe('pending');
  });

  maybe('delete leaves a placeholder only when answered, and erases the text', async () => {
    const a = newArticle();
    const [ada, bo] = [await reader(), await reader()];
    const lone = (await postReply(db(), ada, a, input(a.slug, 'alone'), at(0))).reply;
    const parent = (await postReply(db(), ada, a, input(a.slug, 'parent'), at(20_000))).reply;
    const child = (await postReply(db(), bo, a, input(a.slug, 'child', parent.id), at(25_000))).reply;
    await deleteReply(db(), ada, lone.id);
    await deleteReply(db(), ada, parent.id);
    await expect(deleteReply(db(), ada, child.id)).rejects.toMatchObject({ code: 'forbidden' });
    const view = (await listReplies(db(), a.slug, null, T0)).replies;
    expect(view.map((r) => [r.id, r.state, r.gone])).toEqual([
      [parent.id, 'placeholder', 'deleted'],
      [child.id, 'published', undefined],
    ]);
    expect(view[0]).toMatchObject({ author: null, blocks: [] });
    const row = await db()
      .selectFrom('replies')
      .select('body')
      .where('id', '=', parent.id)
      .executeTakeFirstOrThrow();
    expect(row.body).toBe('');
    // The same words may be posted again once deleted.
    expect((await postReply(db(), ada, a, input(a.slug, 'alone'), at(40_000))).created).toBe(true);
  });

  maybe(
    'reports with reasons reach the queue; moderation is per call, logged, and hides from readers',
    async () => {
      const a = newArticle();
      const [ada, bo, cy, mod] = [
        await reader(),
        await reader(),
        await reader(),
        await reader({ role: 'admin', name: 'Mo' }),
      ];
      const r = (await postReply(db(), ada, a, input(a.slug, 'rude words'), at(0))).reply;
      await expect(reportReply(db(), ada, { id: r.id, reason: 'spam', note: '' })).rejects.toMatchObject({
        code: 'invalid',
      });
      await reportReply(db(), bo, { id: r.id, reason: 'abuse', note: 'insults' });
      await reportReply(db(), bo, { id: r.id, reason: 'abuse', note: 'again' }); // kept once
      await reportReply(db(), cy, { id: r.id, reason: 'spam', note: '' });
      const queue = await listModerationQueues(db());
      expect(
        queue.reported
          .find((q) => q.id === r.id)
          ?.reports.map((x) => x.reason)
          .sort(),
      ).toEqual(['abuse: insults', 'spam']);
      await expect(moderateReply(db(), bo, 'hide', { id: r.id, reason: 'no' })).rejects.toMatchObject({
        code: 'forbidden',
      });
      await moderateReply(db(), mod, 'hide', { id: r.id, reason: 'insults' });
      expect((await listReplies(db(), a.slug, bo, T0)).replies).toEqual([]);
      const after = await listModerationQueues(db());
      expect(after.reported.some((q) => q.id === r.id)).toBe(false);
      expect(after.hidden.some((q) => q.id === r.id)).toBe(true);
      await expect(moderateReply(db(), mod, 'hide', { id: r.id, reason: '' })).rejects.toMatchObject({
        code: 'conflict',
      });
      await moderateReply(db(), mod, 'restore', { id: r.id, reason: 'on appeal' });
      expect((await listReplies(db(), a.slug, bo, T0)).count).toBe(1);
      await moderateReply(db(), mod, 'remove', { id: r.id, reason: 'final' });
      expect((await listReplies(db(), a.slug, bo, T0)).replies).toEqual([]);
      const log = (await listModerationLog(db())).filter((l) => l.replyId === r.id);
      expect(log.map((l) => [l.action, l.actor, l.reason])).toEqual([
        ['remove', 'Mo', 'final'],
        ['restore', 'Mo', 'on appeal'],
        ['hide', 'Mo', 'insults'],
      ]);
    },
  );

  maybe(
    'answering a reply notifies its author (not oneself); mark read; email only when opted in',
    async () => {
      const a = newArticle();
      const [ada, bo] = [await reader({ notifyEmail: true }), await reader({ name: 'Bo <b>' })];
      const r = (await postReply(db(), ada, a, input(a.slug, 'question'), at(0))).reply;
      await postReply(db(), ada, a, input(a.slug, 'self answer', r.id), at(20_000));
      const answer = (
        await postReply(db(), bo, a, input(a.slug, '<script>alert(1)</script> answer', r.id), at(0))
      ).reply;
      const inbox = await listNotifications(db(), ada.id);
      expect(inbox.unread).toBe(1);
      expect(inbox.items[0]).toMatchObject({
        kind: 'reply',
        article: a.slug,
        replyId: answer.id,
        actorName: 'Bo <b>',
        read: false,
      });
      await markNotificationsRead(db(), ada.id);
      expect((await listNotifications(db(), ada.id)).unread).toBe(0);

      const sent: { to: string; subject: string; text: string }[] = [];
      const send = async (to: string, subject: string, text: string) => void sent.push({ to, subject, text });
      expect(
        await emailAnswered(db(), answer, bo.name, { title: 'T', url: 'http://x/articles/a' }, send),
      ).toBe(true);
      expect(sent[0]?.text).toContain('> <script>alert(1)</script> answer'); // plain text, never HTML
      const back = (await postReply(db(), ada, a, input(a.slug, 'thanks', answer.id), at(40_000))).reply;
      expect(await emailAnswered(db(), back, ada.name, { title: 'T', url: 'u' }, send)).toBe(false); // Bo didn't opt in
    },
  );

  maybe('reply counts per article in one query', async () => {
    const [a, b] = [newArticle(), newArticle()];
    const [ada, bo] = [await reader(), await reader()];
    await postReply(db(), ada, a, input(a.slug, 'x'), at(0));
    await postReply(db(), bo, a, input(a.slug, 'y'), at(0));
    await postReply(db(), bo, b, input(b.slug, 'https://a.example https://b.example'), at(20_000)); // pending
    expect(await countReplies(db(), [a.slug, b.slug, 'none'])).toEqual({ [a.slug]: 2 });
  });
});
