// Every benchmark budget, in one place: each `npm run bench:*` script checks its figures against
// these, and budgets.test.ts fails when docs/benchmarks.md states a different one. Change a budget
// here and in the docs together. `npm run bench:db` only reports figures: it has no budget.

/** `npm run bench:bundle` (also run by `npm test`): the article page's first-load JavaScript. */
export const bundleBudget = {
  /** Every non-`nomodule` `<script src>` of the served HTML, gzip -9, in bytes (150 kB). */
  articleMaxGzipBytes: 150_000,
} as const;

/** `npm run bench:http`: autocannon at 50 connections against `next start`. */
export const httpBudget = {
  /** The article page, signed out, served from the page cache. */
  article: { minRps: 850, maxP99Ms: 100 },
  /** `/following` signed in, measured with one connection (one reader's render, nothing queued). */
  following: { articles: 10_000, followedTopics: 20, maxP99Ms: 100 },
} as const;

/** `npm run bench:live`: file written → visible, and the fan-out of one event to idle streams. */
export const liveBudget = {
  /** File written → headline visible in an open topic page. */
  visibleP50Ms: 300,
  visibleP95Ms: 1000,
  /** The fan-out budgets apply at this many streams (every one connected and served). */
  fanoutStreams: 5000,
  fanoutP99Ms: 1000,
  /** Server RSS per idle stream, in kB (VmRSS is in KiB). */
  maxKbPerStream: 30,
} as const;

/** `npm run bench:replies`: the `postReply` server action under `BENCH_WRITERS` writers. */
export const repliesBudget = {
  minRepliesPerSecond: 300,
  maxP99Ms: 200,
  /** Reply posted → visible in another reader's open page. */
  visibleP95Ms: 1000,
} as const;

/** `npm run bench:content`: the content store, at this many articles. */
export const contentBudget = {
  articles: 10_000,
  maxColdLoadMs: 30_000,
  /** `store.apply()` of one changed file, median. */
  maxApplyMedianMs: 100,
} as const;

/** `npm run bench:lighthouse`: minimum category scores (0–100) on mobile. */
export const lighthouseBudget = {
  performance: 90,
  accessibility: 100,
  'best-practices': 100,
  seo: 100,
} as const;

/** `npm run bench:desk`: an update published through the desk → visible in another open browser. */
export const deskBudget = {
  posts: 20,
  visibleP95Ms: 500,
} as const;
