'use client';
import Link from 'next/link';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { FormStatus } from '@/components/ui/form-status';
import { deletePushSubscription, savePushSubscription } from '@/lib/push/actions';

type Status = { message: string; tone: 'ok' | 'error' } | null;

const noSubscribe = () => () => undefined;
/** Whether this browser can do web push; null while rendering on the server. */
const useSupport = () =>
  useSyncExternalStore(
    noSubscribe,
    () => 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window,
    () => null,
  );

/** The VAPID public key (base64url) as the bytes `pushManager.subscribe` wants. */
function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const base64 = base64url
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(base64url.length / 4) * 4, '=');
  const raw = atob(base64);
  const bytes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

function sameKey(current: ArrayBuffer | null | undefined, key: Uint8Array) {
  if (!current) return true; // unknown: keep the subscription
  const a = new Uint8Array(current);
  return a.length === key.length && a.every((byte, i) => byte === key[i]);
}

const browserSubscription = async () =>
  (await navigator.serviceWorker.getRegistration('/'))?.pushManager.getSubscription() ?? null;

/**
 * Turns web push on or off for this browser. `subscribed`: the reader has push on in some browser
 * (the server's view); once mounted, this browser's own subscription decides what the button says.
 */
export function PushSettings({ publicKey, subscribed }: { publicKey: string; subscribed: boolean }) {
  const supported = useSupport();
  const [on, setOn] = useState(subscribed);
  const [pending, setPending] = useState(false);
  const [status, setStatus] = useState<Status>(null);

  useEffect(() => {
    if (!subscribed || !('serviceWorker' in navigator) || !('PushManager' in window)) return;
    let live = true;
    browserSubscription()
      .then((sub) => {
        if (live && !sub) setOn(false);
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [subscribed]);

  async function turnOn() {
    const permission = await Notification.requestPermission();
    if (permission !== 'granted') {
      setStatus({
        tone: 'error',
        message:
          'Notifications are blocked for this site. Allow them in your browser’s site settings, then try again.',
      });
      return;
    }
    await navigator.serviceWorker.register('/sw.js', { scope: '/' });
    const registration = await navigator.serviceWorker.ready;
    const key = keyBytes(publicKey);
    let sub = await registration.pushManager.getSubscription();
    // Made with another server key (the site's keys changed): it can't receive our pushes.
    if (sub && !sameKey(sub.options.applicationServerKey, key)) {
      await sub.unsubscribe();
      sub = null;
    }
    sub ??= await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
    const result = await savePushSubscription(sub.toJSON());
    if (!result.ok) {
      await sub.unsubscribe().catch(() => false);
      setStatus({ tone: 'error', message: result.message });
      return;
    }
    setOn(true);
    setStatus({ tone: 'ok', message: result.data.message });
  }

  async function turnOff() {
    const sub = await browserSubscription();
    if (sub) {
      const { endpoint } = sub;
      await sub.unsubscribe();
      const result = await deletePushSubscription({ endpoint });
      if (!result.ok) {
        setStatus({ tone: 'error', message: result.message });
        return;
      }
    }
    setOn(false);
    setStatus({ tone: 'ok', message: 'Push notifications are off in this browser.' });
  }

  async function toggle() {
    setPending(true);
    setStatus(null);
    try {
      await (on ? turnOff() : turnOn());
    } catch {
      setStatus({
        tone: 'error',
        message: on
          ? 'Push notifications could not be turned off. Please try again.'
          : 'Push notifications could not be turned on in this browser. Please try again later.',
      });
    } finally {
      setPending(false);
    }
  }

  return (
    <section aria-labelledby="push-heading">
      <h2 id="push-heading">Push notifications</h2>
      <p>
        Get a notification on this device when there is news in the topics you follow, even when Dispatch is
        not open. What you are told about is chosen per topic on <Link href="/following">Following</Link>:
        every update, key events only, or none.
      </p>
      {supported === false ? (
        <p>
          This browser does not support push notifications. (On iPhone and iPad, add Dispatch to your Home
          Screen first.)
        </p>
      ) : (
        <div className="stack-form">
          <button
            className="button"
            type="button"
            onClick={toggle}
            disabled={pending || supported === null}
            aria-describedby="push-status"
          >
            {on ? 'Turn off push notifications' : 'Turn on push notifications'}
          </button>
          <FormStatus id="push-status" tone={status?.tone} message={status?.message} />
        </div>
      )}
    </section>
  );
}
