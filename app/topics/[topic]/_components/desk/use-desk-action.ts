'use client';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import type { ActionResult } from '@/lib/errors';
import { keys } from '@/lib/query/keys';
import { refresh } from '@/lib/query/live';

export type DeskStatus = { tone: 'ok' | 'error'; message: string } | null;
type DeskFailure = Extract<ActionResult<never>, { ok: false }>;

/** Runs one desk action: `done` says what succeeded (or '' for nothing to say), `failed` reacts to a refusal. */
export type RunAction = <T>(
  action: () => Promise<ActionResult<T>>,
  done: (data: T) => string | Promise<string>,
  failed?: (failure: DeskFailure) => void,
) => Promise<boolean>;

const UNEXPECTED = 'Something went wrong and nothing was saved. Your text is still here; please try again.';

/**
 * One form's (or one item's) desk actions: while one runs the buttons are disabled, and its outcome
 * is the text of the form's `role="status"` region: what was done, or the action's own message
 * (SPEC §9: `conflict`, `forbidden`…). What the editor typed lives in the form's state and is never
 * touched by a failure.
 */
export function useDeskAction() {
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<DeskStatus>(null);
  const run: RunAction = useCallback(async (action, done, failed) => {
    setBusy(true);
    setStatus(null);
    try {
      const result = await action();
      if (!result.ok) {
        setStatus({ tone: 'error', message: result.message });
        failed?.(result);
        return false;
      }
      const message = await done(result.data);
      setStatus(message ? { tone: 'ok', message } : null);
      return true;
    } catch {
      // The network or the server failed; the action's own refusals come back as results.
      setStatus({ tone: 'error', message: UNEXPECTED });
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, status, setStatus, run };
}

/**
 * Refetches the topic's stream after a change, so the editor sees it at once; the live event that
 * the change sends every open page would refetch it a moment later anyway (lib/query/live.ts).
 */
export function useRefreshStream(topic: string) {
  const client = useQueryClient();
  return useCallback(() => refresh(client, keys.topicStream(topic)), [client, topic]);
}
