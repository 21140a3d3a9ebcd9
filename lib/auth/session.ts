import 'server-only';
import { getServerSession } from 'next-auth';
import type { Role } from '../db/schema';
import { authOptions } from './auth';

/** The signed-in reader as pages and actions see them: never their email. */
export type Viewer = { id: string; name: string; role: Role };

/**
 * The current viewer, or null. The session was re-checked against the database on the way
 * (token version, role, age), so a revoked session is null here.
 */
export async function getViewer(): Promise<Viewer | null> {
  const session = await getServerSession(authOptions());
  const user = session?.user as Partial<Viewer> | undefined;
  return user?.id && user.name && user.role ? { id: user.id, name: user.name, role: user.role } : null;
}
