import { readFileSync } from 'node:fs';
import path from 'node:path';

// How e2e tests and benchmarks call a server action the way a browser does (POST with
// `Next-Action: <id>`): the ids are per build, in Next's server-reference manifest.

export type BuiltAction = {
  name: string;
  id: string;
  /** The app routes it is bound to, e.g. `app/articles/[slug]/page` (a POST must go to one). */
  workers: string[];
};

type Manifest = {
  node?: Record<string, { exportedName?: string; filename?: string; workers?: Record<string, unknown> }>;
};

/** The actions exported by `filename` (e.g. `lib/desk/actions.ts`) in the build under `root`. */
export function builtActions(filename: string, root = process.cwd()): BuiltAction[] {
  const file = path.join(root, '.next', 'server', 'server-reference-manifest.json');
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
  return Object.entries(manifest.node ?? {})
    .filter(([, e]) => e.filename === filename)
    .map(([id, e]) => ({ name: e.exportedName ?? '', id, workers: Object.keys(e.workers ?? {}) }));
}

/** The one action `name` of `filename`; throws when the build has none, or several. */
export function builtAction(filename: string, name: string, root = process.cwd()): BuiltAction {
  const hits = builtActions(filename, root).filter((a) => a.name === name);
  if (hits.length !== 1)
    throw new Error(`expected one ${name} from ${filename} in this build, found ${hits.length}`);
  return hits[0]!;
}
