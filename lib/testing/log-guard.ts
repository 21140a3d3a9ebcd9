import { vi } from 'vitest';
import { log } from '../log';

// Taken when lib/testing/setup.ts first imports this, before any spy replaces it.
const realError = log.error;

/** Makes an error line from lib/log.ts fail the test (installed for every test by setup.ts). */
export const failOnLoggedErrors = () =>
  vi.spyOn(log, 'error').mockImplementation((scope: string, message: string) => {
    throw new Error(`log.error called: [${scope}] ${message}`);
  });

/** For a test that expects the server to log errors: they are written as usual, and recorded. */
export const allowLoggedErrors = () => vi.spyOn(log, 'error').mockImplementation(realError);
