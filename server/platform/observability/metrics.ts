// Prometheus metrics, served at GET /metrics: calls by service, method,
// protocol and code, their latency, the database, whatever features register
// (job queues), and the Node process.
//
// Each app has its own Registry (tests run several servers in one process);
// process metrics describe the process, so there is one set per process.
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { Em, Orm } from '../data/database.ts';
import type { Logger } from './logger.ts';
import type { HealthMonitor } from './health.ts';
import { ServingStatus } from './health.ts';

/** A gauge's reading: one number, or one per label set. */
export type GaugeValue = number | { labels: Record<string, string>; value: number }[];

let processRegistry: Registry | undefined;

function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The calls of one service method over one protocol. */
interface Series {
  labels: string;
  codes: Map<string, number>;
  /** Per bucket, not cumulative (summed when rendered); the last one is +Inf. */
  buckets: number[];
  sum: number;
  count: number;
}

const escape = (value: string) => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

/**
 * reseller_rpc_calls_total and reseller_rpc_duration_seconds, kept by hand:
 * every call records here, and prom-client's labelled metrics hash their
 * labels on each update (which showed in profiles), where this is one map lookup and a
 * few additions. Rendered in the Prometheus text format at scrape time.
 */
class CallStats {
  // Nested by service, method, protocol: the strings come from the method
  // descriptors, so their hashes are cached and no key is built per call.
  readonly #series = new Map<string, Map<string, Map<string, Series>>>();
  readonly #all: Series[] = [];

  record(service: string, method: string, protocol: string, code: string, seconds: number): void {
    let methods = this.#series.get(service);
    if (!methods) this.#series.set(service, methods = new Map());
    let protocols = methods.get(method);
    if (!protocols) methods.set(method, protocols = new Map());
    let series = protocols.get(protocol);
    if (!series) {
      series = {
        labels: `service="${escape(service)}",method="${escape(method)}",protocol="${escape(protocol)}"`,
        codes: new Map(), buckets: new Array<number>(BUCKETS.length + 1).fill(0), sum: 0, count: 0,
      };
      protocols.set(protocol, series);
      this.#all.push(series);
    }
    series.codes.set(code, (series.codes.get(code) ?? 0) + 1);
    let bucket = 0;
    while (bucket < BUCKETS.length && seconds > BUCKETS[bucket]!) bucket++;
    series.buckets[bucket]!++;
    series.sum += seconds;
    series.count++;
  }

  render(): string {
    const lines = [
      '# HELP reseller_rpc_calls_total Calls finished, by service, method, protocol (connect, grpc, grpc-web) and Connect code (ok for success).',
      '# TYPE reseller_rpc_calls_total counter',
    ];
    for (const series of this.#all) {
      for (const [code, count] of series.codes) lines.push(`reseller_rpc_calls_total{${series.labels},code="${escape(code)}"} ${count}`);
    }
    lines.push(
      '# HELP reseller_rpc_duration_seconds Time from the call reaching the server to its response (for streams, to the end of the stream).',
      '# TYPE reseller_rpc_duration_seconds histogram',
    );
    for (const series of this.#all) {
      let cumulative = 0;
      BUCKETS.forEach((le, i) => {
        cumulative += series.buckets[i]!;
        lines.push(`reseller_rpc_duration_seconds_bucket{${series.labels},le="${le}"} ${cumulative}`);
      });
      lines.push(`reseller_rpc_duration_seconds_bucket{${series.labels},le="+Inf"} ${series.count}`);
      lines.push(`reseller_rpc_duration_seconds_sum{${series.labels}} ${series.sum}`);
      lines.push(`reseller_rpc_duration_seconds_count{${series.labels}} ${series.count}`);
    }
    return `${lines.join('\n')}\n`;
  }
}

export interface Metrics {
  /** One finished call. Cheap: a few map lookups and additions, nothing allocated. */
  recordCall(service: string, method: string, protocol: string, code: string, seconds: number): void;
  /**
   * Adds a gauge read at each scrape (a job queue: `select count(*) ... where
   * due`). A collect that throws is logged and counted in
   * reseller_gauge_errors_total; the gauge keeps its last value.
   */
  registerGauge(name: string, help: string, collect: () => GaugeValue | Promise<GaugeValue>, labelNames?: string[]): void;
  /** Adds a counter; the function returned counts one event with those labels. */
  registerCounter(name: string, help: string, labelNames: string[]): (labels: Record<string, string>) => void;
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

  const calls = new CallStats();

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

  return {
    recordCall(service, method, protocol, code, seconds) {
      calls.record(service, method, protocol, code, seconds);
    },
    registerGauge(name, help, collect, labelNames = []) {
      gauge(name, help, labelNames, collect);
    },
    registerCounter(name, help, labelNames) {
      const counter = new Counter({ name, help, labelNames, registers: [registry] });
      return (labels) => counter.inc(labels);
    },
    async render() {
      const [own, process] = await Promise.all([registry.metrics(), processMetrics().metrics()]);
      return { contentType: registry.contentType, body: `${calls.render()}\n${own}\n${process}` };
    },
  };
}
