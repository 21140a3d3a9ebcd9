'use server';

// The desk's endpoints (SPEC §9): each checks the session and the editor role itself
// (authorizedAction + canEdit), parses its argument, then calls the rules in service.ts. A reader
// gets `forbidden`, a signed-out caller `unauthorized`, and nothing changes.
import { z } from 'zod';
import { authorizedAction } from '../auth/action';
import { canEdit } from '../auth/permissions';
import type { Viewer } from '../auth/session';
import type { ActionResult } from '../errors';
import { getContentStore, getDb, getDeskFiles } from '../server';
import { getAuthorSlug } from '../users/service';
import type { EditableEntry, SavedEntry } from './dto';
import {
  articleFormSchema,
  editEntrySchema,
  entrySchema,
  newTopicSchema,
  postUpdateSchema,
  previewSchema,
  restoreSchema,
  setFlagSchema,
  topicLiveSchema,
} from './schema';
import * as service from './service';

const FORBIDDEN = 'Only editors can do that.';
const SIGNED_OUT = 'Please sign in as an editor.';

/** The opening every desk action shares; `act` gets the desk's parts and who is acting. */
function desk<S extends z.ZodType, T>(
  schema: S,
  raw: unknown,
  act: (desk: service.Desk, actor: service.Actor, input: z.infer<S>) => Promise<T>,
): Promise<ActionResult<T>> {
  return authorizedAction(
    raw,
    { schema, allow: canEdit, forbidden: FORBIDDEN, signedOut: SIGNED_OUT },
    async (viewer: Viewer, input) => {
      const [store, db] = await Promise.all([getContentStore(), getDb()]);
      const parts = { store, db, files: getDeskFiles() };
      const actor = { id: viewer.id, name: viewer.name, authorSlug: await getAuthorSlug(db, viewer.id) };
      return { ok: true, data: await act(parts, actor, input) };
    },
  );
}

/** The bylines the composer offers: every author, and the editor's own (preselected). */
export async function listBylines(): Promise<
  ActionResult<{ authors: { slug: string; name: string }[]; mine: string | null }>
> {
  return desk(z.unknown(), undefined, async (d, actor) => ({
    authors: [...d.store.snapshot.authors.values()].map((a) => ({ slug: a.slug, name: a.name })),
    mine: actor.authorSlug,
  }));
}

export async function postUpdate(raw: unknown): Promise<ActionResult<SavedEntry>> {
  return desk(postUpdateSchema, raw, (d, actor, input) => service.postUpdate(d, actor, input));
}

export async function previewEntry(raw: unknown): Promise<ActionResult<{ headline: string; html: string }>> {
  return desk(previewSchema, raw, async (_d, _actor, input) => service.preview(input));
}

export async function loadEntry(raw: unknown): Promise<ActionResult<EditableEntry>> {
  return desk(entrySchema, raw, (d, _actor, { slug }) => service.loadEntry(d, slug));
}

export async function editEntry(raw: unknown): Promise<ActionResult<SavedEntry>> {
  return desk(editEntrySchema, raw, (d, actor, input) => service.editEntry(d, actor, input));
}

export async function setEntryFlag(raw: unknown): Promise<ActionResult<SavedEntry>> {
  return desk(setFlagSchema, raw, (d, actor, input) => service.setFlag(d, actor, input));
}

export async function deleteEntry(raw: unknown): Promise<ActionResult<{ trashed: string }>> {
  return desk(entrySchema, raw, (d, actor, { slug }) => service.deleteEntry(d, actor, slug));
}

export async function restoreEntry(raw: unknown): Promise<ActionResult<{ file: string }>> {
  return desk(restoreSchema, raw, (d, actor, { path }) => service.restoreEntry(d, actor, path));
}

export async function saveArticle(raw: unknown): Promise<ActionResult<SavedEntry>> {
  return desk(articleFormSchema, raw, (d, actor, input) => service.saveArticle(d, actor, input));
}

export async function createTopic(raw: unknown): Promise<ActionResult<{ slug: string; file: string }>> {
  return desk(newTopicSchema, raw, (d, actor, input) => service.createTopic(d, actor, input));
}

export async function setTopicLive(raw: unknown): Promise<ActionResult<{ live: boolean }>> {
  return desk(topicLiveSchema, raw, async (d, actor, { topic, live }) => {
    await service.setTopicLive(d, actor, topic, live);
    return { live };
  });
}
