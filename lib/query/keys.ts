// Query keys, shared by the server (which seeds initial data) and the browser. Prefixes matter:
// invalidating ['following'] reaches every page and filter of /following (lib/query/live.ts).

export const keys = {
  session: ['session'] as const,
  followSummary: ['follows'] as const,
  unreadNotifications: ['notifications', 'unread'] as const,
  topicStream: (topic: string) => ['topic-stream', topic] as const,
  replies: (article: string) => ['replies', article] as const,
  following: (topic: string | null, page: number) => ['following', topic, page] as const,
  /** Prefix of every /following page and filter. */
  allFollowing: ['following'] as const,
};
