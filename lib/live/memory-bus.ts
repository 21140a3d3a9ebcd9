import { liveEventsPublished } from '../metrics/metrics';
import { BACKLOG_SIZE, markUnsequenced, type LiveBus, type Replay } from './bus';
import { compareEventIds, type LiveEvent, type NewLiveEvent } from './events';

/** Makes "<ms>-<seq>" ids that keep increasing even when the clock stands still or steps back. */
export function idGenerator() {
  let lastMs = 0;
  let seq = 0;
  return (now = Date.now()) => {
    if (now > lastMs) {
      lastMs = now;
      seq = 0;
    } else seq++;
    return `${lastMs}-${seq}`;
  };
}

/** The single-instance bus: in-process fan-out with a bounded backlog for replay. */
export class MemoryBus implements LiveBus {
  private listeners = new Set<(event: LiveEvent) => void>();
  private resyncListeners = new Set<() => void>();
  private backlog: LiveEvent[] = [];
  private nextId = idGenerator();
  /** Highest id ever dropped from the backlog: a replay from before it must reset. */
  private droppedUpTo: string | null = null;

  constructor(private readonly size = BACKLOG_SIZE) {}

  // One process: nothing else publishes, so `once` has nothing to guard against.
  async publish(event: NewLiveEvent): Promise<LiveEvent> {
    liveEventsPublished.inc();
    return this.deliver({ ...event, id: this.nextId() });
  }

  /** Never called on one process: nothing can cut it off from itself. */
  onResync(listener: () => void): () => void {
    this.resyncListeners.add(listener);
    return () => this.resyncListeners.delete(listener);
  }

  /** Tells resync listeners that events may have been missed (the Redis bus uses this). */
  resync() {
    for (const listener of this.resyncListeners) listener();
  }

  /** Fans out an event that has no place in the shared order yet (lib/live/redis-bus.ts, an outage). */
  publishUnsequenced(event: NewLiveEvent): LiveEvent {
    liveEventsPublished.inc();
    return this.deliver(markUnsequenced({ ...event, id: this.nextId() }));
  }

  /** Records and fans out an event whose id was assigned elsewhere (the Redis bus uses this). */
  deliver(event: LiveEvent): LiveEvent {
    this.backlog.push(event);
    if (this.backlog.length > this.size) this.droppedUpTo = this.backlog.shift()!.id;
    for (const listener of this.listeners) listener(event);
    return event;
  }

  subscribe(listener: (event: LiveEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async since(id: string): Promise<Replay> {
    if (this.droppedUpTo && compareEventIds(id, this.droppedUpTo) < 0) return { reset: true };
    // Newest events are at the end; walk back to the first one after `id`.
    let i = this.backlog.length;
    while (i > 0 && compareEventIds(this.backlog[i - 1]!.id, id) > 0) i--;
    return { events: this.backlog.slice(i) };
  }

  get listenerCount() {
    return this.listeners.size;
  }

  async close() {
    this.listeners.clear();
    this.resyncListeners.clear();
  }
}
