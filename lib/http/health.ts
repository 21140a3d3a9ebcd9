import 'server-only';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { outOfSpace, pingDb } from '../db/client';
import { config } from '../env';
import { getContentStore, getDb, getRedis } from '../server';
import { isDraining } from './drain';

export type Health =
  | { status: 'ok' }
  | { status: 'unavailable'; content: 'ok' | 'down'; database: 'ok' | 'down'; storage: 'ok' | 'full' };

/** Whether this process can serve everything: content loaded, the database answering, room to write (SPEC §8). */
export async function getHealth(): Promise<Health> {
  const [content, database, full] = await Promise.all([contentLoaded(), pingDb(getDb()), outOfSpace()]);
  if (content && database && !full) return { status: 'ok' };
  return {
    status: 'unavailable',
    content: content ? 'ok' : 'down',
    database: database ? 'ok' : 'down',
    storage: full ? 'full' : 'ok',
  };
}

/** Which build, version and process answered: the same on every probe of one process. */
export type Identity = { build: string; version: string; instance: string };

let identityCache: Identity | null = null;
function identity(): Identity {
  if (identityCache) return identityCache;
  const read = (file: string) => {
    try {
      return readFileSync(path.join(process.cwd(), file), 'utf8');
    } catch {
      return null;
    }
  };
  const pkg = JSON.parse(read('package.json') ?? '{}') as { version?: string };
  return (identityCache = {
    build: read('.next/BUILD_ID')?.trim() ?? 'development',
    version: pkg.version ?? 'unknown',
    instance: config.INSTANCE_ID,
  });
}

/** Liveness: the process answers. A load balancer that fails it restarts the process. */
export const getLiveness = () => ({
  status: 'ok' as const,
  ...identity(),
  pid: process.pid,
  uptimeSeconds: Math.round(process.uptime()),
});

export type Readiness = Identity & {
  status: 'ready' | 'loading' | 'draining';
  content: 'ok' | 'down';
  /** Reported, but not a reason to be pulled: pages serve from content while the database is down. */
  database: 'ok' | 'down';
  storage: 'ok' | 'full';
  redis: 'ok' | 'down' | 'off';
};

/**
 * Readiness: whether this instance should be sent readers. Content loaded and not draining; the
 * database's state is reported, not required, since every instance shares one database and pulling
 * them all for its outage would take down pages that still serve (ADR 016).
 */
export async function getReadiness(): Promise<Readiness> {
  const draining = isDraining();
  const redis = getRedis();
  const [content, database, full] = await Promise.all([contentLoaded(), pingDb(getDb()), outOfSpace()]);
  return {
    status: draining ? 'draining' : content ? 'ready' : 'loading',
    ...identity(),
    content: content ? 'ok' : 'down',
    database: database ? 'ok' : 'down',
    storage: full ? 'full' : 'ok',
    redis: redis ? (redis.status === 'ready' ? 'ok' : 'down') : 'off',
  };
}

const contentLoaded = () =>
  getContentStore().then(
    () => true,
    () => false,
  );
