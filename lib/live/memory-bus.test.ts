import { describe, expect, it } from 'vitest';
import { compareEventIds } from './events';
import { idGenerator, MemoryBus } from './memory-bus';

const news = (n: number) => ({
  type: 'content.created' as const,
  topics: ['storm'],
  article: `a${n}`,
  at: n,
});

describe('idGenerator', () => {
  it('keeps increasing when the clock stands still or steps back', () => {
    const next = idGenerator();
    const ids = [next(100), next(100), next(99), next(101)];
    expect(ids).toEqual(['100-0', '100-1', '100-2', '101-0']);
    for (let i = 1; i < ids.length; i++) expect(compareEventIds(ids[i]!, ids[i - 1]!)).toBeGreaterThan(0);
  });
});

describe('MemoryBus', () => {
  it('fans out to subscribers until they unsubscribe', async () => {
    const bus = new MemoryBus();
    const seen: string[] = [];
    const off = bus.subscribe((e) => seen.push(e.article!));
    await bus.publish(news(1));
    off();
    await bus.publish(news(2));
    expect(seen).toEqual(['a1']);
    expect(bus.listenerCount).toBe(0);
  });

  it('replays what came after an id, in order', async () => {
    const bus = new MemoryBus();
    const events = [];
    for (let i = 1; i <= 5; i++) events.push(await bus.publish(news(i)));
    const replay = await bus.since(events[1]!.id);
    expect('events' in replay && replay.events.map((e) => e.article)).toEqual(['a3', 'a4', 'a5']);
    expect(await bus.since(events[4]!.id)).toEqual({ events: [] });
  });

  it('asks for a reset when the id is older than its bounded backlog', async () => {
    const bus = new MemoryBus(3);
    const first = await bus.publish(news(1));
    for (let i = 2; i <= 5; i++) await bus.publish(news(i));
    expect(await bus.since(first.id)).toEqual({ reset: true });
    const replay = await bus.since('0-0');
    expect(replay).toEqual({ reset: true });
  });
});
