// Spawned by lib/replies/durability.test.ts (`node --import tsx lib/testing/reply-writer.ts <dbUrl>
// <userId> <article>`): posts replies as fast as it can, several at once, and prints
// `ack <replyId> <sha256(body)>` only once postReply resolved, i.e. once its transaction committed,
// the moment the server action would answer success. It never stops: the test kills it with SIGKILL.
// Runs outside vitest, so nothing here may import 'server-only'.
import { createHash } from 'node:crypto';
import { openDatabase } from '../db/client';
import { parseConfig } from '../env';
import { postReplySchema } from '../replies/schema';
import { postReply, type Actor } from '../replies/service';

/** Replies in flight at once (the pool gets as many connections; SQLite queues them on its one). */
const IN_FLIGHT = 4;

/**
 * Unique, self-checking text: a torn row would lose its last line. Lengths vary up to ~3,800
 * characters so rows spill onto overflow pages (SQLite) and TOAST-sized values (PostgreSQL).
 */
const bodyOf = (seq: number) => {
  const filler = `Line *${seq}* of a reply, with **bold** text and \`code\` in it.\n`;
  // One link only: two would hold the reply for moderation.
  return `Reply #${seq}, see https://example.org/${seq}\n\n${filler.repeat(1 + (seq % 6) * 10)}\nend of #${seq}.`;
};

async function main() {
  const [url, userId, article] = process.argv.slice(2);
  if (!url || !userId || !article) throw new Error('usage: reply-writer.ts <dbUrl> <userId> <article>');
  const { db, ready } = openDatabase(parseConfig({ ...process.env, DATABASE_URL: url }).database, IN_FLIGHT);
  await ready;
  const actor: Actor = { id: userId, name: 'Writer', role: 'reader' };
  const target = { slug: article, repliesOpen: true };
  const rules = { floodSeconds: 0, moderateFirstReply: false };
  let next = 0;
  process.stdout.write('ready\n');
  const worker = async () => {
    for (;;) {
      const body = bodyOf(next++);
      const input = postReplySchema.parse({ article, body });
      const { reply, created } = await postReply(db, actor, target, input, rules);
      if (!created) throw new Error(`reply ${reply.id} was not created`);
      const hash = createHash('sha256').update(body).digest('hex');
      // Pipes are written synchronously on Linux, so an ack printed is an ack the test reads.
      process.stdout.write(`ack ${reply.id} ${hash}\n`);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `reply-writer: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
