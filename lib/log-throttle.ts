/**
 * A failure that repeats on every request (the database down) logged once per kind per interval,
 * not once per request: the first occurrence of a kind is written at once; later ones within the
 * interval are only counted, and when the interval ends with a count, one summary line says how
 * many there were. A kind that stays quiet for a whole interval starts over: its next occurrence is
 * written at once again. Nothing here knows what is logged or where (the caller's `write`).
 */
export type LogThrottleOptions = {
  /** How often a kind may write a line; 60 s by default. */
  intervalMs?: number;
  /** The clock (tests pass their own). */
  now?: () => number;
  /** Runs `run` after `ms` (tests pass their own); by default a timer that keeps no process alive. */
  schedule?: (run: () => void, ms: number) => void;
};

/** What is written for a kind: its first line, and the summary of `count` more in `seconds`. */
export type LogLines = { first: () => string; summary: (count: number, seconds: number) => string };

type Window = { since: number; count: number; lines: LogLines };

export class LogThrottle {
  private readonly windows = new Map<string, Window>();
  private readonly intervalMs: number;
  private readonly now: () => number;
  private readonly schedule: (run: () => void, ms: number) => void;

  constructor(
    /** Writes one line; `first` tells the first line of a kind from a summary. */
    private readonly write: (line: string, first: boolean) => void,
    options: LogThrottleOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 60_000;
    this.now = options.now ?? Date.now;
    this.schedule = options.schedule ?? ((run, ms) => setTimeout(run, ms).unref());
  }

  /** One occurrence of `kind`. */
  note(kind: string, lines: LogLines): void {
    const now = this.now();
    let window = this.windows.get(kind);
    // A summary the timer has not written yet (a busy event loop) is written before counting on.
    if (window && window.count > 0 && now - window.since >= this.intervalMs) window = this.flush(kind);
    if (!window || (window.count === 0 && now - window.since >= this.intervalMs)) {
      this.windows.set(kind, { since: now, count: 0, lines });
      this.write(lines.first(), true);
      return;
    }
    window.lines = lines;
    if (window.count++ === 0) {
      const counting = window;
      this.schedule(() => this.flush(kind, counting), counting.since + this.intervalMs - now);
    }
  }

  /**
   * Writes the summary of `kind`'s interval if it counted anything, and starts the next interval.
   * A timer set for an interval that was already summed up does nothing.
   */
  private flush(kind: string, expected?: Window): Window | undefined {
    const window = this.windows.get(kind);
    if (!window || window.count === 0 || (expected && expected !== window)) return window;
    const now = this.now();
    this.write(window.lines.summary(window.count, Math.round((now - window.since) / 1000)), false);
    const next = { since: now, count: 0, lines: window.lines };
    this.windows.set(kind, next);
    return next;
  }
}
