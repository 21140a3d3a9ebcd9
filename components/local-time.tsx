'use client';
import { useSyncExternalStore } from 'react';

// One shared clock for every <LocalTime> on the page, ticking twice a minute.
let now = 0;
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;
function subscribe(listener: () => void) {
  listeners.add(listener);
  if (!timer) {
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      listeners.forEach((l) => l());
    }, 30_000);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) clearInterval(timer);
    timer = listeners.size === 0 ? undefined : timer;
  };
}
const getNow = () => (now ||= Date.now());
const getServerNow = () => 0;

const units: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

/** "3 min ago" within a day, else the date; exported for tests. */
export function describe(iso: string, at: number, locale?: string): string {
  const then = Date.parse(iso);
  const diff = then - at;
  if (Math.abs(diff) < 45_000) return 'just now';
  if (Math.abs(diff) < 86_400_000) {
    const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto', style: 'short' });
    for (const [unit, ms] of units)
      if (Math.abs(diff) >= ms || unit === 'minute') return rtf.format(Math.round(diff / ms), unit);
  }
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(then);
}

const utc = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });

/**
 * A <time> that the server renders in UTC and the browser turns into the reader's own time zone,
 * kept current ("3 min ago"). The full local date stays in the title.
 */
export function LocalTime({ iso, prefix }: { iso: string; prefix?: string }) {
  const at = useSyncExternalStore(subscribe, getNow, getServerNow);
  const local = at
    ? new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'short' }).format(Date.parse(iso))
    : undefined;
  return (
    <time dateTime={iso} title={local}>
      {prefix}
      {at ? describe(iso, at) : `${utc.format(Date.parse(iso))} UTC`}
    </time>
  );
}
