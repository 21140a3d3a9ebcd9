import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';

const PAGES = [
  { name: 'front page', url: '/' },
  { name: 'topics', url: '/topics' },
  { name: 'live topic page', url: '/topics/northport-flood-updates' },
  { name: 'article with table and callout', url: '/articles/harbour-line-extension-consultation' },
  { name: 'article with figure and pull quote', url: '/articles/mayors-budget-schools-and-sea-walls' },
  { name: 'author page', url: '/authors/maya-okafor' },
  { name: 'search results', url: '/search?q=flood' },
  { name: '404 page', url: '/articles/no-such-article' },
  { name: 'sign in', url: '/signin' },
  { name: 'sign up', url: '/signup' },
  { name: 'magic link page', url: '/signin/verify?token=not-a-real-token-000000' },
];

const SERIOUS = new Set(['serious', 'critical']);

/** Runs axe on the whole page; fails on serious or critical violations, listing where they are. */
async function expectNoSeriousViolations(page: Page) {
  const { violations, passes } = await new AxeBuilder({ page }).analyze();
  expect(
    passes.map((p) => p.id),
    'axe ran its contrast checks',
  ).toContain('color-contrast');
  const serious = violations
    .filter((v) => SERIOUS.has(v.impact ?? ''))
    .map((v) => ({
      rule: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes
        .slice(0, 5)
        .map((n) => `${n.target.join(' ')}: ${n.failureSummary?.split('\n').slice(1).join(' ').trim()}`),
    }));
  expect(serious, JSON.stringify(serious, null, 2)).toEqual([]);
}

const darkToggle = (page: Page) => page.getByRole('button', { name: 'Dark mode' });

/** Clicks the toggle until the page is dark: a click before hydration does nothing, so retry. */
async function switchToDark(page: Page) {
  const toggle = darkToggle(page);
  await expect(async () => {
    if ((await toggle.getAttribute('aria-pressed')) !== 'true') await toggle.click();
    await expect(toggle).toHaveAttribute('aria-pressed', 'true', { timeout: 500 });
  }).toPass();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
}

const backgroundOf = (page: Page) =>
  page.locator('body').evaluate((b) => getComputedStyle(b).backgroundColor);

test.describe('axe: no serious or critical violations', () => {
  for (const { name, url } of PAGES) {
    test(`${name} (${url}), light`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: 'light' });
      await page.goto(url);
      await expectNoSeriousViolations(page);
    });

    test(`${name} (${url}), dark from the system setting`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: 'dark' });
      await page.goto(url);
      expect(await backgroundOf(page)).toBe('rgb(18, 18, 18)');
      await expectNoSeriousViolations(page);
    });

    test(`${name} (${url}), dark from the "Dark mode" button`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: 'light' });
      await page.goto(url);
      await switchToDark(page);
      expect(await backgroundOf(page)).toBe('rgb(18, 18, 18)');
      await expectNoSeriousViolations(page);
    });
  }
});

test('the "Dark mode" button is a toggle whose choice is remembered', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto('/');
  await expect(darkToggle(page)).toHaveAttribute('aria-pressed', 'false');
  expect(await backgroundOf(page)).toBe('rgb(255, 255, 255)');

  await switchToDark(page);
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(darkToggle(page)).toHaveAttribute('aria-pressed', 'true');
  expect(await backgroundOf(page)).toBe('rgb(18, 18, 18)');

  await darkToggle(page).click();
  await expect(darkToggle(page)).toHaveAttribute('aria-pressed', 'false');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  expect(await backgroundOf(page)).toBe('rgb(255, 255, 255)');
});

test('the skip link is the first thing focused and moves focus to the main content', async ({ page }) => {
  await page.goto('/articles/mayors-budget-schools-and-sea-walls');
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to content' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('main')).toBeFocused();
  // The next Tab continues inside the main content, not back in the header.
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => Boolean(document.activeElement?.closest('main')))).toBe(true);
});

test('keyboard focus is always visible', async ({ page }) => {
  await page.goto('/topics/northport-flood-updates');
  const seen: string[] = [];
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return null;
      const style = getComputedStyle(el);
      return {
        what: `${el.tagName.toLowerCase()} "${(el.textContent ?? '').trim().slice(0, 40)}"`,
        outlineStyle: style.outlineStyle,
        outlineWidth: parseFloat(style.outlineWidth),
      };
    });
    expect(focused, `Tab ${i + 1} focuses something`).not.toBeNull();
    seen.push(focused!.what);
    expect(focused!.outlineStyle, `${focused!.what} shows an outline when focused`).not.toBe('none');
    expect(focused!.outlineWidth, `${focused!.what} outline width`).toBeGreaterThan(0);
  }
  expect(
    seen.some((s) => s.includes('Dark mode')),
    `the theme toggle is reachable (${seen.join(', ')})`,
  ).toBe(true);
});
