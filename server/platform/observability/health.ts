// Whether the server can serve: the gRPC health checking protocol
// (grpc.health.v1.Health) and GET /healthz both ask the same monitor. Every
// service depends on the database, so the server, and each of its services, is
// SERVING exactly when the database answers.
import { Code, type HandlerContext, type ServiceImpl } from '@connectrpc/connect';
import type { DescService, MessageInitShape } from '@bufbuild/protobuf';
import {
  Health, HealthCheckResponse_ServingStatus as Status,
  type HealthCheckRequest, type HealthCheckResponseSchema, type HealthListResponseSchema,
} from '../../../gen/grpc/health/v1/health_pb.js';

type CheckResponse = MessageInitShape<typeof HealthCheckResponseSchema>;
import type { Em, Orm } from '../data/database.ts';
import type { Logger } from './logger.ts';
import { apiError } from '../rpc/errors.ts';

export { Status as ServingStatus };

/** How often Watch looks at the database while anyone is watching. */
const WATCH_INTERVAL_MS = 1000;
/** A database slower than this to answer counts as not answering. */
const PROBE_TIMEOUT_MS = 3000;

export interface HealthMonitor {
  /** Asks the database now (concurrent callers share one query). */
  check(): Promise<Status>;
  /** The status at once, then each change, until the signal aborts or the server stops. */
  watch(signal: AbortSignal): AsyncIterable<Status>;
  /** Server stopping: watchers get NOT_SERVING and their streams end. */
  shutdown(): void;
  /** Aborted by shutdown(), for streams that wait on something else. */
  readonly stopping: AbortSignal;
}

export function healthMonitor(orm: Orm, logger: Logger): HealthMonitor {
  let inFlight: Promise<Status> | undefined;
  let last: Status = Status.UNKNOWN;
  let stopped = false;
  const stopping = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const watchers = new Set<(status: Status | 'end') => void>();

  // A query that reads the schema, not `select 1`: on SQLite `select 1` never
  // touches the file, so it would answer even when the database cannot.
  async function probe(): Promise<Status> {
    let timeout: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        (orm.em as Em).getConnection().execute('select 1 from mikro_orm_migrations limit 1'),
        new Promise((_, reject) => { timeout = setTimeout(() => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS); }),
      ]);
      return Status.SERVING;
    } catch (error) {
      logger.warn({ err: error }, 'health check: database unreachable');
      return Status.NOT_SERVING;
    } finally {
      clearTimeout(timeout);
    }
  }

  function publish(status: Status) {
    if (status === last) return;
    last = status;
    for (const notify of watchers) notify(status);
  }

  function check(): Promise<Status> {
    if (stopped) return Promise.resolve(Status.NOT_SERVING);
    inFlight ??= probe().then((status) => {
      inFlight = undefined;
      if (!stopped) publish(status);
      return stopped ? Status.NOT_SERVING : status;
    });
    return inFlight;
  }

  // One timer for all watchers, and only while there are some.
  function schedule() {
    if (timer || stopped || watchers.size === 0) return;
    timer = setTimeout(() => {
      timer = undefined;
      check().finally(schedule);
    }, WATCH_INTERVAL_MS);
  }

  return {
    check,
    stopping: stopping.signal,
    async *watch(signal) {
      const queue: (Status | 'end')[] = [];
      let wake: (() => void) | undefined;
      const notify = (item: Status | 'end') => { queue.push(item); wake?.(); };
      const onAbort = () => notify('end');
      signal.addEventListener('abort', onAbort);
      watchers.add(notify);
      try {
        const first = await check();
        if (!stopped) {
          // A change published while the first check ran is already queued.
          if (queue.length === 0) yield first;
          schedule();
        } else {
          queue.push(Status.NOT_SERVING, 'end');
        }
        for (;;) {
          while (queue.length === 0) await new Promise<void>((resolve) => { wake = resolve; });
          const item = queue.shift()!;
          if (item === 'end') return;
          yield item;
        }
      } finally {
        watchers.delete(notify);
        signal.removeEventListener('abort', onAbort);
      }
    },
    shutdown() {
      if (stopped) return;
      stopped = true;
      clearTimeout(timer);
      for (const notify of watchers) {
        if (last !== Status.NOT_SERVING) notify(Status.NOT_SERVING);
        notify('end');
      }
      last = Status.NOT_SERVING;
      stopping.abort();
    },
  };
}

/**
 * grpc.health.v1.Health for the services `services()` lists (read when asked,
 * so services registered after this one are known too). "" is the whole server.
 */
export class HealthServiceImpl implements ServiceImpl<typeof Health> {
  #monitor: HealthMonitor;
  #services: () => readonly DescService[];

  constructor(monitor: HealthMonitor, services: () => readonly DescService[]) {
    this.#monitor = monitor;
    this.#services = services;
  }

  #known(service: string): boolean {
    return service === '' || this.#services().some((s) => s.typeName === service);
  }

  async check(req: HealthCheckRequest): Promise<CheckResponse> {
    // NOT_FOUND is what the protocol prescribes for a service the server does not offer.
    if (!this.#known(req.service)) {
      throw apiError(Code.NotFound, 'SERVICE_NOT_FOUND', `this server offers no service "${req.service}"`, { metadata: { service: req.service } });
    }
    return { status: await this.#monitor.check() };
  }

  async list(): Promise<MessageInitShape<typeof HealthListResponseSchema>> {
    const status = await this.#monitor.check();
    const statuses: Record<string, { status: Status }> = { '': { status } };
    for (const service of this.#services()) statuses[service.typeName] = { status };
    return { statuses };
  }

  async *watch(req: HealthCheckRequest, ctx: HandlerContext): AsyncIterable<CheckResponse> {
    if (!this.#known(req.service)) {
      // The protocol: say so once, then keep the stream open (a service may
      // appear later on some servers; here none does) until either side ends it.
      yield { status: Status.SERVICE_UNKNOWN };
      const ended = AbortSignal.any([ctx.signal, this.#monitor.stopping]);
      if (!ended.aborted) await new Promise((resolve) => ended.addEventListener('abort', resolve, { once: true }));
      return;
    }
    for await (const status of this.#monitor.watch(ctx.signal)) yield { status };
  }
}
