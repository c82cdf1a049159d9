import { Migration } from '@mikro-orm/migrations';

export class Migration20261124074418_audit extends Migration {

  override name = 'Migration20261124074418_audit';

  override up(): void | Promise<void> {
    this.addSql(`create table "audit_event" ("id" uuid not null, "time" timestamptz not null, "request_id" varchar(64) not null, "actor_credential_id" uuid null, "actor_client_id" varchar(64) not null, "reseller_id" uuid null, "method" varchar(200) not null, "object_type" varchar(64) not null, "object_id" varchar(64) not null, "action" varchar(8) not null, "changed_fields" jsonb not null, primary key ("id"));`);
    this.addSql(`create index "audit_event_time_idx" on "audit_event" ("time", "id");`);
    this.addSql(`create index "audit_event_reseller_time_idx" on "audit_event" ("reseller_id", "time", "id");`);
    this.addSql(`create index "audit_event_object_idx" on "audit_event" ("object_type", "object_id", "time");`);
    this.addSql(`create index "audit_event_actor_idx" on "audit_event" ("actor_credential_id", "time");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "audit_event" cascade;`);
  }

}
