// @ts-check
'use strict';
/**
 * Next's incremental (ISR) cache, kept in this process's memory and keyed to the content store.
 *
 * Pages are rendered once and served from here until the content store changes: every entry
 * written before the store's last change is a miss, so the next request renders fresh content
 * (blocking, never stale). The composition root (lib/server.ts) marks that instant through
 * ./generation.cjs on every content swap. See docs/decisions/003-page-cache.md.
 */
const { contentChangedAt: changedAt } = require('./generation.cjs');
const { counter } = require('../metrics/registry.cjs');
const RACE_WINDOW_MS = 1000;
const MAX_BYTES = 128 * 1024 * 1024; // bounded: a crawler walking 10,000 articles can't exhaust memory

/** @param {unknown} value */
function sizeOf(value) {
  if (!value || typeof value !== 'object') return 64;
  const v = /** @type {Record<string, unknown>} */ (value);
  let size = 256;
  for (const key of ['html', 'rscData', 'body']) {
    const part = v[key];
    if (typeof part === 'string') size += part.length;
    else if (part && typeof part === 'object' && 'byteLength' in part) size += Number(part.byteLength);
  }
  if (v.segmentData instanceof Map) for (const seg of v.segmentData.values()) size += seg.byteLength ?? 0;
  return size;
}

// Next loads this file outside the app's bundles: the registry is the process's one all the same.
const lookups = counter({
  name: 'dispatch_page_cache_requests_total',
  help: 'Page cache lookups, by result (hit; miss: not cached; stale: cached before the content last changed).',
  labelNames: ['result'],
});

/** @type {Map<string, { value: any; lastModified: number; cacheControl: any; size: number }>} */
const entries = new Map();
let bytes = 0;

function remove(/** @type {string} */ key) {
  const entry = entries.get(key);
  if (!entry) return;
  bytes -= entry.size;
  entries.delete(key);
}

class PageCacheHandler {
  async get(/** @type {string} */ key) {
    const entry = entries.get(key);
    if (!entry) {
      lookups.inc({ result: 'miss' });
      return null;
    }
    if (entry.lastModified <= changedAt()) {
      lookups.inc({ result: 'stale' });
      remove(key);
      return null;
    }
    lookups.inc({ result: 'hit' });
    // Map order is insertion order: re-inserting makes this the most recently used entry.
    entries.delete(key);
    entries.set(key, entry);
    return { value: entry.value, lastModified: entry.lastModified, cacheControl: entry.cacheControl };
  }

  async set(/** @type {string} */ key, /** @type {any} */ value, /** @type {any} */ ctx) {
    remove(key);
    if (!value) return;
    const size = sizeOf(value);
    if (size > MAX_BYTES / 8) return;
    // A render that began before a content change may finish just after it. Entries written within
    // a second of a change are kept but marked as old, so the next request renders them once more.
    const now = Date.now();
    const lastModified = now - changedAt() < RACE_WINDOW_MS ? changedAt() : now;
    entries.set(key, { value, lastModified, cacheControl: ctx?.cacheControl, size });
    bytes += size;
    for (const oldest of entries.keys()) {
      if (bytes <= MAX_BYTES) break;
      remove(oldest);
    }
  }

  async revalidateTag() {
    // Content changes invalidate everything through changedAt(); there are no finer tags to track.
    entries.clear();
    bytes = 0;
  }

  resetRequestCache() {}
}

module.exports = PageCacheHandler;
