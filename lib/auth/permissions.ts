import type { Role } from '../db/schema';

// Pure role predicates, the one place each permission is decided (STYLE.md §1.1); no imports
// beyond types, so pages, services and browser code share them.

/** Moderators and admins work the moderation queues and are exempt from flood control. */
export const canModerate = (role: Role | string | undefined): boolean =>
  role === 'moderator' || role === 'admin';

/** Editors and admins publish through the desk: they write, edit and delete content files (SPEC §9). */
export const canEdit = (role: Role | string | undefined): boolean => role === 'editor' || role === 'admin';
