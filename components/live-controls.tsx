'use client';

import type { LiveStatus } from '@/lib/query/use-live-events';

const LABELS: Partial<Record<LiveStatus, string>> = {
  live: 'Live',
  polling: 'Checking for updates',
  paused: 'Paused',
};

/** Pause/resume for a live stream (topic pages, /following). */
export function PauseButton({ paused, onToggle }: { paused: boolean; onToggle: () => void }) {
  return (
    <button type="button" className="button" aria-pressed={paused} onClick={onToggle}>
      {paused ? 'Resume live updates' : 'Pause live updates'}
    </button>
  );
}

/** How the page is getting updates right now; empty while connecting or after the end. */
export function LiveStatusLabel({ status }: { status: LiveStatus }) {
  return (
    <span className="meta live-status" data-status={status}>
      {LABELS[status] ?? ''}
    </span>
  );
}
