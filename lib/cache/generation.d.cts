/** Epoch ms of the last content change (0 before the content loaded). */
export function contentChangedAt(): number;
/** Marks the content as changed at `at` (default: now): pages cached before it are stale. */
export function markContentChanged(at?: number): void;
