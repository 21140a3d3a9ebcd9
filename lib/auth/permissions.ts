import type { Role } from '../db/schema';

// Pure predicates: the UI uses them to hide controls, services use them to refuse. Hiding is never the check.
type Who = { role: Role } | null;

export const isSignedIn = (viewer: Who): viewer is { role: Role } => viewer !== null;
export const canModerate = (viewer: Who) => viewer?.role === 'moderator' || viewer?.role === 'admin';
export const canManageUsers = (viewer: Who) => viewer?.role === 'admin';
