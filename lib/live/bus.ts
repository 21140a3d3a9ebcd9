import type { LiveEvent, NewLiveEvent } from './events';

/** Replay after an id: the events since, or `reset` when the id is older than the backlog. */
export type Replay = { events: LiveEvent[] } | { reset: true };

/**
 * Fan-out of live events to every open stream of this instance, and (with Redis) of every
 * instance. Subscribers are called synchronously and must not throw.
 */
export interface LiveBus {
  publish(event: NewLiveEvent): Promise<LiveEvent>;
  subscribe(listener: (event: LiveEvent) => void): () => void;
  /** Events after `id`, oldest first; `reset` when the backlog no longer reaches back that far. */
  since(id: string): Promise<Replay>;
  close(): Promise<void>;
}

export const BACKLOG_SIZE = 2_000;
