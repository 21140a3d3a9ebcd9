import { expect } from 'vitest';
import { followTopic, setFollowLevel } from '../follows/service';
import { describeEachDatabase } from '../testing/each-database';
import { insertReader } from '../testing/factories';
import { listNotifications } from './queries';
import { forgetReplyNotifications, notifyFollowers, notifyReplyAnswered } from './service';

const T0 = Date.UTC(2026, 10, 28, 9, 0, 0);

describeEachDatabase('notifications', ({ db, test: maybe }) => {
  maybe('new items notify followers by level, once per reader even when two instances race', async () => {
    const slug = `news-${Date.now()}`;
    const [all, key, none, both, other] = [
      await insertReader(db()),
      await insertReader(db()),
      await insertReader(db()),
      await insertReader(db()),
      await insertReader(db()),
    ];
    const topicA = `ta-${slug}`;
    const topicB = `tb-${slug}`;
    await followTopic(db(), all.id, topicA);
    await followTopic(db(), key.id, topicA);
    await setFollowLevel(db(), key.id, topicA, 'key');
    await followTopic(db(), none.id, topicA);
    await setFollowLevel(db(), none.id, topicA, 'none');
    await followTopic(db(), both.id, topicA);
    await followTopic(db(), both.id, topicB);
    await followTopic(db(), other.id, `elsewhere-${slug}`);

    const update = { slug, topics: [topicA, topicB], keyEvent: false, published: T0 };
    const [one, two] = await Promise.all([notifyFollowers(db(), update), notifyFollowers(db(), update)]);
    expect([...one, ...two].sort()).toEqual([all.id, both.id].sort()); // each told by exactly one "instance"
    const rows = await db()
      .selectFrom('notifications')
      .select(['user_id', 'kind'])
      .where('article', '=', slug)
      .execute();
    expect(rows.map((r) => r.user_id).sort()).toEqual([all.id, both.id].sort());
    expect(rows.every((r) => r.kind === 'update')).toBe(true);

    const keySlug = `${slug}-key`;
    const told = await notifyFollowers(db(), {
      slug: keySlug,
      topics: [topicA],
      keyEvent: true,
      published: T0,
    });
    expect(told.sort()).toEqual([all.id, key.id, both.id].sort());
    expect(await notifyFollowers(db(), { slug: 'x', topics: [], keyEvent: true, published: T0 })).toEqual([]);
  });

  maybe("answers notify the answered reader; a deleted answer's notification goes with it", async () => {
    const ada = await insertReader(db());
    const answer = (replyId: string) => ({
      userId: ada.id,
      article: 'some-article',
      replyId,
      actorName: 'Bo',
      createdAt: T0,
    });
    const [kept, gone] = [`kept-${Date.now()}`, `gone-${Date.now()}`];
    await notifyReplyAnswered(db(), answer(kept));
    await notifyReplyAnswered(db(), answer(gone));
    expect((await listNotifications(db(), ada.id)).items).toHaveLength(2);
    await forgetReplyNotifications(db(), gone);
    const { items, unread } = await listNotifications(db(), ada.id);
    expect(items.map((i) => [i.kind, i.replyId, i.actorName, i.read])).toEqual([
      ['reply', kept, 'Bo', false],
    ]);
    expect(unread).toBe(1);
  });
});
