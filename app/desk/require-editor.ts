import 'server-only';
import { notFound, redirect } from 'next/navigation';
import { canEdit } from '@/lib/auth/permissions';
import { getViewer, type Viewer } from '@/lib/auth/session';
import { log } from '@/lib/log';
import { pageMetadata } from '@/lib/seo/metadata';

/**
 * The desk pages' door (SPEC §9), checked on the server for every request: signed out, to sign
 * in and back to `path`; signed in without the editor role, the same 404 as a missing page.
 * Every action the pages call checks the role again itself.
 */
export async function requireEditor(path: string): Promise<Viewer> {
  const viewer = await getViewer();
  if (!viewer) redirect(`/signin?callbackUrl=${encodeURIComponent(path)}`);
  if (!canEdit(viewer.role)) {
    log.warn('authz', `desk page refused for user ${viewer.id}`);
    notFound();
  }
  return viewer;
}

/** A desk page's metadata: staff pages are never indexed. */
export const deskMetadata = (title: string, description: string, path: string) =>
  pageMetadata({ title, description, path, noindex: true });
