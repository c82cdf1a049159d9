import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'server',
          include: ['test/**/*.test.ts'],
          // The server serves the console's build at /console; the browser tests drive it.
          globalSetup: ['test/support/build-console.ts'],
        },
      },
      // The renderer's component tests (Testing Library, happy-dom).
      'desktop/renderer/vite.config.ts',
    ],
  },
});
