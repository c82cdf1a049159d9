// Structured JSON logs (one object a line) on stdout.
import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** `destination` (default stdout) lets tests read the lines. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino({
    level,
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    // Belt and braces: these never belong in a log line, whoever logs them.
    redact: { paths: ['clientSecret', 'client_secret', 'authorization', 'accessToken', 'token', '*.clientSecret', '*.authorization'], censor: '[redacted]' },
  }, destination);
}
