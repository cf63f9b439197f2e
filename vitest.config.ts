import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
    // chDB is a process-wide singleton per data directory: every test file gets its own process.
    pool: 'forks',
    // Bounds for a hung test, not for a slow one: on a loaded 2-core machine a server start,
    // a chDB query or a CLI process can take tens of seconds (waits in tests poll up to 60 s).
    testTimeout: 180_000,
    hookTimeout: 180_000,
    maxWorkers: 2,
  },
});
