// `npm run content:check`: prints every content error and exits 1 if there is any (SPEC §2).
// Editors run it in their CI; it loads content exactly as the server does.
import { config } from '../lib/env';
import { ContentStore } from '../lib/content/store';

async function main() {
  const dir = process.argv[2] ?? config.contentDir;
  const store = new ContentStore({ dir, includeDrafts: true });
  await store.load();
  const { errors, articles, topics, authors } = store.snapshot;
  for (const e of errors) console.log(`${e.file}:${e.line}: ${e.reason}`);
  const summary = `${articles.size} articles, ${topics.size} topics, ${authors.size} authors, ${errors.length} error${errors.length === 1 ? '' : 's'}`;
  if (errors.length > 0) {
    console.error(`content:check failed: ${summary}`);
    process.exit(1);
  }
  console.log(`content:check ok: ${summary}`);
}

main().catch((error) => {
  console.error(`content:check: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
});
