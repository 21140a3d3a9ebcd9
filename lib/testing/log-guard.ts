import { inspect } from 'node:util';
import { vi } from 'vitest';
import { log } from '../log';

// Taken when lib/testing/setup.ts first imports this, before any spy replaces it.
const realError = log.error;

const describeExtra = (extra: unknown) =>
  extra instanceof Error ? ` (${extra.message})` : extra === undefined ? '' : ` ${inspect(extra)}`;

/** Makes an error line from lib/log.ts fail the test (installed for every test by setup.ts). */
export const failOnLoggedErrors = () =>
  vi.spyOn(log, 'error').mockImplementation((scope: string, message: string, extra?: unknown) => {
    throw new Error(`log.error called: [${scope}] ${message}${describeExtra(extra)}`);
  });

/** For a test that expects the server to log errors: they are written as usual, and recorded. */
export const allowLoggedErrors = () => vi.spyOn(log, 'error').mockImplementation(realError);

/** One line of lib/log.ts, parsed. */
export type LogEntry = {
  level: 'info' | 'warn' | 'error';
  time: string;
  instance: string;
  scope: string;
  msg: string;
  reqId?: string;
  err?: { type?: string; message: string; stack?: string; code?: string | number };
  [field: string]: unknown;
};

/** The lines lib/log.ts wrote through a spy on `process.stdout.write` or `process.stderr.write`, parsed. */
export const loggedEntries = (spy: { mock: { calls: unknown[][] } }): LogEntry[] =>
  spy.mock.calls
    .flatMap((call) => String(call[0]).split('\n'))
    .filter((line) => line.startsWith('{"level":'))
    .map((line) => JSON.parse(line) as LogEntry);
