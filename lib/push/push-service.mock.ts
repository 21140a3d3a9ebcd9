import { createECDH, createPublicKey, randomBytes, randomUUID, verify, type ECDH } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decrypt } from 'http_ece';

/**
 * A push service on 127.0.0.1 for tests (unit and e2e): it hands out browser-like subscriptions
 * (a P-256 key pair and an auth secret per endpoint, as a browser makes them), and for each push
 * it receives checks the VAPID signature and decrypts the payload as the browser would.
 */
export type ReceivedPush = {
  /** The subscription's id (last segment of its endpoint). */
  id: string;
  headers: IncomingHttpHeaders;
  /** The VAPID JWT's claims, when the Authorization header was `vapid t=…, k=…`. */
  claims: { aud?: string; exp?: number; sub?: string } | null;
  /** The `k=` public key of the Authorization header. */
  vapidKey: string | null;
  /** The JWT's ES256 signature checks out against `vapidKey`. */
  signatureValid: boolean;
  /** The decrypted payload, parsed as JSON (or the text when it is not JSON); null if it did not decrypt. */
  payload: unknown;
  error: string | null;
};

export type TestSubscription = {
  id: string;
  endpoint: string;
  keys: { p256dh: string; auth: string };
  expirationTime: null;
};

type Entry = { ecdh: ECDH; auth: string };

/** A raw uncompressed P-256 point (base64url) as a KeyObject. */
function publicKeyOf(raw: string) {
  const point = Buffer.from(raw, 'base64url');
  if (point.length !== 65 || point[0] !== 4) throw new Error('not an uncompressed P-256 point');
  return createPublicKey({
    key: {
      kty: 'EC',
      crv: 'P-256',
      x: point.subarray(1, 33).toString('base64url'),
      y: point.subarray(33).toString('base64url'),
    },
    format: 'jwk',
  });
}

function checkVapid(authorization: string | undefined) {
  const match = /^vapid t=([\w-]+\.[\w-]+\.[\w-]+), k=([\w-]+)$/.exec(authorization ?? '');
  if (!match) return { claims: null, vapidKey: null, signatureValid: false };
  const [jwt, key] = [match[1]!, match[2]!];
  const [head, body, signature] = jwt.split('.') as [string, string, string];
  const header = JSON.parse(Buffer.from(head, 'base64url').toString()) as { alg?: string };
  const claims = JSON.parse(Buffer.from(body, 'base64url').toString()) as ReceivedPush['claims'];
  let signatureValid = false;
  try {
    signatureValid =
      header.alg === 'ES256' &&
      verify(
        'sha256',
        Buffer.from(`${head}.${body}`),
        { key: publicKeyOf(key), dsaEncoding: 'ieee-p1363' },
        Buffer.from(signature, 'base64url'),
      );
  } catch {
    signatureValid = false;
  }
  return { claims, vapidKey: key, signatureValid };
}

export async function startPushService() {
  const subscriptions = new Map<string, Entry>();
  const statuses = new Map<string, number>();
  const received: ReceivedPush[] = [];
  const waiters = new Set<() => void>();

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const id = decodeURIComponent(request.url?.split('/').at(-1) ?? '');
      const entry = subscriptions.get(id);
      const push: ReceivedPush = {
        id,
        headers: request.headers,
        ...checkVapid(request.headers.authorization),
        payload: null,
        error: null,
      };
      try {
        if (request.method !== 'POST' || !request.url?.startsWith('/push/')) throw new Error('not a push');
        if (!entry) throw new Error(`unknown subscription ${id}`);
        const text = decrypt(Buffer.concat(chunks), {
          version: 'aes128gcm',
          privateKey: entry.ecdh,
          authSecret: entry.auth,
        }).toString('utf8');
        try {
          push.payload = JSON.parse(text);
        } catch {
          push.payload = text;
        }
      } catch (error) {
        push.error = error instanceof Error ? error.message : String(error);
      }
      received.push(push);
      for (const wake of waiters) wake();
      response.statusCode = push.error ? 400 : (statuses.get(id) ?? 201);
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  return {
    origin,
    received,
    /** A new subscription, as `PushSubscription.toJSON()` would give it. */
    subscribe(): TestSubscription {
      const id = randomUUID();
      const ecdh = createECDH('prime256v1');
      ecdh.generateKeys();
      const auth = randomBytes(16).toString('base64url');
      subscriptions.set(id, { ecdh, auth });
      return {
        id,
        endpoint: `${origin}/push/${id}`,
        keys: { p256dh: ecdh.getPublicKey('base64url'), auth },
        expirationTime: null,
      };
    },
    /** Answer pushes to `id` with `status` from now on (410: the browser unsubscribed). */
    answer(id: string, status: number) {
      statuses.set(id, status);
    },
    /** The first push received that matches, waiting up to `timeoutMs`. */
    async waitFor(match: (push: ReceivedPush) => boolean, timeoutMs = 10_000): Promise<ReceivedPush> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = received.find(match);
        if (found) return found;
        const left = deadline - Date.now();
        if (left <= 0)
          throw new Error(`no matching push within ${timeoutMs} ms (received ${received.length})`);
        await new Promise<void>((resolve) => {
          const wake = () => (waiters.delete(wake), clearTimeout(timer), resolve());
          const timer = setTimeout(wake, left);
          waiters.add(wake);
        });
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export type TestPushService = Awaited<ReturnType<typeof startPushService>>;
