import type { Db } from '../db/client';

/** Marks some (or, without ids, all) of a reader's notifications read. */
export async function markNotificationsRead(db: Db, userId: string, ids?: string[], now = Date.now()) {
  let query = db
    .updateTable('notifications')
    .set({ read_at: now })
    .where('user_id', '=', userId)
    .where('read_at', 'is', null);
  if (ids) {
    if (ids.length === 0) return;
    query = query.where('id', 'in', ids);
  }
  await query.execute();
}
