// `npm run user -- promote <email> <role>`, `npm run user -- author <email> <author-slug>` and
// `npm run user -- list` (SPEC §5, §9).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { isSlug } from '../lib/links';
import { normalizeEmail } from '../lib/users/email';
import { openDatabase } from '../lib/db/client';
import type { Role } from '../lib/db/schema';
import { config } from '../lib/env';
import { listUsers, roles, setAuthorSlug, setRole } from '../lib/users/service';

const usage = [
  `usage: npm run user -- promote <email> <${roles.join('|')}>`,
  '       npm run user -- author <email> <author-slug>   (the byline of their desk posts; "-" unlinks)',
  '       npm run user -- list',
].join('\n');

async function main() {
  const [command, ...args] = process.argv.slice(2);
  const { db, ready } = openDatabase(config.database, 1);
  await ready;
  try {
    if (command === 'list') {
      for (const u of await listUsers(db))
        console.log(
          `${u.role.padEnd(9)} ${u.email}  ${u.name}${u.author_slug ? `  (author: ${u.author_slug})` : ''}`,
        );
      return 0;
    }
    if (command === 'promote' && args.length === 2) {
      const [email, role] = args as [string, string];
      if (!(roles as readonly string[]).includes(role)) {
        console.error(`unknown role "${role}": use ${roles.join(', ')}`);
        return 2;
      }
      if (!(await setRole(db, normalizeEmail(email), role as Role))) {
        console.error(`no account with email ${email}`);
        return 1;
      }
      console.log(`${email} is now ${role}; their sessions were ended so the role applies at once`);
      return 0;
    }
    if (command === 'author' && args.length === 2) {
      const [email, slug] = args as [string, string];
      const unlink = slug === '-';
      if (!unlink && (!isSlug(slug) || !existsSync(path.join(config.contentDir, 'authors', `${slug}.mdx`)))) {
        console.error(
          `no author "${slug}": expected ${path.join(config.contentDir, 'authors', `${slug}.mdx`)}`,
        );
        return 1;
      }
      if (!(await setAuthorSlug(db, normalizeEmail(email), unlink ? null : slug))) {
        console.error(`no account with email ${email}`);
        return 1;
      }
      console.log(unlink ? `${email} has no byline now` : `${email} now writes as ${slug} on the desk`);
      return 0;
    }
    console.error(usage);
    return 2;
  } finally {
    await db.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`user: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
