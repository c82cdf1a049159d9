// Builds the console's renderer into dist/ with the base path /console/: the
// server serves it there, and Electron serves it at app://console/console/.
// Also the Vitest project for the renderer's component tests (happy-dom).
import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';

export default defineConfig({
  root: import.meta.dirname,
  base: '/console/',
  plugins: [
    react(),
    {
      // The dev server injects styles inline and hot-reload code: the CSP
      // meta is for builds, so `npm run console:dev` leaves it out.
      name: 'console-csp-in-builds-only',
      apply: 'serve',
      transformIndexHtml: (html) => html.replace(/<meta\s+http-equiv="Content-Security-Policy"[\s\S]*?\/>/, ''),
    },
  ],
  // The generated clients, shared with the server: import '@gen/reseller/v1/x_pb.js'.
  resolve: { alias: { '@gen': resolve(import.meta.dirname, '..', '..', 'gen') } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2023',
    // One small app: a single chunk keeps the CSP and the server's cache rules simple.
    chunkSizeWarningLimit: 1024,
  },
  server: {
    // `npx vite desktop/renderer` for a live-reloading console: API calls go to
    // the server on SERVER_URL through this proxy, so they stay same-origin.
    proxy: { '/reseller.v1.': process.env.SERVER_URL ?? 'http://localhost:8080' },
  },
  test: {
    name: 'console',
    environment: 'happy-dom',
    include: ['test/**/*.test.{ts,tsx}'],
    setupFiles: ['test/setup.ts'],
    // A form test types and clicks through a dialog (userEvent): seconds when
    // the machine is busy with the server and browser suites, so the default
    // 5 s bound failed once without anything being wrong.
    testTimeout: 20_000,
    // Run before the repository's server and browser tests (vitest.config.ts).
    sequence: { groupOrder: 0 },
  },
});
