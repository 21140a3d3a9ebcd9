import { mkdir, readFile, rm, writeFile as writeFileOnDisk } from 'node:fs/promises';
import path from 'node:path';
import { test as base, expect, type APIRequestContext, type Page, type Response } from '@playwright/test';
import { buildArticleMdx, type ArticleMdx } from '../lib/testing/content';
import { E2E_CONTENT_DIR } from './env';

export { expect };

/** An article the test wrote: what buildArticleMdx made, plus where it lives on disk and on the site. */
type WrittenArticle = ArticleMdx & {
  source: string;
  /** Path relative to E2E_CONTENT_DIR, e.g. `articles/e2e/<slug>.mdx`. */
  rel: string;
  /** Absolute path on disk. */
  file: string;
  /** The article's page, e.g. `/articles/<slug>`. */
  url: string;
};

type Fixtures = {
  /**
   * Writes `articles/e2e/<slug>.mdx` into the e2e server's CONTENT_DIR (unique slug and title unless
   * overridden; topic `transport` by default) and deletes it after the test. Writing the same slug
   * twice rewrites the file, which is how a test edits an article.
   */
  writeArticle: (overrides?: Partial<Omit<ArticleMdx, 'folder'>>) => Promise<WrittenArticle>;
  /**
   * Writes any file under CONTENT_DIR (`topics/x.mdx`, a broken article…). After the test a new file
   * is deleted and an overwritten one gets its old text back.
   */
  writeFile: (rel: string, source: string) => Promise<string>;
};

const E2E_FOLDER = 'articles/e2e';

/** Files written during one test, with their text before the test (null: the file was new). */
type Written = Map<string, string | null>;

/** The page a content file would be served at, or null for files that aren't pages. */
function pageOf(rel: string): string | null {
  const slug = path.basename(rel, '.mdx');
  if (rel.startsWith('articles/')) return `/articles/${slug}`;
  if (rel.startsWith('topics/')) return `/topics/${slug}`;
  if (rel.startsWith('authors/')) return `/authors/${slug}`;
  return null;
}

/**
 * Removes (or restores) what a test wrote, then waits until the server has dropped the removed pages,
 * so the next test never sees the previous one's content.
 */
async function restore(request: APIRequestContext, written: Written) {
  const gone: string[] = [];
  for (const [rel, original] of written) {
    const file = path.join(E2E_CONTENT_DIR, rel);
    if (original === null) {
      await rm(file, { force: true });
      const url = pageOf(rel);
      if (url) gone.push(url);
    } else {
      await writeFileOnDisk(file, original);
    }
  }
  for (const url of gone) {
    await expect
      .poll(async () => (await request.get(url, { maxRedirects: 0 })).status(), {
        message: `${url} should be gone after the test removed its file`,
      })
      .toBe(404);
  }
}

async function rememberAndWrite(written: Written, rel: string, source: string) {
  const file = path.join(E2E_CONTENT_DIR, rel);
  if (!written.has(rel)) {
    const original = await readFile(file, 'utf8').catch(() => null);
    written.set(rel, original);
  }
  await mkdir(path.dirname(file), { recursive: true });
  await writeFileOnDisk(file, source);
  return file;
}

// Fixture callbacks call their second argument `provide`, not `use`: the react-hooks lint rule
// takes a function named `use` for React's hook.
export const test = base.extend<
  Fixtures & { contentFiles: Written; browserErrors: void; expectedConsoleErrors: RegExp[] }
>({
  /** Console errors a test causes on purpose (e.g. blocking a request); set with test.use(). */
  expectedConsoleErrors: [[], { option: true }],
  // A page that throws or logs an error fails its test (hydration mismatches, CSP refusals…). The
  // browser's own "404" resource message is expected on not-found pages.
  browserErrors: [
    async ({ page, expectedConsoleErrors }, provide) => {
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() !== 'error') return;
        if (/the server responded with a status of 404/.test(message.text())) return;
        if (expectedConsoleErrors.some((re) => re.test(`${message.text()} (${message.location().url})`)))
          return;
        errors.push(`console.error: ${message.text()} (${message.location().url})`);
      });
      await provide();
      expect(errors, 'the browser reported errors').toEqual([]);
    },
    { auto: true },
  ],

  // One record shared by writeArticle and writeFile, so a file written through both is restored once.
  contentFiles: async ({ request }, provide) => {
    const written: Written = new Map();
    await provide(written);
    await restore(request, written);
  },

  writeArticle: async ({ contentFiles }, provide) => {
    await provide(async (overrides = {}) => {
      const article = buildArticleMdx({ topics: ['transport'], ...overrides, folder: E2E_FOLDER });
      const rel = `${E2E_FOLDER}/${article.slug}.mdx`;
      const file = await rememberAndWrite(contentFiles, rel, article.source);
      return { ...article, rel, file, url: `/articles/${article.slug}` };
    });
  },

  writeFile: async ({ contentFiles }, provide) => {
    await provide(async (rel, source) => {
      const normalized = rel.split(path.sep).join('/');
      if (normalized.startsWith('/') || normalized.split('/').includes('..')) {
        throw new Error(`writeFile: ${rel} must be a path inside CONTENT_DIR`);
      }
      return rememberAndWrite(contentFiles, normalized, source);
    });
  },
});

/**
 * Opens `url` until `check` passes: the page cache is dropped a moment after a content file changes
 * (the watcher debounces), so a test reloads instead of sleeping. Keep `check`'s own timeouts short.
 */
export async function openUntil(
  page: Page,
  url: string,
  check: (response: Response | null) => Promise<void>,
) {
  await expect(async () => {
    const response = await page.goto(url);
    await check(response);
  }).toPass({ timeout: 20_000, intervals: [100, 250, 500] });
}

/** Marks the open document, so that expectNoReload notices if the page reloads after this. */
export const markDocument = (page: Page) =>
  page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));

/** The page is still the document markDocument marked: what changed came in place, not by reload. */
export const expectNoReload = async (page: Page) =>
  expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(
    true,
  );
