import { afterEach, describe, expect, it, vi } from 'vitest';
import { markUnsequenced } from './bus';
import { MemoryBus } from './memory-bus';
import { eventFrame, HEARTBEAT_MS, LiveStreams } from './sse';

const streams = new LiveStreams();
const openLiveStream = streams.openStream.bind(streams);

const decoder = new TextDecoder();
const news = (topic: string, n: number) => ({
  type: 'content.created' as const,
  topics: [topic],
  article: `a${n}`,
  at: n,
});

function client() {
  const frames: string[] = [];
  let ended = false;
  return {
    write: (chunk: Uint8Array) => frames.push(decoder.decode(chunk)),
    end: () => (ended = true),
    text: () => frames.join(''),
    ids: () => [...frames.join('').matchAll(/^id: (.+)$/gm)].map((m) => m[1]),
    get ended() {
      return ended;
    },
  };
}
const flush = () => new Promise((r) => setTimeout(r, 0));

afterEach(() => {
  streams.closeAll(); // every test leaves no stream (and so no ticker) behind
  vi.useRealTimers();
});

describe('openLiveStream', () => {
  it('frames events as id + one line of JSON and filters by subscription', async () => {
    const bus = new MemoryBus();
    const c = client();
    const close = openLiveStream(bus, { topics: ['storm'] }, null, c);
    await flush();
    const e = await bus.publish(news('storm', 1));
    await bus.publish(news('science', 2));
    expect(c.text()).toBe(`retry: 2000\n: connected\n\n${eventFrame(e)}`);
    expect(eventFrame(e)).toBe(`id: ${e.id}\ndata: ${JSON.stringify(e)}\n\n`);
    close();
    expect(c.ended).toBe(true);
    expect(bus.listenerCount).toBe(0); // nothing left behind
  });

  it('shares one bus listener among streams and sends an event once however many keys match', async () => {
    const bus = new MemoryBus();
    const both = client();
    const article = client();
    const other = client();
    const closeBoth = openLiveStream(bus, { topics: ['storm', 'floods'], article: 'a1' }, null, both);
    const closeArticle = openLiveStream(bus, { topics: [], article: 'a1' }, null, article);
    const closeOther = openLiveStream(bus, { topics: ['science'] }, null, other);
    expect(bus.listenerCount).toBe(1);
    const e = await bus.publish({ ...news('storm', 1), topics: ['floods', 'storm'] }); // article a1
    const f = await bus.publish(news('science', 2));
    expect(both.ids()).toEqual([e.id]);
    expect(article.ids()).toEqual([e.id]);
    expect(other.ids()).toEqual([f.id]);
    closeBoth();
    closeArticle();
    expect(bus.listenerCount).toBe(1);
    closeOther();
    expect(bus.listenerCount).toBe(0);
    const again = client();
    openLiveStream(bus, { topics: ['science'] }, null, again); // a new listener after the last left
    const g = await bus.publish(news('science', 3));
    expect(again.ids()).toEqual([g.id]);
  });

  it('replays what a reconnecting client missed, exactly once and in order', async () => {
    const bus = new MemoryBus();
    const seen = [];
    for (let i = 1; i <= 3; i++) seen.push(await bus.publish(news('storm', i)));
    const c = client();
    openLiveStream(bus, { topics: ['storm'] }, seen[0]!.id, c);
    const live = bus.publish(news('storm', 4)); // arrives while the replay is being read
    await flush();
    await live;
    await flush();
    expect(c.ids()).toEqual([seen[1]!.id, seen[2]!.id, (await live).id]);
  });

  it('says reset when the missed events are gone, and treats garbage ids as none', async () => {
    const bus = new MemoryBus(1);
    const old = await bus.publish(news('storm', 1));
    await bus.publish(news('storm', 2)); // drops 1: still fine for a client that saw 1
    await bus.publish(news('storm', 3)); // drops 2: a client that saw only 1 missed it
    const c = client();
    openLiveStream(bus, { topics: ['storm'] }, old.id, c);
    await flush();
    expect(c.text()).toContain('event: reset\n');
    const g = client();
    openLiveStream(bus, { topics: ['storm'] }, 'garbage', g);
    await flush();
    expect(g.text()).toBe('retry: 2000\n: connected\n\n');
  });

  it('sends a heartbeat comment every 15 seconds', async () => {
    vi.useFakeTimers();
    const c = client();
    const close = openLiveStream(new MemoryBus(), { topics: ['storm'] }, null, c);
    vi.advanceTimersByTime(HEARTBEAT_MS * 2);
    expect(c.text().match(/: ping\n\n/g)).toHaveLength(2);
    close();
  });

  it('closes a stream past its maximum age, so the browser reconnects', async () => {
    vi.useFakeTimers();
    const c = client();
    openLiveStream(new MemoryBus(), { topics: ['storm'] }, null, c, 3_000);
    vi.advanceTimersByTime(2_000);
    expect(c.ended).toBe(false);
    vi.advanceTimersByTime(2_000);
    expect(c.ended).toBe(true);
    expect(c.text()).toContain(': max age reached, reconnect\n\n');
  });

  it('ends every stream with a shutdown event on SIGTERM', async () => {
    const before = streams.count;
    const a = client();
    const b = client();
    openLiveStream(new MemoryBus(), { topics: ['x'] }, null, a);
    openLiveStream(new MemoryBus(), { topics: ['y'] }, null, b);
    expect(streams.count).toBe(before + 2);
    streams.closeAll();
    expect(a.text()).toContain('event: shutdown\n');
    expect(a.ended && b.ended).toBe(true);
    expect(streams.count).toBe(0);
  });
});

describe('streams per client', () => {
  it('caps one address and frees slots on release', () => {
    const who = `10.0.0.${Date.now() % 250}`;
    for (let i = 0; i < streams.maxPerClient; i++) expect(streams.admit(who)).toBe(true);
    expect(streams.admit(who)).toBe(false);
    expect(streams.admit('10.9.9.9')).toBe(true);
    streams.release(who);
    expect(streams.admit(who)).toBe(true);
  });

  it('caps the instance, whoever asks, and frees slots on release', () => {
    const small = new LiveStreams(2, 3);
    expect([small.admit('a'), small.admit('b'), small.admit('c')]).toEqual([true, true, true]);
    expect(small.full).toBe(true);
    expect(small.admit('d')).toBe(false);
    small.release('a');
    small.release('nobody'); // never admitted: frees nothing
    expect(small.full).toBe(false);
    expect(small.admit('d')).toBe(true);
    expect(small.admit('e')).toBe(false);
  });
});

describe('frames carry no reader text and cannot be split', () => {
  it('keeps hostile strings inside one data line (JSON escapes CR and LF)', () => {
    const hostile = 'x\n\ndata: {"type":"reply.created"}\n\nevent: reset\r\nid: 9999999999999-0\r\r';
    const frame = eventFrame({
      id: '1-0',
      type: 'reply.created',
      topics: [hostile],
      article: hostile,
      at: 1,
    });
    const lines = frame.split(/\r\n|\r|\n/);
    // id, data, blank separator: nothing more, whatever the strings hold.
    expect(lines).toEqual([`id: 1-0`, expect.stringMatching(/^data: \{/), '', '']);
    expect(JSON.parse(lines[1]!.slice('data: '.length)).article).toBe(hostile);
  });
});

describe('events outside the shared order, and resyncs (a Redis outage, ADR 016)', () => {
  it('sends an unsequenced event without an id, so the browser keeps its last real one', async () => {
    const bus = new MemoryBus();
    const c = client();
    openLiveStream(bus, { topics: ['storm'] }, null, c);
    await flush();
    const sequenced = await bus.publish(news('storm', 1));
    const local = markUnsequenced({ ...news('storm', 2), id: '1-0' }); // an id below the last sent
    bus.deliver(local);
    expect(c.ids()).toEqual([sequenced.id]);
    expect(c.text()).toContain(`\ndata: ${JSON.stringify(local)}\n\n`); // delivered, though its id is older
  });

  it('tells every open stream to catch up with a `reset` when the bus may have missed events', async () => {
    const bus = new MemoryBus();
    const storm = client();
    const article = client();
    openLiveStream(bus, { topics: ['storm'] }, null, storm);
    openLiveStream(bus, { topics: [], article: 'a9' }, null, article);
    await flush();
    bus.resync();
    for (const c of [storm, article]) expect(c.text().match(/^event: reset$/gm)).toHaveLength(1);
  });
});
