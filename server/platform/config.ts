// Reads the server's configuration from the environment, with safe defaults.
// Every variable here is documented in the README's configuration table.

export type DatabaseConfig =
  | { kind: 'sqlite'; path: string }
  | { kind: 'postgresql'; url: string };

export interface Config {
  port: number;
  host: string;
  database: DatabaseConfig;
  adminClientId?: string;
  adminClientSecret?: string;
  tlsCert?: string;
  tlsKey?: string;
  logLevel: string;
  tokenTtlSeconds: number;
  maxRequestBytes: number;
  jobIntervalMs: number;
  /** Browser origins allowed to call the API cross-origin: the desktop console's and CORS_ORIGINS. */
  corsOrigins: string[];
}

/** The desktop console's origin inside Electron (desktop/main/security.ts). */
export const DESKTOP_CONSOLE_ORIGIN = 'app://console';

export class ConfigError extends Error {}

export function parseDatabaseUrl(url: string | undefined): DatabaseConfig {
  if (!url) return { kind: 'sqlite', path: './data/reseller.sqlite' };
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (!path) throw new ConfigError('DATABASE_URL sqlite: needs a file path, for example sqlite:./data/reseller.sqlite');
    return { kind: 'sqlite', path };
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return { kind: 'postgresql', url };
  throw new ConfigError(`DATABASE_URL must start with sqlite: or postgres://, got "${url.split(':')[0]}:..."`);
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

/** The desktop console's origin, plus a comma-separated list of origins (scheme://host[:port], no path). */
export function parseOrigins(raw: string | undefined): string[] {
  const origins = (raw ?? '').split(',').map((o) => o.trim()).filter((o) => o !== '');
  for (const origin of origins) {
    if (!/^[a-z][a-z0-9+.-]*:\/\/[^/\s*]+$/i.test(origin)) {
      throw new ConfigError(`CORS_ORIGINS must list origins like https://console.example.com (no path, no *), got "${origin}"`);
    }
  }
  return [DESKTOP_CONSOLE_ORIGIN, ...origins.filter((o) => o !== DESKTOP_CONSOLE_ORIGIN)];
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const tlsCert = env.TLS_CERT || undefined;
  const tlsKey = env.TLS_KEY || undefined;
  if (Boolean(tlsCert) !== Boolean(tlsKey)) throw new ConfigError('TLS_CERT and TLS_KEY must be set together');
  const adminClientId = env.ADMIN_CLIENT_ID || undefined;
  const adminClientSecret = env.ADMIN_CLIENT_SECRET || undefined;
  if (Boolean(adminClientId) !== Boolean(adminClientSecret)) {
    throw new ConfigError('ADMIN_CLIENT_ID and ADMIN_CLIENT_SECRET must be set together');
  }
  if (adminClientSecret !== undefined && adminClientSecret.length < 16) {
    throw new ConfigError('ADMIN_CLIENT_SECRET must be at least 16 characters long');
  }
  return {
    port: integer(env, 'PORT', 8080, 0, 65535),
    host: env.HOST || '0.0.0.0',
    database: parseDatabaseUrl(env.DATABASE_URL),
    adminClientId,
    adminClientSecret,
    tlsCert,
    tlsKey,
    logLevel: env.LOG_LEVEL || 'info',
    tokenTtlSeconds: integer(env, 'TOKEN_TTL_SECONDS', 3600, 60, 86400),
    maxRequestBytes: integer(env, 'MAX_REQUEST_BYTES', 4 * 1024 * 1024, 1024, 64 * 1024 * 1024),
    jobIntervalMs: integer(env, 'JOB_INTERVAL_MS', 5000, 10, 3_600_000),
    corsOrigins: parseOrigins(env.CORS_ORIGINS),
  };
}
