import { z } from 'zod';
import { config } from '../env';
import { isAllowedPushEndpoint } from './address';

const PUSH_ENDPOINT_MAX = 1_000;

/** A P-256 public key, uncompressed (65 bytes, 0x04 first), base64url without padding: 87 characters. */
const p256dh = z
  .string()
  .regex(/^[A-Za-z0-9_-]{87}$/, 'must be a base64url P-256 public key')
  .refine((key) => Buffer.from(key, 'base64url')[0] === 0x04, 'must be an uncompressed P-256 public key');
/** 16 random bytes, base64url without padding: 22 characters. */
const auth = z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'must be a base64url 16-byte secret');

/**
 * What the browser sends: `PushSubscription.toJSON()`. The endpoint is where this server will POST,
 * so it must be https and not inside our network (address.ts); `allowLocal` also lets the test
 * suite's http://127.0.0.1 push service in.
 */
export const pushSubscriptionSchemaFor = (allowLocal: boolean) =>
  z.object({
    endpoint: z
      .string()
      .max(PUSH_ENDPOINT_MAX, `must be at most ${PUSH_ENDPOINT_MAX} characters`)
      .refine((endpoint) => isAllowedPushEndpoint(endpoint, allowLocal), 'must be an https push service URL'),
    expirationTime: z.number().int().nonnegative().nullable().optional(),
    keys: z.object({ p256dh, auth }),
  });

export const pushSubscriptionSchema = pushSubscriptionSchemaFor(config.PUSH_ALLOW_LOCAL_ENDPOINTS);
export type PushSubscriptionInput = z.infer<typeof pushSubscriptionSchema>;

/** Turning push off names the browser's subscription by its endpoint; it need not be valid any more. */
export const deletePushSubscriptionSchema = z.object({
  endpoint: z.string().min(1).max(PUSH_ENDPOINT_MAX),
});
