import { Migration } from '@mikro-orm/migrations';

export class Migration20261124083232_devices_and_included_seats extends Migration {

  override name = 'Migration20261124083232_devices_and_included_seats';

  override up(): void | Promise<void> {
    this.addSql(`create table "charge" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "reseller_id" uuid not null, "client_id" uuid not null, "account_id" uuid not null, "device_id" varchar(128) not null, "offering_code" varchar(64) not null, "description" varchar(200) not null, "quantity" int not null, "unit_price_minor" bigint not null, "total_minor" bigint not null, "currency" varchar(3) not null, "charged_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "charge_reseller_time_idx" on "charge" ("reseller_id", "charged_at", "id");`);
    this.addSql(`create index "charge_client_time_idx" on "charge" ("client_id", "charged_at", "id");`);
    this.addSql(`create index "charge_time_idx" on "charge" ("charged_at", "id");`);

    this.addSql(`create table "device_link" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "reseller_id" uuid not null, "client_id" uuid not null, "account_id" uuid not null, "equipment_id" uuid not null, "client_type" varchar(8) null, "assigned_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "device_link_account_idx" on "device_link" ("account_id", "created_at");`);
    this.addSql(`create index "device_link_client_assigned_idx" on "device_link" ("client_id", "client_type");`);
    this.addSql(`alter table "device_link" add constraint "device_link_equipment_unique" unique ("equipment_id");`);

    this.addSql(`alter table "offering" add "included_quantity" int not null default 0;`);
    // The demo catalog's softphone seat: two seats per client are included.
    this.addSql(`update "offering" set "included_quantity" = 2 where "code" = 'UC-SOFTPHONE-SEAT';`);

    this.addSql(`alter table "charge" add constraint "charge_reseller_id_foreign" foreign key ("reseller_id") references "reseller" ("id");`);
    this.addSql(`alter table "charge" add constraint "charge_client_id_foreign" foreign key ("client_id") references "client" ("id");`);

    this.addSql(`alter table "device_link" add constraint "device_link_reseller_id_foreign" foreign key ("reseller_id") references "reseller" ("id");`);
    this.addSql(`alter table "device_link" add constraint "device_link_client_id_foreign" foreign key ("client_id") references "client" ("id");`);
    this.addSql(`alter table "device_link" add constraint "device_link_account_id_foreign" foreign key ("account_id") references "account" ("id");`);
    this.addSql(`alter table "device_link" add constraint "device_link_equipment_id_foreign" foreign key ("equipment_id") references "equipment" ("id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "charge" cascade;`);
    this.addSql(`drop table if exists "device_link" cascade;`);

    this.addSql(`alter table "offering" drop column "included_quantity";`);
  }

}
