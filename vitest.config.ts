import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    // The server serves the console's build at /console; the tests read and drive it.
    globalSetup: ['test/support/build-console.ts'],
    projects: [
      {
        extends: true,
        test: { name: 'server', include: ['test/**/*.test.ts'], exclude: ['test/**/*.e2e.test.ts'], sequence: { groupOrder: 1 } },
      },
      // Chromium is heavy: the browser journeys run after the server tests
      // (groupOrder), so neither slows the other's timing-sensitive checks.
      {
        extends: true,
        test: { name: 'browser', include: ['test/**/*.e2e.test.ts'], sequence: { groupOrder: 2 } },
      },
      // The renderer's component tests (Testing Library, happy-dom), first
      // (groupOrder 0 in that config).
      'desktop/renderer/vite.config.ts',
    ],
  },
});
