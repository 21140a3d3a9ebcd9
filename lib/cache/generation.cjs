// @ts-check
'use strict';
/**
 * When the content last changed, for the page cache (docs/decisions/003-page-cache.md): pages
 * cached before that instant are stale. The composition root (lib/server.ts) marks it on every
 * content swap; the cache handler (page-cache-handler.cjs) reads it.
 *
 * A process holds two copies of this module: the one Next `require`s beside the cache handler,
 * outside the app bundles, and the one bundled into the app. They share one slot on globalThis,
 * and only this file knows it.
 */
const SLOT = Symbol.for('dispatch.page-cache.content-changed-at');

/** @returns {number} epoch ms of the last content change (0 before the content loaded) */
function contentChangedAt() {
  return /** @type {Record<symbol, number | undefined>} */ (/** @type {unknown} */ (globalThis))[SLOT] ?? 0;
}

/** @param {number} [at] epoch ms of the change (default: now) */
function markContentChanged(at = Date.now()) {
  /** @type {Record<symbol, number>} */ (/** @type {unknown} */ (globalThis))[SLOT] = at;
}

module.exports = { contentChangedAt, markContentChanged };
