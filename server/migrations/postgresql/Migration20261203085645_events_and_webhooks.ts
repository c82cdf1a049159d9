import { Migration } from '@mikro-orm/migrations';

export class Migration20261203085645_events_and_webhooks extends Migration {

  override name = 'Migration20261203085645_events_and_webhooks';

  override up(): void | Promise<void> {
    this.addSql(`create table "event_sequence" ("reseller_id" uuid not null, "last_sequence" bigint not null, primary key ("reseller_id"));`);

    this.addSql(`create table "event" ("id" uuid not null, "reseller_id" uuid not null, "sequence" bigint not null, "type" varchar(48) not null, "object_type" varchar(32) not null, "object_id" varchar(128) not null, "occurred_at" timestamptz not null, "payload" text not null, primary key ("id"));`);
    this.addSql(`create index "event_reseller_time_idx" on "event" ("reseller_id", "occurred_at");`);
    this.addSql(`alter table "event" add constraint "event_reseller_sequence_unique" unique ("reseller_id", "sequence");`);

    this.addSql(`create table "webhook_attempt" ("id" uuid not null, "reseller_id" uuid not null, "endpoint_id" uuid not null, "delivery_id" uuid not null, "event_id" uuid not null, "event_type" varchar(48) not null, "attempted_at" timestamptz not null, "attempt_number" int not null, "outcome" varchar(16) not null, "http_status" int not null, "latency_ms" int not null, "excerpt" varchar(500) not null, primary key ("id"));`);
    this.addSql(`create index "webhook_attempt_endpoint_idx" on "webhook_attempt" ("endpoint_id", "attempted_at", "id");`);

    this.addSql(`create table "webhook_delivery" ("id" uuid not null, "reseller_id" uuid not null, "endpoint_id" uuid not null, "event_id" uuid not null, "event_type" varchar(48) not null, "status" varchar(16) not null, "attempts" int not null, "created_at" timestamptz not null, "next_attempt_at" timestamptz not null, "claim_token" uuid null, "claimed_until" timestamptz null, "delivered_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "webhook_delivery_due_idx" on "webhook_delivery" ("status", "next_attempt_at");`);
    this.addSql(`create index "webhook_delivery_endpoint_idx" on "webhook_delivery" ("endpoint_id", "status");`);

    this.addSql(`create table "webhook_endpoint" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "reseller_id" uuid not null, "url" varchar(2048) not null, "description" varchar(200) not null, "event_types" jsonb not null, "status" varchar(16) not null, "disabled_reason" varchar(500) null, "secret" varchar(128) not null, "previous_secret" varchar(128) null, "previous_secret_expires_at" timestamptz null, "last_success_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "webhook_endpoint_reseller_idx" on "webhook_endpoint" ("reseller_id", "created_at");`);

    this.addSql(`alter table "event_sequence" add constraint "event_sequence_reseller_id_foreign" foreign key ("reseller_id") references "reseller" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "event" add constraint "event_reseller_id_foreign" foreign key ("reseller_id") references "reseller" ("id");`);

    this.addSql(`alter table "webhook_attempt" add constraint "webhook_attempt_reseller_id_foreign" foreign key ("reseller_id") references "reseller" ("id");`);

    this.addSql(`alter table "webhook_delivery" add constraint "webhook_delivery_reseller_id_foreign" foreign key ("reseller_id") references "reseller" ("id");`);

    this.addSql(`alter table "webhook_endpoint" add constraint "webhook_endpoint_reseller_id_foreign" foreign key ("reseller_id") references "reseller" ("id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "event_sequence" cascade;`);
    this.addSql(`drop table if exists "event" cascade;`);
    this.addSql(`drop table if exists "webhook_attempt" cascade;`);
    this.addSql(`drop table if exists "webhook_delivery" cascade;`);
    this.addSql(`drop table if exists "webhook_endpoint" cascade;`);
  }
}
