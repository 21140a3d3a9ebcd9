// What the desk's pages and client forms receive (no server imports: browser code uses these types).

export type EntryStatus = 'draft' | 'scheduled' | 'published';

/** One article or update in /desk's list. */
export type DeskEntry = {
  slug: string;
  file: string;
  title: string;
  kind: 'article' | 'update';
  topics: string[];
  authors: string[];
  status: EntryStatus;
  publishedAt: string;
  updatedAt: string | null;
  pinned: boolean;
  keyEvent: boolean;
};

/** An item as its edit form needs it: the text and flags, and the fingerprint of the file loaded. */
export type EditableEntry = {
  slug: string;
  file: string;
  kind: 'article' | 'update';
  headline: string;
  body: string;
  keyEvent: boolean;
  pinned: boolean;
  correction: string;
  fingerprint: string;
};

/** What a publish, schedule, draft or save answers. */
export type SavedEntry = {
  slug: string;
  file: string;
  status: EntryStatus;
  publishedAt: string;
  fingerprint: string;
};

/** The version on disk that a refused save (`conflict`) carries in `current`, to merge with. */
export type ConflictVersion = { headline: string; body: string; fingerprint: string };
