'use client';
import { useQuery } from '@tanstack/react-query';
import dynamic from 'next/dynamic';
import { createContext, use, type ReactNode } from 'react';
import { StreamEntry } from '@/components/stream-item';
import { canEdit } from '@/lib/auth/permissions';
import type { StreamItem } from '@/lib/content/dto';
import { sessionQuery } from '@/lib/query/resources';

// The desk on a topic page (SPEC §9): the composer and each item's controls, for editors and
// admins. Topic pages are cached and shared by every visitor, so the server renders them for nobody
// and their code is not in the page's JavaScript: once the browser knows the viewer may edit (the
// session query the account menu makes anyway: one request), it fetches the desk's own chunks
// (next/dynamic, as app/islands.tsx). A reader's browser never asks for them.

/** Whether the signed-in viewer may publish here; false on the server and until the session is known. */
export function useCanEdit(): boolean {
  return canEdit(useQuery(sessionQuery()).data?.role);
}

/** The composer (desk/composer.tsx); nothing until its code is in. */
export const DeskComposer = dynamic(() => import('./desk/composer').then((m) => m.Composer), { ssr: false });

/** The item as readers see it, while its controls' code loads: nothing moves when it lands. */
const AsRead = createContext<ReactNode>(null);
const AsReadFallback = () => use(AsRead);
const LazyManagedEntry = dynamic(() => import('./desk/managed-entry').then((m) => m.ManagedEntry), {
  ssr: false,
  loading: AsReadFallback,
});

type EntryProps = { item: StreamItem; editedLive: boolean; topic: string };

/** A stream item with the desk's controls (desk/managed-entry.tsx). */
export function DeskEntry(props: EntryProps) {
  return (
    <AsRead value={<StreamEntry item={props.item} editedLive={props.editedLive} />}>
      <LazyManagedEntry {...props} />
    </AsRead>
  );
}
