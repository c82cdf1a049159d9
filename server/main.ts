// Starts the server: `npm start`. Stops gracefully on SIGTERM or SIGINT.
import { build } from './app.ts';
import { loadConfigOrExit } from './platform/core/config.ts';

const config = loadConfigOrExit();
const app = await build(config);
await app.listen();

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    app.logger.info({ signal }, 'stopping: finishing calls in flight');
    app.close().then(() => process.exit(0), (error: unknown) => {
      app.logger.error({ err: error }, 'error while stopping');
      process.exit(1);
    });
  });
}
