#!/usr/bin/env node
// Lists the 'use client' files (the client surface, STYLE.md §1.4) and fails if one imports server
// code: the database, services, configuration or content store.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const FORBIDDEN = [
  /lib\/env/,
  /lib\/db/,
  /lib\/[^'"]*\/service/,
  /lib\/content\/(?!model)/,
  /lib\/feeds/,
  /node:/,
  /server-only/,
];
const roots = ['app', 'components', 'lib'];
const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) walk(full);
    else if (/\.(tsx?|mjs)$/.test(name) && !name.endsWith('.test.ts')) files.push(full);
  }
};
roots.forEach(walk);

let failed = 0;
const client = files.filter((f) =>
  /^\s*['"]use client['"]/m.test(readFileSync(f, 'utf8').split('\n').slice(0, 3).join('\n')),
);
for (const file of client) {
  const source = readFileSync(file, 'utf8');
  for (const [, spec] of source.matchAll(/^\s*import\s[^'"]*['"]([^'"]+)['"]/gm)) {
    if (
      FORBIDDEN.some((re) => re.test(spec)) &&
      !/^import\s+type\s/m.test(
        source.match(new RegExp(`^.*['"]${spec.replace(/[/.]/g, '\\$&')}['"].*$`, 'm'))?.[0] ?? '',
      )
    ) {
      console.error(`${file}: a client component imports server code (${spec})`);
      failed++;
    }
  }
}
console.log(`client surface (${client.length} files): ${client.join(', ')}`);
if (failed) process.exit(1);
