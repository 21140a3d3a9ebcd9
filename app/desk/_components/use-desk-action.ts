'use client';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import type { ActionResult } from '@/lib/errors';

export type DeskStatus = { message: string; tone: 'ok' | 'error' };

/**
 * Runs a desk action from a button or small form: its refusal, or what `done` says of its result,
 * goes to the caller's `role="status"` region; after a success the page's server data is read
 * again (router.refresh) inside the same transition, so `pending` lasts until the list shows it.
 */
export function useDeskAction() {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [status, setStatus] = useState<DeskStatus>({ message: '', tone: 'ok' });

  function run<T>(call: () => Promise<ActionResult<T>>, done: (data: T) => string, after?: () => void) {
    startTransition(async () => {
      const result = await call();
      if (!result.ok) {
        setStatus({ message: result.message, tone: 'error' });
        return;
      }
      setStatus({ message: done(result.data), tone: 'ok' });
      after?.();
      router.refresh();
    });
  }

  /** A button's props that run the action (disabled while one runs). */
  const act = <T>(call: () => Promise<ActionResult<T>>, done: (data: T) => string) => ({
    type: 'button' as const,
    className: 'button',
    disabled: pending,
    onClick: () => run(call, done),
  });

  return { pending, status, run, act };
}
