import { afterEach, beforeEach, vi } from 'vitest';
import { failOnLoggedErrors } from './log-guard';

// An unexpected console.error, or an error line from the server's own logger (lib/log.ts, which
// writes to stderr rather than the console), fails the test (STYLE.md §1.7); a test that expects
// one says so (allowLoggedErrors, or a spy on console.error).
let errorSpy: ReturnType<typeof vi.spyOn>;
let logSpy: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  errorSpy = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    throw new Error(`console.error called: ${args.map(String).join(' ')}`);
  });
  logSpy = failOnLoggedErrors();
});
afterEach(() => {
  errorSpy.mockRestore();
  logSpy.mockRestore();
});
