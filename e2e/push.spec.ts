import type { Page } from '@playwright/test';
import { startPushService, type TestPushService, type TestSubscription } from '../lib/push/push-service.mock';
import { insertReader, signInAs, withDb } from './accounts';
import { E2E_BASE_URL } from './env';
import { expect, test } from './fixtures';

// The push service the server sends to: a local one that checks the VAPID signature and decrypts
// each push with the keys of the subscription it handed out (lib/push/push-service.mock.ts). The
// server accepts its http://127.0.0.1 endpoints because e2e/serve.mjs sets PUSH_ALLOW_LOCAL_ENDPOINTS.
let pushService: TestPushService;
test.beforeAll(async () => {
  pushService = await startPushService();
});
test.afterAll(() => pushService.close());

/**
 * Headless Chromium here has no internet, so its real push service (FCM) is unreachable and
 * `pushManager.subscribe()` would fail. So the one thing replaced is PushManager itself:
 * `subscribe()` resolves to a subscription on our local push service, with keys the test made (so
 * it can decrypt what the server sends), `getSubscription()` returns it until `unsubscribe()`.
 * Everything else is real: the notification permission, registering /sw.js, the server action,
 * the stored row, and the server's encrypted, signed push.
 */
async function fakePushManager(page: Page, sub: TestSubscription) {
  await page.context().grantPermissions(['notifications'], { origin: E2E_BASE_URL });
  await page.addInitScript(
    ({ endpoint, keys }) => {
      let current: unknown = null;
      const subscription = {
        endpoint,
        expirationTime: null,
        options: { userVisibleOnly: true, applicationServerKey: null },
        getKey: () => null,
        toJSON: () => ({ endpoint, expirationTime: null, keys }),
        unsubscribe: async () => {
          current = null;
          return true;
        },
      };
      PushManager.prototype.subscribe = async function () {
        current = subscription;
        return subscription as unknown as PushSubscription;
      };
      PushManager.prototype.getSubscription = async function () {
        return current as PushSubscription | null;
      };
    },
    { endpoint: sub.endpoint, keys: sub.keys },
  );
}

/** Delivers `data` to the page's service worker as a push message; the notifications it then shows. */
async function showInServiceWorker(page: Page, data: string) {
  const cdp = await page.context().newCDPSession(page);
  const registrationId = new Promise<string>((resolve) =>
    cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
      const ours = registrations.find((r) => r.scopeURL === `${E2E_BASE_URL}/` && !r.isDeleted);
      if (ours) resolve(ours.registrationId);
    }),
  );
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.deliverPushMessage', {
    origin: E2E_BASE_URL,
    registrationId: await registrationId,
    data,
  });
  let shown: { title: string; body: string; url: string; tag: string; icon: string }[] = [];
  await expect
    .poll(async () => {
      shown = await page.evaluate(async () => {
        const registration = await navigator.serviceWorker.getRegistration('/');
        return (await registration!.getNotifications()).map((n) => ({
          title: n.title,
          body: n.body,
          url: (n.data as { url: string }).url,
          tag: n.tag,
          icon: n.icon,
        }));
      });
      return shown.length;
    })
    .toBeGreaterThan(0);
  await cdp.detach();
  return shown;
}

const subscriptionsOf = (userId: string) =>
  withDb((db) => db.selectFrom('push_subscriptions').selectAll().where('user_id', '=', userId).execute());

test('a reader turns on push, gets news of a followed topic pushed, and turns it off', async ({
  page,
  writeArticle,
}) => {
  const sub = pushService.subscribe();
  await fakePushManager(page, sub);
  const pia = await insertReader('Pia Push');
  const { id: userId } = await withDb((db) =>
    db.selectFrom('users').select('id').where('email', '=', pia.email).executeTakeFirstOrThrow(),
  );
  await signInAs(page, pia.email);
  await page.goto('/account');

  await expect(page.getByRole('heading', { name: 'Push notifications', level: 2 })).toBeVisible();
  await page.getByRole('button', { name: 'Turn on push notifications' }).click();
  await expect(page.locator('#push-status')).toHaveText('Push notifications are on in this browser.');
  await expect(page.getByRole('button', { name: 'Turn off push notifications' })).toBeVisible();

  // The real service worker was registered for the whole site, and the subscription stored.
  const worker = await page.evaluate(async () => {
    const registration = await navigator.serviceWorker.getRegistration('/');
    return { script: registration?.active?.scriptURL, scope: registration?.scope };
  });
  expect(worker).toEqual({ script: `${E2E_BASE_URL}/sw.js`, scope: `${E2E_BASE_URL}/` });
  expect(await subscriptionsOf(userId)).toEqual([
    expect.objectContaining({ endpoint: sub.endpoint, p256dh: sub.keys.p256dh, auth: sub.keys.auth }),
  ]);

  // Pia follows Transport (every update); an update lands there; the push reaches her browser's
  // push service, signed by the site and readable only with her browser's keys.
  await withDb((db) =>
    db
      .insertInto('follows')
      .values({ user_id: userId, topic: 'transport', level: 'all', seen_until: 0, created_at: Date.now() })
      .execute(),
  );
  const article = await writeArticle({ kind: 'update' });
  const push = await pushService.waitFor(
    (p) => p.id === sub.id && (p.payload as { title?: string } | null)?.title === article.title,
    10_000,
  );
  expect(push.error).toBeNull();
  expect(push.signatureValid).toBe(true);
  expect(push.claims?.aud).toBe(pushService.origin);
  expect(push.headers['content-encoding']).toBe('aes128gcm');
  expect((push.payload as { url: string }).url).toMatch(new RegExp(`${article.url}$`));

  // What the browser's push service would hand the service worker, handed to it (DevTools
  // protocol): /sw.js shows it as a notification that opens the article.
  const shown = await showInServiceWorker(page, JSON.stringify(push.payload));
  const sent = push.payload as { body: string; tag: string };
  expect(shown).toEqual([
    {
      title: article.title,
      body: sent.body,
      tag: sent.tag,
      url: `${E2E_BASE_URL}${article.url}`,
      icon: `${E2E_BASE_URL}/icon.svg`,
    },
  ]);

  await page.getByRole('button', { name: 'Turn off push notifications' }).click();
  await expect(page.locator('#push-status')).toHaveText('Push notifications are off in this browser.');
  await expect(page.getByRole('button', { name: 'Turn on push notifications' })).toBeVisible();
  await expect.poll(() => subscriptionsOf(userId)).toEqual([]);
});
