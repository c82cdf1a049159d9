// Starts the server: `npm start`. Stops gracefully on SIGTERM or SIGINT.
import { build } from './app.ts';
import { ConfigError, loadConfig } from './platform/config.ts';

let config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(`configuration error: ${error.message}`);
    process.exit(2);
  }
  throw error;
}
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
