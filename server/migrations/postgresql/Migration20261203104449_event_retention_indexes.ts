import { Migration } from '@mikro-orm/migrations';

// The events retention job's lookups (issue 22): events by time over every
// reseller, an event's deliveries and its attempts.
export class Migration20261203104449_event_retention_indexes extends Migration {

  override name = 'Migration20261203104449_event_retention_indexes';

  override up(): void | Promise<void> {
    this.addSql(`create index "event_time_idx" on "event" ("occurred_at");`);
    this.addSql(`create index "webhook_attempt_event_idx" on "webhook_attempt" ("event_id");`);
    this.addSql(`create index "webhook_delivery_event_idx" on "webhook_delivery" ("event_id", "status");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "event_time_idx";`);
    this.addSql(`drop index "webhook_attempt_event_idx";`);
    this.addSql(`drop index "webhook_delivery_event_idx";`);
  }

}
