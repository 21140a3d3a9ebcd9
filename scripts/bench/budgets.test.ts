import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  bundleBudget,
  contentBudget,
  deskBudget,
  httpBudget,
  lighthouseBudget,
  liveBudget,
  repliesBudget,
} from './budgets';

// docs/benchmarks.md states every budget in a "Budget…" sentence (or a table's budget column) under
// the heading of its `npm run bench:*`. Each must say what budgets.ts says, and no sentence about a
// budget may state a figure that is not one of its section's budgets.

const docs = readFileSync(fileURLToPath(new URL('../../docs/benchmarks.md', import.meta.url)), 'utf8');

const count = (n: number) => n.toLocaleString('en');
const time = (ms: number) => (ms >= 1000 && ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`);

/** The budget statements budgets.ts expects, each as phrases its text must contain. */
type Claim = {
  script: string;
  /** A paragraph starting with this (its first sentence), or a budget-column row labelled so. */
  statement: string;
  phrases: string[];
};
const lighthouseNames: Record<keyof typeof lighthouseBudget, string> = {
  performance: 'performance',
  accessibility: 'accessibility',
  'best-practices': 'best practices',
  seo: 'SEO',
};
const claims: Claim[] = [
  {
    script: 'bench:http',
    statement: 'Budget: article',
    phrases: [
      `article ≥ ${count(httpBudget.article.minRps)} req/s`,
      `p99 ≤ ${time(httpBudget.article.maxP99Ms)}`,
    ],
  },
  {
    script: 'bench:http',
    statement: 'Budget (issue "Following topics")',
    phrases: [
      `following ${httpBudget.following.followedTopics} topics`,
      `${count(httpBudget.following.articles)} articles`,
      `p99 ≤ ${time(httpBudget.following.maxP99Ms)}`,
    ],
  },
  {
    script: 'bench:bundle',
    statement: 'Budget: article',
    phrases: [`article ≤ ${bundleBudget.articleMaxGzipBytes / 1000} kB`],
  },
  {
    script: 'bench:lighthouse',
    statement: 'Budget: mobile',
    phrases: Object.entries(lighthouseBudget).map(
      ([id, min]) =>
        `${lighthouseNames[id as keyof typeof lighthouseBudget]} ${min === 100 ? '=' : '≥'} ${min}`,
    ),
  },
  {
    script: 'bench:content',
    statement: 'Budgets:',
    phrases: [
      `${count(contentBudget.articles)} articles cold in ≤ ${time(contentBudget.maxColdLoadMs)}`,
      `one changed file in ≤ ${time(contentBudget.maxApplyMedianMs)} (median)`,
    ],
  },
  {
    script: 'bench:live',
    statement: 'Budget p50',
    phrases: [`p50 ≤ ${time(liveBudget.visibleP50Ms)}`, `p95 ≤ ${time(liveBudget.visibleP95Ms)}`],
  },
  {
    script: 'bench:live',
    statement: 'Budgets at',
    phrases: [
      `at ${count(liveBudget.fanoutStreams)} streams`,
      `p99 ≤ ${time(liveBudget.fanoutP99Ms)}`,
      `≤ ${liveBudget.maxKbPerStream} kB server memory per idle stream`,
    ],
  },
  {
    script: 'bench:replies',
    statement: 'replies/s,',
    phrases: [`≥ ${count(repliesBudget.minRepliesPerSecond)}`],
  },
  { script: 'bench:replies', statement: 'latency p99', phrases: [`≤ ${time(repliesBudget.maxP99Ms)}`] },
  {
    script: 'bench:replies',
    statement: 'reply → visible',
    phrases: [`≤ ${time(repliesBudget.visibleP95Ms)}`],
  },
  {
    script: 'bench:desk',
    statement: 'Budget: publish',
    phrases: [`over ${deskBudget.posts} posts`, `p95 ≤ ${time(deskBudget.visibleP95Ms)}`],
  },
];

/**
 * Every `≤ N`, `≥ N` or ` = N` in a text (not `NAME=0`), seconds as milliseconds ("≤ 1 s" is
 * "≤ 1000").
 */
function figures(text: string): string[] {
  return [...text.matchAll(/(?:([≤≥])|(?<=\s)=(?=\s)) ?(\d[\d,]*(?:\.\d+)?)(?: ?(s|ms)\b)?/g)].map(
    ([, op, n, unit]) => {
      const value = Number(n!.replace(/,/g, ''));
      return `${op ?? '='} ${unit === 's' ? value * 1000 : value}`;
    },
  );
}

type Statement = { script: string; text: string };

const sections = docs
  .split(/^## /m)
  .slice(1)
  .map((section) => ({
    script: section.match(/^[^\n]*`npm run (bench:[a-z]+)`/)?.[1] ?? '',
    paragraphs: section.split(/\n\s*\n/).slice(1),
  }));
const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();
const firstSentence = (text: string) => text.split(/\.(?:\s|$)/)[0]!;

/** "Budget…" paragraphs (their first sentence) and the budget cells of tables, with the row's label. */
const statements: Statement[] = sections.flatMap(({ script, paragraphs }) =>
  paragraphs.flatMap((raw): Statement[] => {
    if (raw.trimStart().startsWith('|')) {
      const rows = raw
        .trim()
        .split('\n')
        .map((row) =>
          row
            .split('|')
            .slice(1, -1)
            .map((cell) => cell.trim()),
        );
      const column = rows[0]!.findIndex((cell) => cell.toLowerCase() === 'budget');
      if (column === -1) return [];
      return rows
        .slice(2)
        .filter((cells) => cells[column] !== '—')
        .map((cells) => ({ script, text: `${cells[0]}: ${cells[column]}` }));
    }
    const text = oneLine(raw);
    return /^Budgets?\b/.test(text) ? [{ script, text: firstSentence(text) }] : [];
  }),
);

const find = (claim: Claim) =>
  statements.filter((s) => s.script === claim.script && s.text.startsWith(claim.statement));

describe('docs/benchmarks.md states the budgets of scripts/bench/budgets.ts', () => {
  it.each(claims.map((claim) => [`${claim.script}: ${claim.statement}`, claim] as const))(
    '%s',
    (_name, claim) => {
      const found = find(claim);
      expect(found, `one statement starting "${claim.statement}" under npm run ${claim.script}`).toHaveLength(
        1,
      );
      const text = found[0]!.text;
      for (const phrase of claim.phrases) expect(text).toContain(phrase);
      // No figure beyond the budget's own (a changed or added one).
      expect(figures(text).sort()).toEqual(figures(claim.phrases.join(' ')).sort());
    },
  );

  it('has no budget statement that budgets.ts does not know', () => {
    const known = new Set(claims.flatMap((claim) => find(claim)));
    expect(statements.filter((s) => !known.has(s))).toEqual([]);
  });

  it('states no other figure in a sentence about a budget', () => {
    for (const { script, paragraphs } of sections) {
      const allowed = new Set(
        claims.filter((c) => c.script === script).flatMap((c) => figures(c.phrases.join(' '))),
      );
      const sentences = paragraphs
        .filter((raw) => !raw.trimStart().startsWith('|'))
        .flatMap((raw) => oneLine(raw).split(/\.(?:\s|$)/))
        .filter((sentence) => /budget/i.test(sentence));
      for (const sentence of sentences)
        for (const figure of figures(sentence))
          expect(allowed, `"${figure}" in: ${sentence}`).toContain(figure);
    }
  });
});
