import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';

// Runs in the 'mobile' project: a 360 px wide touch screen (playwright.config.ts).
const WIDTH = 360;
const MIN_TARGET = 44;

const PAGES = [
  { name: 'front page', url: '/' },
  { name: 'topics', url: '/topics' },
  { name: 'live topic page', url: '/topics/northport-flood-updates' },
  { name: 'older topic page', url: '/topics/northport-flood-updates/page/2' },
  { name: 'article with a wide table', url: '/articles/harbour-line-extension-consultation' },
  { name: 'article with a lead image', url: '/articles/northport-flood-week-timeline' },
  { name: 'live update with a table', url: '/articles/quayside-gauge-passes-1968-record' },
  { name: 'author page', url: '/authors/tomas-lindqvist' },
  { name: 'search', url: '/search?q=flood' },
  { name: 'search without results', url: '/search?q=xylophonequartzwombat' },
  { name: '404 page', url: '/articles/no-such-article' },
  { name: 'sign in', url: '/signin' },
  { name: 'sign up', url: '/signup' },
];

test('the viewport is the narrow phone width', async ({ page }) => {
  expect(page.viewportSize()?.width).toBe(WIDTH);
});

/** Elements as wide as the page that stick out past the right edge, for the failure message. */
async function overflowing(page: Page) {
  return page.evaluate((width) => {
    const out: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>('body *')) {
      const box = el.getBoundingClientRect();
      if (box.right > width + 0.5 && getComputedStyle(el).position !== 'absolute') {
        out.push(`${el.tagName.toLowerCase()}.${el.className} right=${Math.round(box.right)}`);
      }
    }
    return out.slice(0, 10);
  }, WIDTH);
}

for (const { name, url } of PAGES) {
  test.describe(`${name} (${url})`, () => {
    test('has no horizontal scroll', async ({ page }) => {
      await page.goto(url);
      const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(
        scrollWidth,
        `wider than the screen: ${(await overflowing(page)).join('; ')}`,
      ).toBeLessThanOrEqual(WIDTH);
    });

    test('navigation links and buttons are at least 44 px tall', async ({ page }) => {
      await page.goto(url);
      // Measure the settled page: the islands (account menu, Follow) replace their placeholders
      // once their code and data are in, and a node swapped out mid-measure has no box.
      await page.waitForLoadState('networkidle');
      const targets = [
        ...(await page.getByRole('navigation').getByRole('link').all()),
        ...(await page.getByRole('button').all()),
      ];
      expect(targets.length).toBeGreaterThanOrEqual(4); // three nav links and the theme toggle at least
      for (const target of targets) {
        if (!(await target.isVisible())) continue;
        const box = await target.boundingBox();
        const label = (await target.textContent())?.trim();
        expect(box, `${label} has a box`).not.toBeNull();
        expect(box!.height, `"${label}" is ${box!.height}px tall`).toBeGreaterThanOrEqual(MIN_TARGET);
        expect(box!.width, `"${label}" is ${box!.width}px wide`).toBeGreaterThanOrEqual(MIN_TARGET);
        expect(box!.x + box!.width, `"${label}" fits on screen`).toBeLessThanOrEqual(WIDTH);
      }
    });
  });
}

test('an article is readable on a phone', async ({ page }) => {
  await page.goto('/articles/northport-flood-week-timeline');
  const heading = page.getByRole('heading', { level: 1 });
  await expect(heading).toBeInViewport();

  const text = await page
    .getByRole('article')
    .getByRole('paragraph')
    .filter({ hasText: /\w{3,}/ })
    .evaluateAll(
      (ps, width) =>
        ps.map((p) => {
          const box = p.getBoundingClientRect();
          const style = getComputedStyle(p);
          return {
            text: (p.textContent ?? '').slice(0, 30),
            left: box.left,
            right: box.right,
            fontSize: parseFloat(style.fontSize),
            lineHeight: parseFloat(style.lineHeight) / parseFloat(style.fontSize),
            width,
          };
        }),
      WIDTH,
    );
  expect(text.length).toBeGreaterThan(3);
  for (const p of text) {
    expect(p.left, `"${p.text}" has a margin`).toBeGreaterThanOrEqual(8);
    expect(p.right, `"${p.text}" fits on screen`).toBeLessThanOrEqual(WIDTH - 8);
    expect(p.fontSize, `"${p.text}" font size`).toBeGreaterThanOrEqual(14);
  }
  // Body copy (not meta lines, not display type such as pull quotes): comfortable line spacing.
  const body = text.filter((p) => p.fontSize >= 16 && p.fontSize <= 20);
  expect(body.length).toBeGreaterThan(3);
  for (const p of body) expect(p.lineHeight, `"${p.text}" line height`).toBeGreaterThanOrEqual(1.4);

  const image = page.getByRole('article').getByRole('img').first();
  await expect(image).toBeVisible();
  const box = (await image.boundingBox())!;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(WIDTH);
  expect(box.height).toBeGreaterThan(100);
});

test('a wide table scrolls inside itself, not the page', async ({ page }) => {
  await page.goto('/articles/harbour-line-extension-consultation');
  const table = page.getByRole('table');
  await expect(table).toBeVisible();
  const box = (await table.boundingBox())!;
  expect(box.x + box.width).toBeLessThanOrEqual(WIDTH);
  await expect(table.getByRole('cell', { name: '€390m' })).toBeAttached();
});
