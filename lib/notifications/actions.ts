'use server';

import { z } from 'zod';
import { actionViewer } from '../auth/session';
import { getDb } from '../db/client';
import { storing } from '../db/storage';
import { fail, type ActionResult } from '../errors';
import { countUnread } from './queries';
import { markNotificationsRead as markRead } from './service';

const markReadSchema = z.object({ ids: z.array(z.uuid()).max(200).optional() });

/** Marks the reader's notifications read: the listed ones, or all. */
export async function markNotificationsRead(raw: unknown): Promise<ActionResult<{ unread: number }>> {
  const viewer = await actionViewer();
  if (!viewer) return fail('unauthorized', 'Your session has ended. Please sign in again.');
  const input = markReadSchema.safeParse(raw);
  if (!input.success) return fail('invalid', 'Unknown notifications.');
  const db = await getDb();
  return storing(async () => {
    await markRead(db, viewer.id, input.data.ids);
    return { ok: true, data: { unread: await countUnread(db, viewer.id) } };
  });
}
