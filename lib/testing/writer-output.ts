import type { Readable } from 'node:stream';

/**
 * Reads what lib/testing/reply-writer.ts prints, one call per line: `ready`, then `ack <replyId>
 * <sha256(body)>` for each reply acknowledged (the durability and backup tests).
 */
export function onWriterLines(stdout: Readable, on: (word: string, id?: string, hash?: string) => void) {
  let buffer = '';
  stdout.setEncoding('utf8').on('data', (chunk: string) => {
    buffer += chunk;
    let end: number;
    while ((end = buffer.indexOf('\n')) >= 0) {
      const [word = '', id, hash] = buffer.slice(0, end).split(' ');
      buffer = buffer.slice(end + 1);
      on(word, id, hash);
    }
  });
}
