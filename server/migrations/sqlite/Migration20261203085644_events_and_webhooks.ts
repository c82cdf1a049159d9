import { Migration } from '@mikro-orm/migrations';

export class Migration20261203085644_events_and_webhooks extends Migration {

  override name = 'Migration20261203085644_events_and_webhooks';

  override up(): void | Promise<void> {
    this.addSql(`create table \`event_sequence\` (\`reseller_id\` text not null primary key, \`last_sequence\` bigint not null, constraint \`event_sequence_reseller_id_foreign\` foreign key (\`reseller_id\`) references \`reseller\` (\`id\`) on update cascade on delete cascade);`);
    this.addSql(`create index \`event_sequence_reseller_id_index\` on \`event_sequence\` (\`reseller_id\`);`);

    this.addSql(`create table \`event\` (\`id\` text not null primary key, \`reseller_id\` text not null, \`sequence\` bigint not null, \`type\` text not null, \`object_type\` text not null, \`object_id\` text not null, \`occurred_at\` datetime not null, \`payload\` text not null, constraint \`event_reseller_id_foreign\` foreign key (\`reseller_id\`) references \`reseller\` (\`id\`));`);
    this.addSql(`create index \`event_reseller_id_index\` on \`event\` (\`reseller_id\`);`);
    this.addSql(`create index \`event_reseller_time_idx\` on \`event\` (\`reseller_id\`, \`occurred_at\`);`);
    this.addSql(`create unique index \`event_reseller_sequence_unique\` on \`event\` (\`reseller_id\`, \`sequence\`);`);

    this.addSql(`create table \`webhook_attempt\` (\`id\` text not null primary key, \`reseller_id\` text not null, \`endpoint_id\` text not null, \`delivery_id\` text not null, \`event_id\` text not null, \`event_type\` text not null, \`attempted_at\` datetime not null, \`attempt_number\` integer not null, \`outcome\` text not null, \`http_status\` integer not null, \`latency_ms\` integer not null, \`excerpt\` text not null, constraint \`webhook_attempt_reseller_id_foreign\` foreign key (\`reseller_id\`) references \`reseller\` (\`id\`));`);
    this.addSql(`create index \`webhook_attempt_reseller_id_index\` on \`webhook_attempt\` (\`reseller_id\`);`);
    this.addSql(`create index \`webhook_attempt_endpoint_idx\` on \`webhook_attempt\` (\`endpoint_id\`, \`attempted_at\`, \`id\`);`);

    this.addSql(`create table \`webhook_delivery\` (\`id\` text not null primary key, \`reseller_id\` text not null, \`endpoint_id\` text not null, \`event_id\` text not null, \`event_type\` text not null, \`status\` text not null, \`attempts\` integer not null, \`created_at\` datetime not null, \`next_attempt_at\` datetime not null, \`claim_token\` text null, \`claimed_until\` datetime null, \`delivered_at\` datetime null, constraint \`webhook_delivery_reseller_id_foreign\` foreign key (\`reseller_id\`) references \`reseller\` (\`id\`));`);
    this.addSql(`create index \`webhook_delivery_reseller_id_index\` on \`webhook_delivery\` (\`reseller_id\`);`);
    this.addSql(`create index \`webhook_delivery_due_idx\` on \`webhook_delivery\` (\`status\`, \`next_attempt_at\`);`);
    this.addSql(`create index \`webhook_delivery_endpoint_idx\` on \`webhook_delivery\` (\`endpoint_id\`, \`status\`);`);

    this.addSql(`create table \`webhook_endpoint\` (\`id\` text not null primary key, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`version\` integer not null default 1, \`reseller_id\` text not null, \`url\` text not null, \`description\` text not null, \`event_types\` json not null, \`status\` text not null, \`disabled_reason\` text null, \`secret\` text not null, \`previous_secret\` text null, \`previous_secret_expires_at\` datetime null, \`last_success_at\` datetime null, constraint \`webhook_endpoint_reseller_id_foreign\` foreign key (\`reseller_id\`) references \`reseller\` (\`id\`));`);
    this.addSql(`create index \`webhook_endpoint_reseller_id_index\` on \`webhook_endpoint\` (\`reseller_id\`);`);
    this.addSql(`create index \`webhook_endpoint_reseller_idx\` on \`webhook_endpoint\` (\`reseller_id\`, \`created_at\`);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists \`event_sequence\`;`);
    this.addSql(`drop table if exists \`event\`;`);
    this.addSql(`drop table if exists \`webhook_attempt\`;`);
    this.addSql(`drop table if exists \`webhook_delivery\`;`);
    this.addSql(`drop table if exists \`webhook_endpoint\`;`);
  }
}
