import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { E2E_BASE_URL } from './env';
import { insertReader, PASSWORD, readMail, signIn, uniqueEmail } from './accounts';

test('sign up signs the reader in and returns them where they came from', async ({ page }) => {
  await page.goto('/topics');
  await page.getByRole('link', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Ftopics/);
  await page.getByRole('link', { name: 'Create an account' }).click();
  await page.getByLabel('Name').fill('Nadia New');
  await page.getByLabel('Email').fill(uniqueEmail('new'));
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(`${E2E_BASE_URL}/topics`);
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Nadia New' })).toBeVisible();

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign out' })).toHaveCount(0);
});

test('sign-up refuses weak passwords and keeps what was typed', async ({ page }) => {
  await page.goto('/signup');
  await page.getByLabel('Name').fill('Weak Will');
  await page.getByLabel('Email').fill('weak@example.org');
  await page.getByLabel('Password').fill('password123');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByText('This password is too common')).toBeVisible();
  await expect(page.getByRole('status')).toHaveText('Please correct the highlighted fields.');
  await expect(page.getByLabel('Name')).toHaveValue('Weak Will');
  await expect(page.getByLabel('Email')).toHaveValue('weak@example.org');
});

test('a wrong password and an unknown email get the same answer', async ({ page }) => {
  const reader = await insertReader();
  await signIn(page, reader.email, 'not the right password');
  const status = page.locator('#signin-status');
  await expect(status).toHaveText('Email or password is incorrect.');
  const known = await page.locator('main').innerText();

  await signIn(page, uniqueEmail('nobody'), 'not the right password');
  await expect(status).toHaveText('Email or password is incorrect.');
  expect(await page.locator('main').innerText()).toBe(known);
});

test('sign in returns to the callback, and never to another site', async ({ page }) => {
  const reader = await insertReader();
  await signIn(page, reader.email, PASSWORD, '/topics/science');
  await expect(page).toHaveURL(`${E2E_BASE_URL}/topics/science`);
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();

  await page.context().clearCookies();
  await signIn(page, reader.email, PASSWORD, 'https://evil.example/phish');
  await expect(page).toHaveURL(`${E2E_BASE_URL}/`);
});

test('the account page changes the name and the password', async ({ page }) => {
  const reader = await insertReader('Old Name');
  await signIn(page, reader.email, PASSWORD, '/account');
  await expect(page.getByRole('heading', { name: 'Your account' })).toBeVisible();

  await page.getByLabel('Display name').fill('New Name');
  await page.getByRole('button', { name: 'Save name' }).click();
  await expect(page.locator('#name-status')).toHaveText('Your name was saved.');
  await page.reload();
  await expect(page.getByRole('link', { name: 'New Name' })).toBeVisible();
  await expect(page.getByText(reader.email)).toHaveCount(0); // the email is never shown

  // "Download my data" is a link to a JSON attachment, fetched with this browser's session.
  await expect(page.getByRole('link', { name: 'Download my data' })).toHaveAttribute('href', '/account/data');
  const res = await page.request.get('/account/data');
  expect(res.headers()['content-disposition']).toBe('attachment; filename="dispatch-account.json"');
  expect((await res.json()).account).toMatchObject({ email: reader.email, name: 'New Name' });
  expect((await fetch(`${E2E_BASE_URL}/account/data`)).status).toBe(401); // no session, no data

  await page.getByLabel('Current password').fill('wrong current password');
  await page.getByLabel('New password').fill('another long passphrase');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.locator('#password-status')).toHaveText('Your current password is not correct.');

  await page.getByLabel('Current password').fill(PASSWORD);
  await page.getByLabel('New password').fill('another long passphrase');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page).toHaveURL(/\/signin/); // every session ended, this one too
  await signIn(page, reader.email, 'another long passphrase', '/account');
  await expect(page.getByRole('heading', { name: 'Your account' })).toBeVisible();
});

test('deleting the account removes it', async ({ page }) => {
  const reader = await insertReader();
  await signIn(page, reader.email, PASSWORD, '/account');
  await page.getByRole('button', { name: 'Delete my account' }).click();
  await expect(page.locator('#delete-status')).toHaveText('Type DELETE to confirm.');
  await page.getByLabel('Type DELETE to confirm').fill('DELETE');
  await page.getByRole('button', { name: 'Delete my account' }).click();
  await expect(page).toHaveURL(/\/\?account=deleted$/);
  await signIn(page, reader.email);
  await expect(page.locator('#signin-status')).toHaveText('Email or password is incorrect.');
});

test('"Sign out everywhere" ends the session in another browser', async ({ page, browser }) => {
  const reader = await insertReader();
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await signIn(otherPage, reader.email, PASSWORD, '/account');
  await expect(otherPage.getByRole('heading', { name: 'Your account' })).toBeVisible();

  await signIn(page, reader.email, PASSWORD, '/account');
  await page.getByRole('button', { name: 'Sign out everywhere' }).click();
  await expect(page).toHaveURL(/\/signin/);

  await otherPage.reload();
  await expect(otherPage).toHaveURL(/\/signin\?callbackUrl=%2Faccount/);
  await other.close();
});

test('a magic link from the real SMTP peer signs in once, only through Continue', async ({
  page,
  request,
}) => {
  const email = uniqueEmail('magic');
  await page.goto('/signin?callbackUrl=%2Ftopics');
  await page.getByLabel('Email address').fill(email);
  await page.getByRole('button', { name: 'Email me a link' }).click();
  await expect(page.locator('#magic-status')).toContainText('Check your email');

  const mail = await readMail(email);
  const link = /http:\/\/127\.0\.0\.1:\d+\/signin\/verify\?token=[A-Za-z0-9_-]+/.exec(mail)?.[0];
  expect(link).toBeTruthy();

  // A mail scanner fetching the link changes nothing.
  expect((await request.get(link!)).status()).toBe(200);
  await page.context().clearCookies();
  await page.goto(link!);
  await expect(page.getByRole('button', { name: 'Continue' })).toBeVisible();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page).toHaveURL(`${E2E_BASE_URL}/topics`);
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();

  await page.goto(link!);
  await expect(page.getByRole('status')).toHaveText(/expired or was already used/);
});

test('an unknown address gets the same magic-link answer', async ({ page }) => {
  await page.goto('/signin');
  await page.getByLabel('Email address').fill(uniqueEmail('stranger'));
  await page.getByRole('button', { name: 'Email me a link' }).click();
  await expect(page.locator('#magic-status')).toHaveText(
    'Check your email: if the address can receive mail, a sign-in link is on its way. It works once, for 10 minutes.',
  );
});

test('health reports the database', async ({ request }) => {
  const res = await request.get('/api/health');
  expect(res.status()).toBe(200);
  expect(await res.json()).toEqual({ status: 'ok' });
});

test('repeated wrong passwords are slowed down for that account only', async ({ page }) => {
  const victim = await insertReader();
  const bystander = await insertReader();
  for (let i = 0; i < 5; i++) {
    await signIn(page, victim.email, `wrong password ${i}`);
    await expect(page.locator('#signin-status')).toHaveText('Email or password is incorrect.');
  }
  await signIn(page, victim.email, PASSWORD);
  await expect(page.locator('#signin-status')).toHaveText(
    /^Too many attempts\. Try again in \d+ min, or use an email link\.$/,
  );

  await signIn(page, bystander.email, PASSWORD, '/topics');
  await expect(page).toHaveURL(`${E2E_BASE_URL}/topics`);
});

test('the account page is accessible in light and dark', async ({ page }) => {
  const reader = await insertReader();
  await signIn(page, reader.email, PASSWORD, '/account');
  await expect(page.getByRole('heading', { name: 'Your account' })).toBeVisible();
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    const { violations } = await new AxeBuilder({ page }).analyze();
    expect(
      violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id),
    ).toEqual([]);
  }
});

test('the sign-in form can never send the password in a URL, even before its script runs', async ({
  page,
}) => {
  await page.goto('/signin');
  const form = page.locator('form').filter({ has: page.getByLabel('Password') });
  await expect(form).toHaveAttribute('method', 'post');
  await expect(form).toHaveAttribute('action', '/api/auth/callback/password');
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeEnabled(); // once interactive
});
