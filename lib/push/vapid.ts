import { createECDH } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import webpush from 'web-push';
import { config } from '../env';
import { log } from '../log';

export type VapidKeys = { publicKey: string; privateKey: string };

let cached: VapidKeys | null = null;

/** True when `privateKey` is a P-256 private key whose public half is `publicKey` (both base64url). */
function isVapidPair(keys: Partial<VapidKeys>): keys is VapidKeys {
  if (!keys.publicKey || !keys.privateKey) return false;
  try {
    const ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(Buffer.from(keys.privateKey, 'base64url'));
    return ecdh.getPublicKey('base64url') === keys.publicKey;
  } catch {
    return false;
  }
}

/**
 * The pair from configuration when both halves are set (checked to belong together), else the one
 * in `file`, generated on first use. Throws when only one half is configured.
 */
export function loadVapidKeys(configured: Partial<VapidKeys>, file: string): VapidKeys {
  if (configured.publicKey || configured.privateKey) {
    const [set, missing] = configured.publicKey
      ? ['VAPID_PUBLIC_KEY', 'VAPID_PRIVATE_KEY']
      : ['VAPID_PRIVATE_KEY', 'VAPID_PUBLIC_KEY'];
    if (!configured.publicKey || !configured.privateKey)
      throw new Error(`Invalid configuration: ${missing} is required when ${set} is set`);
    if (!isVapidPair(configured))
      throw new Error('Invalid configuration: VAPID_PUBLIC_KEY is not the public key of VAPID_PRIVATE_KEY');
    return { publicKey: configured.publicKey, privateKey: configured.privateKey };
  }
  const stored = readPair(file);
  if (stored) return stored;
  const broken = stored === false;
  if (broken)
    log.warn(
      'push',
      `${file} does not hold a valid VAPID key pair: replacing it (browsers must subscribe again)`,
    );
  mkdirSync(path.dirname(file), { recursive: true });
  const keys = webpush.generateVAPIDKeys();
  try {
    // Exclusive unless replacing: two processes starting at once end up with one pair, the first one's.
    writeFileSync(file, JSON.stringify(keys) + '\n', { mode: 0o600, flag: broken ? 'w' : 'wx' });
  } catch (error) {
    const other = (error as { code?: string }).code === 'EEXIST' ? readPair(file) : null;
    if (other) return other;
    throw error;
  }
  log.warn(
    'push',
    `VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY are not set: generated a pair into ${file}. Set both when running more than one instance.`,
  );
  return keys;
}

/** The pair in `file`; null when there is no file, false when it holds no valid pair. */
function readPair(file: string): VapidKeys | null | false {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null; // not generated yet
  }
  try {
    const stored = JSON.parse(text) as Partial<VapidKeys>;
    return isVapidPair(stored) ? { publicKey: stored.publicKey, privateKey: stored.privateKey } : false;
  } catch {
    return false;
  }
}

/**
 * The web push (VAPID) key pair: VAPID_PUBLIC_KEY + VAPID_PRIVATE_KEY, or a pair generated into
 * ./data/vapid.json on first start so push works on a fresh machine. Several instances must share
 * one pair (browsers' subscriptions are bound to the public key): set both for them (README).
 */
export function vapidKeys(): VapidKeys {
  cached ??= loadVapidKeys(
    { publicKey: config.VAPID_PUBLIC_KEY, privateKey: config.VAPID_PRIVATE_KEY },
    path.resolve('data', 'vapid.json'),
  );
  return cached;
}
