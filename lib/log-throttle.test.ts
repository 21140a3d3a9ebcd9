import { describe, expect, it } from 'vitest';
import { LogThrottle, type LogLines } from './log-throttle';

/** A throttle on a clock the test moves, with its timers run by the test when their time comes. */
function setUp(intervalMs = 60_000) {
  let now = 1_000_000;
  let timers: { at: number; run: () => void }[] = [];
  const lines: { line: string; first: boolean }[] = [];
  const throttle = new LogThrottle((line, first) => lines.push({ line, first }), {
    intervalMs,
    now: () => now,
    schedule: (run, ms) => timers.push({ at: now + ms, run }),
  });
  /** Moves the clock by `ms`, running each timer that falls due on the way, in order. */
  const advance = (ms: number) => {
    const until = now + ms;
    for (;;) {
      const due = timers.filter((t) => t.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      timers = timers.filter((t) => t !== due);
      now = due.at;
      due.run();
    }
    now = until;
  };
  return { throttle, lines, advance, pending: () => timers.length };
}

const refused: LogLines = {
  first: () => 'database unavailable (ECONNREFUSED): connect ECONNREFUSED',
  summary: (count, seconds) =>
    `database unavailable (ECONNREFUSED): ${count} requests answered 503 in the last ${seconds} s`,
};
const full: LogLines = {
  first: () => 'database out of space (SQLITE_FULL)',
  summary: (count, seconds) => `database out of space (SQLITE_FULL): ${count} in ${seconds} s`,
};

describe('LogThrottle', () => {
  it('writes the first occurrence at once, then one summary with the count per interval', () => {
    const { throttle, lines, advance } = setUp();
    throttle.note('refused', refused);
    expect(lines).toEqual([
      { line: 'database unavailable (ECONNREFUSED): connect ECONNREFUSED', first: true },
    ]);
    // 51 more over the next minute (the operator's 15 s measurement, and then some): no line yet.
    for (let i = 0; i < 51; i++) {
      advance(1_000);
      throttle.note('refused', refused);
    }
    expect(lines).toHaveLength(1);
    advance(9_000); // the interval ends: one summary
    expect(lines).toHaveLength(2);
    expect(lines[1]).toEqual({
      line: 'database unavailable (ECONNREFUSED): 51 requests answered 503 in the last 60 s',
      first: false,
    });
  });

  it('keeps to one line per interval while the failure lasts, and nothing while it is quiet', () => {
    const { throttle, lines, advance } = setUp();
    // Ten minutes of a failure every 100 ms: the first line and one summary a minute.
    for (let t = 0; t < 600_000; t += 100) {
      throttle.note('refused', refused);
      advance(100);
    }
    advance(60_000);
    expect(lines.filter((l) => l.first)).toHaveLength(1);
    expect(lines.filter((l) => !l.first)).toHaveLength(10);
    expect(lines.slice(1).every((l) => l.line.endsWith('in the last 60 s'))).toBe(true);
    // The counts add up: every occurrence after the first is in exactly one summary.
    const counted = lines.slice(1).map((l) => Number(/: (\d+) requests/.exec(l.line)![1]));
    expect(counted.reduce((a, b) => a + b, 0)).toBe(6_000 - 1);
    // Quiet for an hour: nothing more is written.
    advance(3_600_000);
    expect(lines).toHaveLength(11);
  });

  it('writes a lone occurrence and nothing after it (no empty summary)', () => {
    const { throttle, lines, advance, pending } = setUp();
    throttle.note('refused', refused);
    expect(pending()).toBe(0);
    advance(120_000);
    expect(lines).toHaveLength(1);
  });

  it('starts over after a quiet interval: the next occurrence is written at once', () => {
    const { throttle, lines, advance } = setUp();
    throttle.note('refused', refused);
    throttle.note('refused', refused);
    advance(60_000); // summary of 1
    advance(61_000); // a quiet interval
    throttle.note('refused', refused);
    expect(lines.map((l) => l.first)).toEqual([true, false, true]);
  });

  it('counts each kind on its own', () => {
    const { throttle, lines, advance } = setUp();
    throttle.note('refused', refused);
    throttle.note('full', full);
    throttle.note('refused', refused);
    throttle.note('full', full);
    throttle.note('full', full);
    expect(lines.map((l) => l.line)).toEqual([
      'database unavailable (ECONNREFUSED): connect ECONNREFUSED',
      'database out of space (SQLITE_FULL)',
    ]);
    advance(60_000);
    expect(lines.slice(2).map((l) => l.line)).toEqual([
      'database unavailable (ECONNREFUSED): 1 requests answered 503 in the last 60 s',
      'database out of space (SQLITE_FULL): 2 in 60 s',
    ]);
  });

  it('writes a summary that is due before counting on, when its timer is late', () => {
    // A timer that never runs: the event loop too busy to get to it.
    let now = 0;
    const lines: string[] = [];
    const throttle = new LogThrottle((line) => lines.push(line), {
      now: () => now,
      schedule: () => undefined,
    });
    throttle.note('refused', refused);
    throttle.note('refused', refused);
    now = 70_000;
    throttle.note('refused', refused);
    expect(lines).toEqual([
      'database unavailable (ECONNREFUSED): connect ECONNREFUSED',
      'database unavailable (ECONNREFUSED): 1 requests answered 503 in the last 70 s',
    ]);
  });
});
