import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import webpush from 'web-push';
import { config } from '../env';
import { log } from '../log';
import { pushMessages } from '../metrics/metrics';
import { isAllowedPushEndpoint, isLocalTestEndpoint, isPublicAddress } from './address';
import { vapidKeys, type VapidKeys } from './vapid';

/** What a notification shows; `url` is a path on this site (or an absolute URL on it). */
export type PushPayload = { title: string; body: string; url: string; tag?: string };
/** A stored subscription, in the shape of the browser's `PushSubscription.toJSON()`. */
export type PushTarget = { endpoint: string; keys: { p256dh: string; auth: string } };
/** `gone`: the push service says the subscription no longer exists (404/410), so forget it. */
export type PushOutcome = 'sent' | 'gone' | 'failed';

export type SendOptions = {
  /** Lets http://127.0.0.1 endpoints through (the test suite's push service); default from config. */
  allowLocalEndpoints?: boolean;
  vapid?: VapidKeys;
  timeoutMs?: number;
};

/** How long a push service keeps a message for a device that is offline: news older than this is stale. */
const PUSH_TTL_SECONDS = 12 * 60 * 60;
/** Push services accept 4 KB of ciphertext; the JSON stays well below. */
export const PUSH_PAYLOAD_MAX_BYTES = 3_072;
const TIMEOUT_MS = 10_000;

const cut = (text: string, max: number) => {
  const chars = Array.from(text); // never split a surrogate pair
  return chars.length <= max ? text : chars.slice(0, max - 1).join('') + '…';
};

/** The payload as JSON, trimmed to what a notification can show and to PUSH_PAYLOAD_MAX_BYTES. */
export function encodePayload(payload: PushPayload): string {
  const small = {
    title: cut(payload.title, 120),
    body: cut(payload.body, 400),
    url: payload.url,
    ...(payload.tag ? { tag: cut(payload.tag, 64) } : {}),
  };
  let json = JSON.stringify(small);
  while (Buffer.byteLength(json) > PUSH_PAYLOAD_MAX_BYTES && small.body.length > 0) {
    small.body = cut(small.body, Math.floor(Array.from(small.body).length / 2));
    json = JSON.stringify(small);
  }
  if (Buffer.byteLength(json) > PUSH_PAYLOAD_MAX_BYTES)
    throw new Error('push payload too large (url or title)');
  return json;
}

/**
 * Who runs this server, for push services to contact (VAPID `sub`): the site when it is https,
 * else the sender address of its mail. Must be an https: or mailto: URL.
 */
export function vapidSubject(siteUrl = config.SITE_URL, emailFrom = config.EMAIL_FROM): string {
  if (siteUrl.startsWith('https://')) return siteUrl;
  const address =
    /<([^<>\s]+@[^<>\s]+)>/.exec(emailFrom)?.[1] ?? /^[^<>\s]+@[^<>\s]+$/.exec(emailFrom.trim())?.[0];
  return `mailto:${address ?? 'no-reply@localhost'}`;
}

/**
 * DNS lookup that refuses names resolving to non-public addresses, so an endpoint host that points
 * (or is re-pointed) inside our network is never reached. IP literals skip lookup: address.ts checks those.
 */
export function guardedLookup(allowLocal: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const refused = addresses.find(
        (a) => !isPublicAddress(a.address) && !(allowLocal && a.address === '127.0.0.1'),
      );
      if (refused || addresses.length === 0)
        return callback(new Error('push service host does not resolve to a public address'), '', 0);
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

type Answer = { status: number; text: string };

function post(
  url: URL,
  headers: Record<string, string>,
  body: Buffer,
  allowLocal: boolean,
  timeoutMs: number,
) {
  const client = isLocalTestEndpoint(url) ? http : https;
  return new Promise<Answer>((resolve, reject) => {
    const request = client.request(
      url,
      {
        method: 'POST',
        headers,
        lookup: guardedLookup(allowLocal),
        signal: AbortSignal.timeout(timeoutMs),
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          if (text.length < 300) text += chunk.slice(0, 300 - text.length);
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/** The endpoint's origin: its path is a capability for the subscription, so it never reaches the logs. */
const originOf = (endpoint: string) => {
  try {
    return new URL(endpoint).origin;
  } catch {
    return '(invalid endpoint)';
  }
};

/**
 * Sends one notification (RFC 8030/8291/8292): the payload encrypted for the subscription
 * (aes128gcm) and signed with our VAPID key, by web-push. web-push's own sendNotification always
 * speaks https and resolves names unchecked, so the request itself is made here: through the
 * SSRF-guarded lookup, with a deadline, and over plain http only to the test suite's 127.0.0.1.
 */
export async function sendPush(
  subscription: PushTarget,
  payload: PushPayload,
  options: SendOptions = {},
): Promise<PushOutcome> {
  const outcome = await attemptPush(subscription, payload, options);
  pushMessages.inc({ result: outcome });
  return outcome;
}

async function attemptPush(
  subscription: PushTarget,
  payload: PushPayload,
  options: SendOptions,
): Promise<PushOutcome> {
  const allowLocal = options.allowLocalEndpoints ?? config.PUSH_ALLOW_LOCAL_ENDPOINTS;
  const origin = originOf(subscription.endpoint);
  if (!isAllowedPushEndpoint(subscription.endpoint, allowLocal)) {
    log.warn('push', `refused to send to ${origin}: not an allowed push service URL`);
    return 'failed';
  }
  try {
    const keys = options.vapid ?? vapidKeys();
    const details = webpush.generateRequestDetails(
      { endpoint: subscription.endpoint, keys: subscription.keys },
      encodePayload(payload),
      {
        vapidDetails: { subject: vapidSubject(), publicKey: keys.publicKey, privateKey: keys.privateKey },
        TTL: PUSH_TTL_SECONDS,
        urgency: 'normal',
        contentEncoding: 'aes128gcm',
      },
    );
    const headers = Object.fromEntries(Object.entries(details.headers).map(([k, v]) => [k, String(v)]));
    const answer = await post(
      new URL(subscription.endpoint),
      headers,
      details.body,
      allowLocal,
      options.timeoutMs ?? TIMEOUT_MS,
    );
    if (answer.status >= 200 && answer.status < 300) return 'sent';
    if (answer.status === 404 || answer.status === 410) return 'gone';
    log.error('push', `push to ${origin} failed: ${answer.status} ${answer.text}`);
    return 'failed';
  } catch (error) {
    log.error('push', `push to ${origin} failed: ${error instanceof Error ? error.message : String(error)}`);
    return 'failed';
  }
}
