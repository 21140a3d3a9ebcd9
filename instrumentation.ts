/** Boots the process once: configuration is checked and content loaded before the first request. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  if (process.env.NEXT_PHASE === 'phase-production-build') return;
  await import('./lib/env'); // throws one line naming a bad variable
  const { getContentStore } = await import('./lib/content/instance');
  await getContentStore();
}
