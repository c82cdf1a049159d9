import { Migration } from '@mikro-orm/migrations';

export class Migration20261124083231_devices_and_included_seats extends Migration {

  override name = 'Migration20261124083231_devices_and_included_seats';

  override up(): void | Promise<void> {
    this.addSql(`create table \`charge\` (\`id\` text not null primary key, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`version\` integer not null default 1, \`reseller_id\` text not null, \`client_id\` text not null, \`account_id\` text not null, \`device_id\` text not null, \`offering_code\` text not null, \`description\` text not null, \`quantity\` integer not null, \`unit_price_minor\` bigint not null, \`total_minor\` bigint not null, \`currency\` text not null, \`charged_at\` datetime not null, constraint \`charge_reseller_id_foreign\` foreign key (\`reseller_id\`) references \`reseller\` (\`id\`), constraint \`charge_client_id_foreign\` foreign key (\`client_id\`) references \`client\` (\`id\`));`);
    this.addSql(`create index \`charge_reseller_id_index\` on \`charge\` (\`reseller_id\`);`);
    this.addSql(`create index \`charge_client_id_index\` on \`charge\` (\`client_id\`);`);
    this.addSql(`create index \`charge_reseller_time_idx\` on \`charge\` (\`reseller_id\`, \`charged_at\`, \`id\`);`);
    this.addSql(`create index \`charge_client_time_idx\` on \`charge\` (\`client_id\`, \`charged_at\`, \`id\`);`);
    this.addSql(`create index \`charge_time_idx\` on \`charge\` (\`charged_at\`, \`id\`);`);

    this.addSql(`create table \`device_link\` (\`id\` text not null primary key, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`version\` integer not null default 1, \`reseller_id\` text not null, \`client_id\` text not null, \`account_id\` text not null, \`equipment_id\` text not null, \`client_type\` text null, \`assigned_at\` datetime null, constraint \`device_link_reseller_id_foreign\` foreign key (\`reseller_id\`) references \`reseller\` (\`id\`), constraint \`device_link_client_id_foreign\` foreign key (\`client_id\`) references \`client\` (\`id\`), constraint \`device_link_account_id_foreign\` foreign key (\`account_id\`) references \`account\` (\`id\`), constraint \`device_link_equipment_id_foreign\` foreign key (\`equipment_id\`) references \`equipment\` (\`id\`));`);
    this.addSql(`create index \`device_link_reseller_id_index\` on \`device_link\` (\`reseller_id\`);`);
    this.addSql(`create index \`device_link_client_id_index\` on \`device_link\` (\`client_id\`);`);
    this.addSql(`create index \`device_link_account_id_index\` on \`device_link\` (\`account_id\`);`);
    this.addSql(`create index \`device_link_equipment_id_index\` on \`device_link\` (\`equipment_id\`);`);
    this.addSql(`create index \`device_link_account_idx\` on \`device_link\` (\`account_id\`, \`created_at\`);`);
    this.addSql(`create index \`device_link_client_assigned_idx\` on \`device_link\` (\`client_id\`, \`client_type\`);`);
    this.addSql(`create unique index \`device_link_equipment_unique\` on \`device_link\` (\`equipment_id\`);`);

    this.addSql(`alter table \`offering\` add column \`included_quantity\` integer not null default 0;`);
    // The demo catalog's softphone seat: two seats per client are included.
    this.addSql(`update \`offering\` set \`included_quantity\` = 2 where \`code\` = 'UC-SOFTPHONE-SEAT';`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists \`charge\`;`);
    this.addSql(`drop table if exists \`device_link\`;`);

    this.addSql(`alter table \`offering\` drop column \`included_quantity\`;`);
  }

}
