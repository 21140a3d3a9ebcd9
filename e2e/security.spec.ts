import http from 'node:http';
import { expect, test, type BrowserContext } from '@playwright/test';
import { insertReader, PASSWORD, readMail, signIn, signInAs, signInWithForm, uniqueEmail } from './accounts';
import { E2E_BASE_URL, E2E_PORT } from './env';

// What a hostile reader tried (issue 11), each against the real server.

const sessionCookie = async (context: BrowserContext) =>
  (await context.cookies()).find((c) => c.name === 'next-auth.session-token');

async function signUp(page: import('@playwright/test').Page, email: string, password: string) {
  await page.goto('/signup');
  await page.getByLabel('Name').fill('Someone Else');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
}

test('sign-up is no password oracle: right or wrong, an existing address gets the same answer and no session', async ({
  page,
}) => {
  const owner = await insertReader('Owner Of Address');
  // Sign-in for this account is now limited from this address…
  for (let i = 0; i < 5; i++) {
    await signIn(page, owner.email, `a wrong guess ${i}`);
    await expect(page.locator('#signin-status')).toHaveText('Email or password is incorrect.');
  }
  // …and sign-up, with the right password, does not get around it.
  const answers: string[] = [];
  for (const password of [PASSWORD, 'another wrong guess']) {
    await signUp(page, owner.email, password);
    const status = page.locator('#signup-status');
    await expect(status).toHaveText(/could not sign you in/);
    answers.push(await page.locator('main').innerText());
    expect(await sessionCookie(page.context())).toBeUndefined();
  }
  expect(answers[0]).toBe(answers[1]);
  // The owner hears of it (the e2e server has EMAIL_SERVER).
  expect(await readMail(owner.email)).toContain('Someone tried to create a new account');
  await page.goto('/account');
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Faccount/);
});

test('signing out ends the session on the server: a copied cookie is refused', async ({ page, browser }) => {
  const reader = await insertReader('Copied Cookie');
  await signInAs(page, reader.email, '/account');
  const stolen = await browser.newContext();
  await stolen.addCookies(await page.context().cookies());
  const thief = await stolen.newPage();
  await thief.goto('/account');
  await expect(thief.getByRole('heading', { name: 'Your account' })).toBeVisible(); // the copy works…

  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible();

  await thief.goto('/account'); // …until the owner signs out
  await expect(thief).toHaveURL(/\/signin\?callbackUrl=%2Faccount/);
  expect(await (await thief.request.get('/api/auth/session')).json()).toEqual({});
  await stolen.close();
});

test('a crafted callback-url cookie does not break sign-in for that browser', async ({ page }) => {
  const reader = await insertReader('Crafted Cookie');
  for (const value of ['javascript:alert(1)', 'http://[::1', '\\\\evil.example']) {
    await page.context().clearCookies();
    await page.context().addCookies([{ name: 'next-auth.callback-url', value, url: E2E_BASE_URL }]);
    await signIn(page, reader.email, PASSWORD, '/topics');
    await expect(page).toHaveURL(`${E2E_BASE_URL}/topics`);
    await expect(page.getByRole('button', { name: 'Sign out', exact: true })).toBeVisible();
  }
});

/**
 * Posts a body of `total` bytes to `path` in 64 KiB chunks, stopping as soon as the server
 * answers; returns the status and how much had been sent by then.
 */
function postHuge(path: string, total: number, declareLength: boolean) {
  return new Promise<{ status: number; sent: number }>((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = http.request(
      {
        host: '127.0.0.1',
        port: E2E_PORT,
        path,
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          ...(declareLength ? { 'content-length': String(total) } : { 'transfer-encoding': 'chunked' }),
        },
      },
      (res) => {
        answered = true;
        res.resume();
        resolve({ status: res.statusCode ?? 0, sent });
        req.destroy();
      },
    );
    req.on('error', (error) => (answered ? undefined : reject(error)));
    const chunk = Buffer.alloc(64 * 1024, 'a');
    const pump = () => {
      while (!answered && sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', () => setTimeout(pump, 5));
      }
      if (!answered) req.end();
    };
    pump();
  });
}

test('a 10 MB body to the auth routes is refused without being read', async () => {
  const TEN_MB = 10 * 1024 * 1024;
  for (const path of ['/api/auth/callback/password', '/api/auth/signout']) {
    const declared = await postHuge(path, TEN_MB, true);
    expect(declared.status).toBe(413);
    const streamed = await postHuge(path, TEN_MB, false);
    expect(streamed.status).toBe(413);
    // The server answered long before the body was all sent: it read at most its 64 KiB cap.
    expect(streamed.sent).toBeLessThan(TEN_MB / 2);
  }
  // A normal sign-in still works afterwards.
  const csrf = await (await fetch(`${E2E_BASE_URL}/api/auth/csrf`)).json();
  expect(csrf.csrfToken).toBeTruthy();
});

test('a new account still signs straight in', async ({ page }) => {
  await signUp(page, uniqueEmail('fresh'), PASSWORD);
  await expect(page.getByRole('button', { name: 'Sign out', exact: true })).toBeVisible();
  expect(await sessionCookie(page.context())).toBeDefined();
});

test('a rotating X-Forwarded-For does not get around the per-address live-stream limit', async () => {
  // The e2e server trusts no proxy (TRUST_PROXY unset): every stream below comes from 127.0.0.1.
  const opened: http.ClientRequest[] = [];
  const statuses: number[] = [];
  try {
    for (let i = 0; i < 40; i++) {
      statuses.push(
        await new Promise<number>((resolve, reject) => {
          const req = http.get(
            {
              host: '127.0.0.1',
              port: E2E_PORT,
              path: '/api/live?topics=science',
              headers: {
                accept: 'text/event-stream',
                'x-forwarded-for': `10.1.${i}.7`,
                'x-real-ip': `10.2.${i}.7`,
              },
            },
            (res) => {
              resolve(res.statusCode ?? 0);
              if (res.statusCode !== 200) res.resume();
            },
          );
          req.on('error', reject);
          opened.push(req);
        }),
      );
    }
  } finally {
    for (const req of opened) req.destroy();
  }
  expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(8); // at most 32 per client
  expect(statuses.slice(0, 20).every((s) => s === 200)).toBe(true);
});

test("strangers' failures don't lock the owner's own browser out", async ({ page, browser }) => {
  const owner = await insertReader('Known Device');
  await signInWithForm(page, owner.email); // this browser is now known to the account…
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible();

  const attacker = await browser.newContext();
  const attackerPage = await attacker.newPage();
  for (let i = 0; i < 5; i++) {
    await signIn(attackerPage, owner.email, `guess ${i}`);
    await expect(attackerPage.locator('#signin-status')).toHaveText('Email or password is incorrect.');
  }
  // From this address, the account is now blocked for strangers, the right password included…
  await signIn(attackerPage, owner.email, PASSWORD);
  await expect(attackerPage.locator('#signin-status')).toHaveText(/^Too many attempts/);
  await attacker.close();
  // …but not for the owner's browser.
  await signInWithForm(page, owner.email, '/topics');
  await expect(page).toHaveURL(`${E2E_BASE_URL}/topics`);
});

test('wrong current passwords on the account page are limited', async ({ page }) => {
  const reader = await insertReader('Password Guesser');
  await signIn(page, reader.email, PASSWORD, '/account');
  await expect(page.getByRole('heading', { name: 'Your account' })).toBeVisible();
  for (let i = 0; i < 5; i++) {
    await page.getByLabel('Current password').fill(`not it ${i}`);
    await page.getByLabel('New password').fill('another long passphrase');
    await page.getByRole('button', { name: 'Change password' }).click();
    await expect(page.locator('#password-status')).toHaveText('Your current password is not correct.');
    await expect(page.getByLabel('Current password')).toHaveValue(''); // this answer, not the last one
  }
  await page.getByLabel('Current password').fill(PASSWORD);
  await page.getByLabel('New password').fill('another long passphrase');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.locator('#password-status')).toHaveText(
    /^Too many wrong passwords\. Try again in \d+ min\.$/,
  );
});
