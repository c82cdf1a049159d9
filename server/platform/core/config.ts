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
  /** How often each instance re-reads the token signing keys (rotation, retirement). */
  signingKeyRefreshMs: number;
  /**
   * How long an instance reuses a credential it read (0: it reads it on every
   * call). A revocation takes effect at once on the instance that revoked it,
   * and within this time on the others.
   */
  credentialCacheMs: number;
  maxRequestBytes: number;
  /** How long a new connection may take to send its first bytes, and a request its whole header block. */
  headersTimeoutMs: number;
  /** How long a request's body may take to arrive, counted from the end of its headers. */
  requestTimeoutMs: number;
  /** How long a connection (HTTP/1.1 keep-alive or HTTP/2 session) may stay open with no call in progress. */
  idleTimeoutMs: number;
  /** Open connections from one address (IPv6: one /64); 0: no cap. */
  maxConnectionsPerAddress: number;
  /** Open connections in all; 0: no cap. */
  maxConnections: number;
  /** The slowest a request body may arrive, averaged over 5 s windows; 0: only REQUEST_TIMEOUT_MS. */
  bodyMinBytesPerSecond: number;
  /** Calls per credential per second, summed over every instance on the database; 0 turns the limit off. */
  rateLimitPerSecond: number;
  /** Wrong secrets for one client id from one address before CreateToken is slowed down. */
  loginMaxFailures: number;
  /** Wrong secrets from one address, over every client id, before CreateToken is slowed down there. */
  loginMaxFailuresPerAddress: number;
  /** Wrong secrets for one client id, from every address, before CreateToken is slowed down for it. */
  loginMaxFailuresPerClient: number;
  /** The longest delay a throttled CreateToken is asked to wait. */
  loginMaxDelaySeconds: number;
  /** Past loginMaxFailuresPerClient: how long each attempt at that client id is held before it is checked (not refused). */
  loginClientDelayMs: number;
  /** Tokens CreateToken issues per client id per minute, over every instance; 0 turns the limit off. */
  tokensPerMinute: number;
  /** How long a staff person's access token lives (they refresh it with their refresh token). */
  staffAccessTokenSeconds: number;
  /** How long a staff person's session lasts from sign-in, refreshed or not. */
  staffSessionHours: number;
  /** How long a staff invitation may be accepted. */
  staffInvitationHours: number;
  /** Where a staff invitation's link points (the token is appended as ?staff_invitation=); unset: PUBLIC_URL's /console/, or no link. */
  staffInvitationUrl?: string;
  jobIntervalMs: number;
  /** The origin put in media URLs (family images, pictures); unset: the origin each request came to. */
  publicUrl?: string;
  /** smtp:// or smtps:// URL of the server invitation emails go through; unset: they go to the outbox folder. */
  smtpUrl?: string;
  /** The From address of invitation emails. */
  smtpFrom: string;
  /** Where an invitation's link points (the invitation id is appended as ?invitation=); unset: no link. */
  invitationUrl?: string;
  /** Where invitations no gateway takes (SMS; e-mail without SMTP_URL) are written, one file each, for development. */
  outboxDir: string;
  /** How long after an order the installation job installs the interface. */
  interfaceInstallDelaySeconds: number;
  /** Interfaces are installed at https://<subdomain>.<interfaceDomain>/. */
  interfaceDomain: string;
  /** Browser origins allowed to call the API cross-origin: the desktop console's and CORS_ORIGINS. */
  corsOrigins: string[];
  /** The seeds whose legacy REST faces are served (server/legacy/), by number: `001`. */
  legacyFaces: string[];
  /** Webhook deliveries (docs/events.md): who may be called, timeouts, retries. */
  webhooks: {
    /** Private (RFC 1918, CGNAT, unique local) and link-local addresses may be called. */
    allowPrivate: boolean;
    /** Loopback addresses may be called, and http:// used for them (development). */
    allowLoopback: boolean;
    /** The whole request, connection included. */
    timeoutMs: number;
    /** The wait after the first failed attempt; doubled after each, with jitter. */
    retryBaseMs: number;
    /** The longest wait between attempts. */
    retryMaxMs: number;
    /** How long a delivery is retried, from the event, before it fails (at least 72 h by default). */
    retryWindowMs: number;
    /** How long a claim holds (longer than timeoutMs): after it, another run takes the delivery again. */
    claimLeaseMs: number;
  };
  /** Events older than this many days are deleted with their webhook deliveries and attempts (docs/events.md). */
  eventRetentionDays: number;
  /** How often an event stream looks for new events once caught up. */
  eventStreamPollMs: number;
  /** How often a caught-up event stream sends a heartbeat. */
  eventStreamHeartbeatMs: number;
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

function url(env: NodeJS.ProcessEnv, name: string, schemes: string[]): string | undefined {
  const raw = env[name];
  if (!raw) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    // The value itself is not repeated: SMTP_URL may hold a password.
    throw new ConfigError(`${name} is not a valid URL: expected ${schemes.map((s) => `${s}://...`).join(' or ')}`);
  }
  if (!schemes.includes(parsed.protocol.replace(/:$/, ''))) {
    throw new ConfigError(`${name} must start with ${schemes.map((s) => `${s}://`).join(' or ')}, got "${parsed.protocol}//..."`);
  }
  return raw;
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

/** EVENT_RETENTION_DAYS: at least 4 days, so an event outlives the 72 h its webhook deliveries are retried. */
function retentionDays(env: NodeJS.ProcessEnv): number {
  const raw = env.EVENT_RETENTION_DAYS;
  if (raw !== undefined && raw.trim() !== '' && Number(raw) < 4 && Number.isInteger(Number(raw))) {
    throw new ConfigError(`EVENT_RETENTION_DAYS must be at least 4 (events must outlive the 72 h webhook retry window; 0 would keep none), got "${raw}"`);
  }
  return integer(env, 'EVENT_RETENTION_DAYS', 30, 4, 3650);
}

function flag(env: NodeJS.ProcessEnv, name: string): boolean {
  const raw = (env[name] ?? '').trim().toLowerCase();
  if (raw === '' || raw === 'false' || raw === '0') return false;
  if (raw === 'true' || raw === '1') return true;
  throw new ConfigError(`${name} must be true or false, got "${env[name]}"`);
}

const DOMAIN = /^(?=.{1,200}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

function domain(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = raw.trim().toLowerCase();
  if (!DOMAIN.test(value)) throw new ConfigError(`${name} must be a domain name such as shops.example.com, got "${raw}"`);
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

/** The seeds every legacy face is numbered by (../shared/seeds/). */
export const LEGACY_SEEDS = ['000', '001', '002', '003', '004'] as const;

/** LEGACY_FACES: seeds by number, comma-separated; `none` serves none; unset, every one. */
export function parseLegacyFaces(raw: string | undefined): string[] {
  if (raw === undefined || raw.trim() === '') return [...LEGACY_SEEDS];
  if (raw.trim().toLowerCase() === 'none') return [];
  const faces = raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const unknown = faces.filter((s) => !(LEGACY_SEEDS as readonly string[]).includes(s));
  if (unknown.length > 0) {
    throw new ConfigError(`LEGACY_FACES lists seeds by number (${LEGACY_SEEDS.join(', ')}) or says none, got "${unknown.join(', ')}"`);
  }
  return [...new Set(faces)].sort();
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
  if (integer(env, 'WEBHOOK_CLAIM_LEASE_MS', 120_000, 200, 3_600_000) <= integer(env, 'WEBHOOK_TIMEOUT_MS', 10_000, 100, 60_000)) {
    throw new ConfigError('WEBHOOK_CLAIM_LEASE_MS must be longer than WEBHOOK_TIMEOUT_MS: a delivery in progress must never be taken over');
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
    signingKeyRefreshMs: integer(env, 'SIGNING_KEY_REFRESH_MS', 5000, 100, 3_600_000),
    credentialCacheMs: integer(env, 'CREDENTIAL_CACHE_MS', 1000, 0, 60_000),
    maxRequestBytes: integer(env, 'MAX_REQUEST_BYTES', 4 * 1024 * 1024, 1024, 64 * 1024 * 1024),
    headersTimeoutMs: integer(env, 'HEADERS_TIMEOUT_MS', 10_000, 50, 600_000),
    requestTimeoutMs: integer(env, 'REQUEST_TIMEOUT_MS', 60_000, 50, 3_600_000),
    idleTimeoutMs: integer(env, 'IDLE_TIMEOUT_MS', 65_000, 50, 3_600_000),
    maxConnectionsPerAddress: integer(env, 'MAX_CONNECTIONS_PER_ADDRESS', 256, 0, 1_000_000),
    maxConnections: integer(env, 'MAX_CONNECTIONS', 8192, 0, 1_000_000),
    bodyMinBytesPerSecond: integer(env, 'BODY_MIN_BYTES_PER_SECOND', 1024, 0, 1_000_000_000),
    rateLimitPerSecond: integer(env, 'RATE_LIMIT_PER_SECOND', 100, 0, 1_000_000),
    loginMaxFailures: integer(env, 'LOGIN_MAX_FAILURES', 5, 1, 1000),
    loginMaxFailuresPerAddress: integer(env, 'LOGIN_MAX_FAILURES_PER_ADDRESS', 20, 1, 100_000),
    loginMaxFailuresPerClient: integer(env, 'LOGIN_MAX_FAILURES_PER_CLIENT', 100, 1, 100_000),
    loginMaxDelaySeconds: integer(env, 'LOGIN_MAX_DELAY_SECONDS', 900, 1, 86_400),
    loginClientDelayMs: integer(env, 'LOGIN_CLIENT_DELAY_MS', 2000, 0, 60_000),
    tokensPerMinute: integer(env, 'TOKENS_PER_MINUTE', 30, 0, 1_000_000),
    staffAccessTokenSeconds: integer(env, 'STAFF_ACCESS_TOKEN_SECONDS', 600, 30, 3600),
    staffSessionHours: integer(env, 'STAFF_SESSION_HOURS', 12, 1, 24 * 30),
    staffInvitationHours: integer(env, 'STAFF_INVITATION_HOURS', 72, 1, 24 * 30),
    staffInvitationUrl: url(env, 'STAFF_INVITATION_URL', ['http', 'https']),
    jobIntervalMs: integer(env, 'JOB_INTERVAL_MS', 5000, 10, 3_600_000),
    publicUrl: url(env, 'PUBLIC_URL', ['http', 'https'])?.replace(/\/+$/, ''),
    smtpUrl: url(env, 'SMTP_URL', ['smtp', 'smtps']),
    smtpFrom: env.SMTP_FROM || 'Reseller platform <no-reply@localhost>',
    invitationUrl: url(env, 'INVITATION_URL', ['http', 'https']),
    outboxDir: env.OUTBOX_DIR || './data/outbox',
    interfaceInstallDelaySeconds: integer(env, 'INTERFACE_INSTALL_DELAY_SECONDS', 60, 0, 7 * 86400),
    interfaceDomain: domain(env, 'INTERFACE_DOMAIN', 'shops.example.com'),
    corsOrigins: parseOrigins(env.CORS_ORIGINS),
    legacyFaces: parseLegacyFaces(env.LEGACY_FACES),
    webhooks: {
      allowPrivate: flag(env, 'WEBHOOK_ALLOW_PRIVATE'),
      allowLoopback: flag(env, 'WEBHOOK_ALLOW_LOOPBACK'),
      timeoutMs: integer(env, 'WEBHOOK_TIMEOUT_MS', 10_000, 100, 60_000),
      retryBaseMs: integer(env, 'WEBHOOK_RETRY_BASE_MS', 30_000, 1, 3_600_000),
      retryMaxMs: integer(env, 'WEBHOOK_RETRY_MAX_MS', 6 * 3_600_000, 1, 86_400_000),
      retryWindowMs: integer(env, 'WEBHOOK_RETRY_WINDOW_SECONDS', 72 * 3600, 1, 30 * 86_400) * 1000,
      claimLeaseMs: integer(env, 'WEBHOOK_CLAIM_LEASE_MS', 120_000, 200, 3_600_000),
    },
    eventRetentionDays: retentionDays(env),
    eventStreamPollMs: integer(env, 'EVENT_STREAM_POLL_MS', 500, 10, 60_000),
    eventStreamHeartbeatMs: integer(env, 'EVENT_STREAM_HEARTBEAT_MS', 15_000, 100, 600_000),
  };
}

/** For commands (`npm start`, the scripts): the configuration, or its error printed and exit code 2. */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): Config {
  try {
    return loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`configuration error: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
}
