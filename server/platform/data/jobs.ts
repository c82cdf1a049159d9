// Background work inside the server (interface installation, scheduled
// deletions, invitation delivery): a timer that runs every registered job at an interval, and
// `runDueJobs()` that tests call after moving the clock.
//
// Several instances may run the same jobs on one PostgreSQL at once. Nothing
// here prevents that: each job claims the rows it acts on with a conditional
// UPDATE (`... where status = 'pending'`), so whichever instance gets there
// first does the work and the others find nothing to do. Jobs must therefore
// be idempotent; the runner only makes sure one instance never overlaps its
// own runs.
import { systemEm, type Em, type Orm } from './database.ts';
import type { DataSource } from './query.ts';
import { callContext } from '../rpc/context.ts';
import { uuidv7 } from '../core/ids.ts';
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../observability/logger.ts';

export interface JobContext {
  /** An unscoped EntityManager (every reseller), fresh for this run. */
  em: Em;
  /** Where queries (platform/data/query.ts) run: with `em`'s Kysely inside its transactions. */
  source: DataSource;
  /** "Now" for this run: every due date is compared with it. */
  now: Date;
  logger: Logger;
}

export interface Job {
  /** Shown in logs and in runDueJobs' result. */
  name: string;
  /** Does the work that is due and says how many items it handled. */
  run(context: JobContext): Promise<number>;
  /** How many items are due now and not yet done (a queue that grows says the jobs fall behind). */
  due?(context: JobContext): Promise<number>;
}

export interface JobRunnerOptions {
  orm: Orm;
  source: DataSource;
  clock: Clock;
  logger: Logger;
  intervalMs: number;
  jobs: Job[];
}

export class JobRunner {
  readonly #options: JobRunnerOptions;
  #timer: NodeJS.Timeout | undefined;
  /** The run in progress, if any: runs never overlap within one instance. */
  #current: Promise<Record<string, number>> | undefined;
  #stopped = false;

  constructor(options: JobRunnerOptions) {
    this.#options = options;
  }

  /** Starts the timer. Each tick skips if the previous run has not finished. */
  start(): void {
    if (this.#timer || this.#stopped) return;
    this.#timer = setInterval(() => {
      if (this.#current) return;
      this.runDueJobs().catch(() => undefined);
    }, this.#options.intervalMs);
    // The timer alone must not keep the process alive.
    this.#timer.unref();
  }

  /**
   * Runs every job once, now, after any run in progress. Returns how many
   * items each job handled. A failing job is logged and does not stop the others.
   */
  async runDueJobs(): Promise<Record<string, number>> {
    while (this.#current) await this.#current.catch(() => undefined);
    if (this.#stopped) return {};
    const run = this.#runAll();
    this.#current = run;
    try {
      return await run;
    } finally {
      this.#current = undefined;
    }
  }

  async #runAll(): Promise<Record<string, number>> {
    const { orm, source, clock, logger, jobs } = this.#options;
    const done: Record<string, number> = {};
    for (const job of jobs) {
      try {
        // The job's changes are attributed to it (the audit trail's method
        // `job:<name>`, actor `system`), as a call's are to the call.
        const count = await callContext.run({ requestId: uuidv7(), method: `job:${job.name}` },
          () => job.run({ em: systemEm(orm), source, now: clock.now(), logger }));
        done[job.name] = count;
        if (count > 0) logger.info({ job: job.name, count }, 'job done');
      } catch (error) {
        done[job.name] = 0;
        logger.error({ job: job.name, err: error }, 'job failed; it runs again at the next interval');
      }
    }
    return done;
  }

  /** Each job's items due now, for the reseller_jobs_due gauge. */
  async dueCounts(): Promise<{ labels: { job: string }; value: number }[]> {
    const { orm, source, clock, logger, jobs } = this.#options;
    const now = clock.now();
    return Promise.all(jobs.filter((job) => job.due).map(async (job) => (
      { labels: { job: job.name }, value: await job.due!({ em: systemEm(orm), source, now, logger }) })));
  }

  /** Stops the timer and waits for the run in progress, so the database can close after. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#current?.catch(() => undefined);
  }
}

/**
 * Runs one at a time in this instance: `run` waits for a run in progress,
 * then starts its own, so when it resolves everything that was due when it
 * was called has been attempted (the delivery workers' `deliverDue`).
 */
export class OneAtATime<T> {
  #running: Promise<T> | undefined;

  async run(work: () => Promise<T>): Promise<T> {
    while (this.#running) await this.#running.catch(() => undefined);
    const run = work();
    this.#running = run;
    try {
      return await run;
    } finally {
      if (this.#running === run) this.#running = undefined;
    }
  }

  /** Waits for a run in progress, if any (its failure is the caller's of `run`). */
  async idle(): Promise<void> {
    await this.#running?.catch(() => undefined);
  }
}
