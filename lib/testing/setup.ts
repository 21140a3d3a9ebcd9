import { afterEach, beforeEach, vi } from 'vitest';

// An unexpected console.error fails the test (STYLE.md §1.7); a test that expects one spies on it.
let errorSpy: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  errorSpy = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    throw new Error(`console.error called: ${args.map(String).join(' ')}`);
  });
});
afterEach(() => {
  errorSpy.mockRestore();
});
