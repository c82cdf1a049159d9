import { Migration } from '@mikro-orm/migrations';

export class Migration20261124072816_foundation extends Migration {

  override name = 'Migration20261124072816_foundation';

  override up(): void | Promise<void> {
    this.addSql(`create table \`idempotency_record\` (\`id\` text not null primary key, \`scope\` text not null, \`method\` text not null, \`request_id\` text not null, \`request_hash\` text not null, \`response\` text not null, \`created_at\` datetime not null);`);
    this.addSql(`create unique index \`idempotency_record_key_unique\` on \`idempotency_record\` (\`scope\`, \`method\`, \`request_id\`);`);

    this.addSql(`create table \`reseller\` (\`id\` text not null primary key, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`version\` integer not null default 1, \`name\` text not null, \`name_lower\` text not null);`);
    this.addSql(`create index \`reseller_name_lower_index\` on \`reseller\` (\`name_lower\`);`);

    this.addSql(`create table \`credential\` (\`id\` text not null primary key, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`version\` integer not null default 1, \`client_id\` text not null, \`secret_hash\` text not null, \`role\` text not null, \`reseller_id\` text null, \`display_name\` text not null, \`revoked_at\` datetime null, constraint \`credential_reseller_id_foreign\` foreign key (\`reseller_id\`) references \`reseller\` (\`id\`) on delete set null);`);
    this.addSql(`create unique index \`credential_client_id_unique\` on \`credential\` (\`client_id\`);`);
    this.addSql(`create index \`credential_reseller_id_index\` on \`credential\` (\`reseller_id\`);`);

    this.addSql(`create table \`client\` (\`id\` text not null primary key, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`version\` integer not null default 1, \`reseller_id\` text not null, \`name\` text not null, \`code\` text not null, \`search_text\` text not null, \`status\` text not null, constraint \`client_reseller_id_foreign\` foreign key (\`reseller_id\`) references \`reseller\` (\`id\`));`);
    this.addSql(`create index \`client_reseller_id_index\` on \`client\` (\`reseller_id\`);`);
    this.addSql(`create index \`client_reseller_created_idx\` on \`client\` (\`reseller_id\`, \`created_at\`, \`id\`);`);
    this.addSql(`create index \`client_reseller_name_idx\` on \`client\` (\`reseller_id\`, \`name\`, \`id\`);`);
    this.addSql(`create index \`client_created_idx\` on \`client\` (\`created_at\`, \`id\`);`);
    this.addSql(`create unique index \`client_reseller_code_unique\` on \`client\` (\`reseller_id\`, \`code\`);`);

    this.addSql(`create table \`signing_key\` (\`id\` text not null primary key, \`secret\` text not null, \`created_at\` datetime not null);`);

    this.addSql(`create table \`site\` (\`id\` text not null primary key, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`version\` integer not null default 1, \`reseller_id\` text not null, \`client_id\` text not null, \`name\` text not null, constraint \`site_reseller_id_foreign\` foreign key (\`reseller_id\`) references \`reseller\` (\`id\`), constraint \`site_client_id_foreign\` foreign key (\`client_id\`) references \`client\` (\`id\`));`);
    this.addSql(`create index \`site_reseller_id_index\` on \`site\` (\`reseller_id\`);`);
    this.addSql(`create index \`site_client_id_index\` on \`site\` (\`client_id\`);`);
    this.addSql(`create index \`site_client_name_idx\` on \`site\` (\`client_id\`, \`name\`, \`id\`);`);

    this.addSql(`create table \`equipment\` (\`id\` text not null primary key, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`version\` integer not null default 1, \`reseller_id\` text not null, \`client_id\` text not null, \`site_id\` text not null, \`kind\` text not null, \`pbx_device_id\` text null, \`smartphone_id\` text null, \`serial_number\` text null, \`label\` text null, constraint \`equipment_reseller_id_foreign\` foreign key (\`reseller_id\`) references \`reseller\` (\`id\`), constraint \`equipment_client_id_foreign\` foreign key (\`client_id\`) references \`client\` (\`id\`), constraint \`equipment_site_id_foreign\` foreign key (\`site_id\`) references \`site\` (\`id\`));`);
    this.addSql(`create index \`equipment_reseller_id_index\` on \`equipment\` (\`reseller_id\`);`);
    this.addSql(`create index \`equipment_client_id_index\` on \`equipment\` (\`client_id\`);`);
    this.addSql(`create index \`equipment_site_id_index\` on \`equipment\` (\`site_id\`);`);
    this.addSql(`create index \`equipment_client_created_idx\` on \`equipment\` (\`client_id\`, \`created_at\`, \`id\`);`);
    this.addSql(`create index \`equipment_site_created_idx\` on \`equipment\` (\`site_id\`, \`created_at\`, \`id\`);`);
    this.addSql(`create unique index \`equipment_reseller_pbx_device_unique\` on \`equipment\` (\`reseller_id\`, \`pbx_device_id\`);`);
  }

  override down(): void | Promise<void> {

    this.addSql(`drop table if exists \`idempotency_record\`;`);
    this.addSql(`drop table if exists \`reseller\`;`);
    this.addSql(`drop table if exists \`credential\`;`);
    this.addSql(`drop table if exists \`client\`;`);
    this.addSql(`drop table if exists \`signing_key\`;`);
    this.addSql(`drop table if exists \`site\`;`);
    this.addSql(`drop table if exists \`equipment\`;`);
  }

}
