// The events' retention (docs/events.md): a job that deletes the events older
// than EVENT_RETENTION_DAYS, with their webhook deliveries and attempts, in
// bounded batches. Safe on several instances at once: a row another instance
// deleted first is simply not found.
import { expiredEvents, purgeEvents } from './events.queries.ts';
import type { Job } from '../platform/data/jobs.ts';

const DAY_MS = 86_400_000;

export interface EventRetentionSettings {
  /** Events older than this many days are deleted (at least 4: the 72 h webhook retry window fits). */
  retentionDays: number;
}

export function eventRetentionJob(settings: EventRetentionSettings): Job {
  const cutoff = (now: Date) => new Date(now.getTime() - settings.retentionDays * DAY_MS);
  return {
    name: 'events.purge',
    run: ({ em, source, now }) => purgeEvents({ source, kysely: em.getKysely() }, cutoff(now)),
    due: ({ em, source, now }) => expiredEvents({ source, kysely: em.getKysely() }, cutoff(now)),
  };
}
