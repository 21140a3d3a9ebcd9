import { config, isProduction } from '../env';
import { log } from '../log';
import { getLiveBus } from '../live/instance';
import { ContentStore, type ContentChange } from './store';

type Holder = { store: ContentStore; ready: Promise<ContentStore> };
const KEY = Symbol.for('dispatch.content.store');

/**
 * The process's one content store, loaded and watching on first use. It lives on globalThis
 * because Next bundles route handlers and pages separately, and they must share it.
 *
 * During `next build` it stays empty: pages are rendered on first request instead, so build time
 * does not grow with the number of articles (and a build never bakes in content).
 */
export function getContentStore(): Promise<ContentStore> {
  const g = globalThis as typeof globalThis & { [KEY]?: Holder };
  if (!g[KEY]) {
    const store = new ContentStore({ dir: config.contentDir, includeDrafts: !isProduction });
    const building = process.env.NEXT_PHASE === 'phase-production-build';
    const ready = building
      ? Promise.resolve(store)
      : store
          .load()
          .then(() => store.subscribe(publishChanges))
          .then(() => store.watch())
          .then(() => store)
          .catch((error) => {
            log.error('content', `cannot load ${config.contentDir}: ${String(error)}`);
            delete g[KEY]; // the next request tries again
            throw error;
          });
    g[KEY] = { store, ready };
  }
  return g[KEY].ready;
}

/** Every visible change to content becomes a live event for open pages (SPEC §6). */
function publishChanges(changes: ContentChange[]) {
  const bus = getLiveBus();
  const at = Date.now();
  for (const change of changes) {
    const article = change.type === 'topic.ended' ? undefined : change.slug;
    bus.publish({ type: change.type, topics: change.topics, article, at }).catch((error) => log.error('live', `publish failed: ${String(error)}`));
  }
}
