// Prometheus metrics, served at GET /metrics: calls by service, method,
// protocol and code, their latency, the database, whatever features register
// (job queues), and the Node process.
//
// Each app has its own Registry (tests run several servers in one process);
// process metrics describe the process, so there is one set per process.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Em, Orm } from './database.ts';
import type { Logger } from './logger.ts';
import type { HealthMonitor } from './health.ts';
import { ServingStatus } from './health.ts';

/** A gauge's reading: one number, or one per label set. */
export type GaugeValue = number | { labels: Record<string, string>; value: number }[];

/** What a gauge registered for every app can read. */
export interface GaugeSource {
  orm: Orm;
}

interface GaugeDefinition {
  name: string;
  help: string;
  labelNames: string[];
  collect: (source: GaugeSource) => GaugeValue | Promise<GaugeValue>;
}

const definitions: GaugeDefinition[] = [];

/**
 * Adds a gauge to every app's /metrics, read at each scrape. For features that
 * keep their state in the database (a job queue: `select count(*) ... where
 * due`), registered when their module loads, as registerUniqueConstraint is:
 *
 *   registerGauge('reseller_jobs_due', 'Background jobs due and not yet done, by kind',
 *     async ({ orm }) => rows.map((r) => ({ labels: { kind: r.kind }, value: r.count })), ['kind']);
 *
 * A collect that throws is logged and counted in reseller_gauge_errors_total;
 * the gauge keeps its last value.
 */
export function registerGauge(name: string, help: string, collect: GaugeDefinition['collect'], labelNames: string[] = []): void {
  if (definitions.some((d) => d.name === name)) throw new Error(`metric ${name} is registered twice`);
  definitions.push({ name, help, labelNames, collect });
}

let processRegistry: Registry | undefined;

function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

export interface Metrics {
  /** One finished call. Cheap: a map lookup and two increments. */
  recordCall(service: string, method: string, protocol: string, code: string, seconds: number): void;
  /** Adds a gauge to this app only (for state held in this process). */
  registerGauge(name: string, help: string, collect: () => GaugeValue | Promise<GaugeValue>, labelNames?: string[]): void;
  /** The exposition text for GET /metrics. */
  render(): Promise<{ contentType: string; body: string }>;
}

export interface MetricsDeps {
  orm: Orm;
  databaseKind: 'sqlite' | 'postgresql';
  health: HealthMonitor;
  logger: Logger;
}

export function createMetrics({ orm, databaseKind, health, logger }: MetricsDeps): Metrics {
  const registry = new Registry();

  const calls = new Counter({
    name: 'reseller_rpc_calls_total',
    help: 'Calls finished, by service, method, protocol (connect, grpc, grpc-web) and Connect code (ok for success).',
    labelNames: ['service', 'method', 'protocol', 'code'],
    registers: [registry],
  });
  const durations = new Histogram({
    name: 'reseller_rpc_duration_seconds',
    help: 'Time from the call reaching the server to its response (for streams, to the end of the stream).',
    labelNames: ['service', 'method', 'protocol'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  // Label lookups hash the label set on every call; the children are cached instead.
  const callChildren = new Map<string, Counter.Internal>();
  const durationChildren = new Map<string, Histogram.Internal<string>>();

  const gaugeErrors = new Counter({
    name: 'reseller_gauge_errors_total',
    help: 'Scrapes at which a gauge could not be read (it then keeps its last value): alert on its rate.',
    labelNames: ['gauge'],
    registers: [registry],
  });

  function gauge(name: string, help: string, labelNames: string[], collect: () => GaugeValue | Promise<GaugeValue>) {
    new Gauge({
      name, help, labelNames, registers: [registry],
      async collect() {
        let value: GaugeValue;
        try {
          value = await collect();
        } catch (error) {
          gaugeErrors.inc({ gauge: name });
          logger.warn({ err: error, metric: name }, 'metrics: a gauge could not be read');
          return;
        }
        this.reset();
        if (typeof value === 'number') this.set(value);
        else for (const entry of value) this.set(entry.labels, entry.value);
      },
    });
  }

  gauge('reseller_database_up', 'Whether the database answers (1) or not (0), as the health check sees it.', ['kind'],
    async () => [{ labels: { kind: databaseKind }, value: (await health.check()) === ServingStatus.SERVING ? 1 : 0 }]);
  if (databaseKind === 'postgresql') {
    gauge('reseller_database_pool_connections', 'PostgreSQL connection pool: total, idle (free), waiting (callers queued for a connection).', ['state'],
      async () => {
        const pool = await (orm.em as Em).getConnection().getNativeClient() as { totalCount: number; idleCount: number; waitingCount: number };
        return [
          { labels: { state: 'total' }, value: pool.totalCount },
          { labels: { state: 'idle' }, value: pool.idleCount },
          { labels: { state: 'waiting' }, value: pool.waitingCount },
        ];
      });
  }

  // Gauges registered for every app, picked up at scrape time so that the
  // order in which modules load does not matter.
  const materialized = new Set<GaugeDefinition>();
  function materialize() {
    for (const definition of definitions) {
      if (materialized.has(definition)) continue;
      materialized.add(definition);
      gauge(definition.name, definition.help, definition.labelNames, () => definition.collect({ orm }));
    }
  }

  return {
    recordCall(service, method, protocol, code, seconds) {
      const procedure = `${service}/${method} ${protocol}`;
      const key = `${procedure} ${code}`;
      let counter = callChildren.get(key);
      if (!counter) callChildren.set(key, counter = calls.labels(service, method, protocol, code));
      counter.inc();
      let histogram = durationChildren.get(procedure);
      if (!histogram) durationChildren.set(procedure, histogram = durations.labels(service, method, protocol));
      histogram.observe(seconds);
    },
    registerGauge(name, help, collect, labelNames = []) {
      gauge(name, help, labelNames, collect);
    },
    async render() {
      materialize();
      const [own, process] = await Promise.all([registry.metrics(), processMetrics().metrics()]);
      return { contentType: registry.contentType, body: `${own}\n${process}` };
    },
  };
}
