/** Runs once per server process. The boot code is Node-only, so the Edge build never sees it. */
export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs' && process.env.NEXT_PHASE !== 'phase-production-build') {
    await (await import('./lib/server')).boot();
  }
}
