// Lists the 'use client' files (the client surface, STYLE.md §1.4) and fails if one of them, or
// anything it imports (followed through the whole import graph, type-only imports aside), is
// server code (database, services, configuration, content store) or a server-sized library.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = process.cwd();
const FORBIDDEN_FILES = [
  /^lib\/env\.ts$/,
  /^lib\/server\.ts$/, // the composition root: the database, Redis, the content store
  /^lib\/db\//,
  /\/service\.ts$/,
  /^lib\/content\/(?!model|dto)/,
  /^lib\/feeds\//,
  /^lib\/live\/subscription/,
  /^lib\/metrics\//,
  /^lib\/log\.ts$/,
];
// zod is fine on the server but about 30 kB gzipped in a browser bundle: client code checks by hand.
const FORBIDDEN_PACKAGES = [
  /^node:/,
  /^server-only$/,
  /^zod$/,
  /^kysely$/,
  /^pg$/,
  /^better-sqlite3$/,
  /^ioredis$/,
  /^prom-client$/,
  /^pino$/,
];

const files: string[] = [];
const walk = (dir: string): void => {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) walk(full);
    else if (/\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name)) files.push(path.relative(root, full));
  }
};
['app', 'components', 'lib'].forEach((d) => walk(path.join(root, d)));

const resolve = (from: string, spec: string): string | null => {
  const base = spec.startsWith('@/')
    ? path.join(root, spec.slice(2))
    : path.resolve(path.dirname(path.join(root, from)), spec);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return path.relative(root, candidate);
  }
  return null;
};
const importsOf = (file: string): string[] =>
  [
    ...readFileSync(path.join(root, file), 'utf8').matchAll(
      /^\s*(?:import|export)\s+(type\s+)?(?:[^'"]*?\sfrom\s+)?['"]([^'"]+)['"]/gm,
    ),
  ]
    .filter((m) => !m[1])
    .map((m) => m[2]!);

/** The first forbidden thing reachable from `start`, as an import chain, or null. */
function findForbidden(start: string): string[] | null {
  const seen = new Set<string>();
  const queue: string[][] = [[start]];
  for (let chain = queue.shift(); chain; chain = queue.shift()) {
    const file = chain.at(-1)!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const spec of importsOf(file)) {
      if (spec.startsWith('.') || spec.startsWith('@/')) {
        const target = resolve(file, spec);
        if (!target) continue;
        // A 'use server' module reaches the browser as action references, not as code.
        if (/^\s*['"]use server['"]/.test(readFileSync(path.join(root, target), 'utf8'))) continue;
        if (FORBIDDEN_FILES.some((re) => re.test(target))) return [...chain, target];
        queue.push([...chain, target]);
      } else if (FORBIDDEN_PACKAGES.some((re) => re.test(spec))) return [...chain, spec];
    }
  }
  return null;
}

const client = files.filter((f) => /^\s*['"]use client['"]/.test(readFileSync(path.join(root, f), 'utf8')));
let failed = 0;
for (const file of client) {
  const chain = findForbidden(file);
  if (chain) {
    console.error(`client code reaches server code: ${chain.join(' → ')}`);
    failed++;
  }
}
console.log(`client surface (${client.length} files): ${client.join(', ')}`);
if (failed) process.exit(1);
