'use server';

import { z } from 'zod';
import { authorizedAction } from '../auth/action';
import { getDb } from '../server';
import type { ActionResult } from '../errors';
import { countUnread } from './queries';
import { markNotificationsRead as markRead } from './service';

const markReadSchema = z.object({ ids: z.array(z.uuid()).max(200).optional() });

/** Marks the reader's notifications read: the listed ones, or all. */
export async function markNotificationsRead(raw: unknown): Promise<ActionResult<{ unread: number }>> {
  return authorizedAction(
    raw,
    { schema: markReadSchema, invalid: 'Unknown notifications.' },
    async (viewer, input) => {
      const db = await getDb();
      await markRead(db, viewer.id, input.ids);
      return { ok: true, data: { unread: await countUnread(db, viewer.id) } };
    },
  );
}
