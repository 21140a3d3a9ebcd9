import type { LiveEvent, NewLiveEvent } from './events';

/** Replay after an id: the events since, or `reset` when the id is older than the backlog. */
export type Replay = { events: LiveEvent[] } | { reset: true };

export type PublishOptions = {
  /**
   * Publish at most once across instances for this key (for a while): every instance watching one
   * content folder sees the same change, and browsers should hear of it once (ADR 016).
   */
  once?: string;
};

/**
 * Fan-out of live events to every open stream of this instance, and (with Redis) of every
 * instance. Subscribers are called synchronously and must not throw.
 */
export interface LiveBus {
  /** The event as published; null when another instance already published it (`once`). */
  publish(event: NewLiveEvent, options?: PublishOptions): Promise<LiveEvent | null>;
  subscribe(listener: (event: LiveEvent) => void): () => void;
  /** Called when events may have been missed (the bus was cut off): open pages should catch up. */
  onResync(listener: () => void): () => void;
  /** Events after `id`, oldest first; `reset` when the backlog no longer reaches back that far. */
  since(id: string): Promise<Replay>;
  close(): Promise<void>;
}

export const BACKLOG_SIZE = 2_000;

// An event delivered by this instance alone while the shared stream was out of reach: it has no
// place in the shared order yet, so it goes to browsers without an SSE id and they keep the last
// real one (their replay after a reconnect then includes its shared copy). A symbol key, so it
// never reaches the wire.
const UNSEQUENCED = Symbol.for('dispatch.live.unsequenced');

export function markUnsequenced(event: LiveEvent): LiveEvent {
  (event as { [UNSEQUENCED]?: true })[UNSEQUENCED] = true;
  return event;
}

export const isUnsequenced = (event: LiveEvent) => (event as { [UNSEQUENCED]?: true })[UNSEQUENCED] === true;
