// http_ece (web-push's encryption, RFC 8188) ships no types; the tests decrypt with it as a browser would.
declare module 'http_ece' {
  import type { ECDH } from 'node:crypto';

  type Params = {
    version?: 'aes128gcm' | 'aesgcm';
    privateKey?: ECDH;
    dh?: string | Buffer;
    authSecret?: string | Buffer;
    keyid?: string | Buffer;
    key?: string | Buffer;
    rs?: number;
  };
  export function decrypt(buffer: Buffer, params: Params): Buffer;
  export function encrypt(buffer: Buffer, params: Params): Buffer;
}
