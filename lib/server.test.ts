import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { contentChangedAt } from './cache/generation.cjs';
import { ContentStore } from './content/store';
import type { LiveEvent } from './live/events';
import { MemoryBus } from './live/memory-bus';
import { listNotifications } from './notifications/queries';
import { followTopic } from './follows/service';
import { wireContent } from './server';
import { makeContentDir, topicMdx } from './testing/content';
import { createSqliteTestDb, type TestDb } from './testing/db';
import { insertReader } from './testing/factories';

// The composition root's one job besides building parts: every reaction to a content change.
describe('wireContent', () => {
  let content: Awaited<ReturnType<typeof makeContentDir>>;
  let store: ContentStore;
  let t: TestDb;
  const bus = new MemoryBus();
  const events: LiveEvent[] = [];
  bus.subscribe((event) => events.push(event));

  beforeEach(async () => {
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    content = await makeContentDir();
    t = await createSqliteTestDb();
    store = new ContentStore({ dir: content.dir, includeDrafts: false, debounceMs: 5 });
    await store.load();
    events.length = 0;
  });
  afterEach(async () => {
    await store.close();
    await t.cleanup();
    await content.cleanup();
  });

  it('marks the page cache stale, publishes the change and tells followers', async () => {
    const reader = await insertReader(t.db);
    await followTopic(t.db, reader.id, 'test-topic', Date.now() - 120_000);
    const before = Date.now();
    wireContent(store, { db: async () => t.db, bus });
    expect(contentChangedAt()).toBeGreaterThanOrEqual(before); // the first snapshot counts

    const article = await content.writeArticle();
    const marked = contentChangedAt();
    await new Promise((r) => setTimeout(r, 2));
    await store.apply([article.rel]);

    expect(contentChangedAt()).toBeGreaterThan(marked);
    expect(events).toMatchObject([
      { type: 'content.created', article: article.slug, topics: ['test-topic'] },
    ]);
    await vi.waitFor(async () => {
      const { items } = await listNotifications(t.db, reader.id);
      expect(items).toMatchObject([{ kind: 'update', article: article.slug }]);
    });
  });

  it('marks the page cache stale on a change no reader sees, and publishes nothing', async () => {
    wireContent(store, { db: async () => t.db, bus });
    const marked = contentChangedAt();
    await new Promise((r) => setTimeout(r, 2));
    await content.write('topics/test-topic.mdx', topicMdx('Test Topic, renamed'));
    await store.apply(['topics/test-topic.mdx']);
    expect(contentChangedAt()).toBeGreaterThan(marked);
    expect(events).toEqual([]);
  });
});
