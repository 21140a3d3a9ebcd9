import { describe, expect, it } from 'vitest';
import { compareEventIds, liveQuery, matchesSubscription, parseLiveEvent, type LiveEvent } from './events';
import { liveSubscriptionSchema } from './subscription';

const event: LiveEvent = {
  id: '1700000000000-0',
  type: 'content.created',
  topics: ['storm'],
  article: 'river-rises',
  at: 1,
};

describe('live events', () => {
  it('parses events from the wire and refuses anything else', () => {
    expect(parseLiveEvent(JSON.stringify(event))).toEqual(event);
    expect(parseLiveEvent('not json')).toBeNull();
    expect(parseLiveEvent(JSON.stringify({ ...event, type: 'reply.exploded' }))).toBeNull();
    expect(parseLiveEvent(JSON.stringify({ ...event, id: '12; drop' }))).toBeNull();
  });

  it('orders ids by time, then sequence', () => {
    expect(compareEventIds('10-0', '9-5')).toBeGreaterThan(0);
    expect(compareEventIds('10-2', '10-10')).toBeLessThan(0);
    expect(compareEventIds('10-2', '10-2')).toBe(0);
  });

  it('matches by topic or article', () => {
    expect(matchesSubscription(event, { topics: ['storm'] })).toBe(true);
    expect(matchesSubscription(event, { topics: ['science'] })).toBe(false);
    expect(matchesSubscription(event, { topics: [], article: 'river-rises' })).toBe(true);
  });

  it('validates subscriptions', () => {
    expect(liveSubscriptionSchema.parse({ topics: 'storm,science,storm' })).toEqual({
      topics: ['storm', 'science'],
    });
    expect(liveSubscriptionSchema.safeParse({}).success).toBe(false);
    expect(liveSubscriptionSchema.safeParse({ topics: 'Bad Slug' }).success).toBe(false);
    expect(
      liveSubscriptionSchema.safeParse({ topics: Array.from({ length: 101 }, (_, i) => `t${i}`).join(',') })
        .success,
    ).toBe(false);
    // A reader following the most topics allowed (100) still gets one stream.
    expect(
      liveSubscriptionSchema.safeParse({
        topics: Array.from({ length: 100 }, (_, i) => `topic-${i}-long-name`).join(','),
      }).success,
    ).toBe(true);
    expect(liveSubscriptionSchema.safeParse({ article: '../etc' }).success).toBe(false);
    expect(liveQuery({ topics: ['b', 'a'], article: 'x' })).toBe('topics=a%2Cb&article=x');
  });
});
