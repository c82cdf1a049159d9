// Starts the server: `npm start`. Stops gracefully on SIGTERM or SIGINT.
import { build } from './app.ts';
import { loadConfigOrExit } from './platform/core/config.ts';

const config = loadConfigOrExit();
const app = await build(config);
try {
  await app.listen();
} catch (error) {
  // The most common start-up mistake: say it in one line, not a stack trace.
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE' || code === 'EACCES') {
    console.error(code === 'EADDRINUSE'
      ? `cannot listen on ${config.host}:${config.port}: the port is in use (another server running?); stop it or set PORT`
      : `cannot listen on ${config.host}:${config.port}: permission denied; choose a PORT above 1023`);
    await app.close();
    process.exit(1);
  }
  throw error;
}

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
