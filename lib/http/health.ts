import 'server-only';
import { outOfSpace, pingDb } from '../db/client';
import { getContentStore, getDb } from '../server';

export type Health =
  | { status: 'ok' }
  | { status: 'unavailable'; content: 'ok' | 'down'; database: 'ok' | 'down'; storage: 'ok' | 'full' };

/** Whether this process can serve: content loaded, the database answering, room to write. */
export async function getHealth(): Promise<Health> {
  const [content, database, full] = await Promise.all([
    getContentStore().then(
      () => true,
      () => false,
    ),
    pingDb(getDb()),
    outOfSpace(),
  ]);
  if (content && database && !full) return { status: 'ok' };
  return {
    status: 'unavailable',
    content: content ? 'ok' : 'down',
    database: database ? 'ok' : 'down',
    storage: full ? 'full' : 'ok',
  };
}
