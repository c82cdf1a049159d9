import { Migration } from '@mikro-orm/migrations';

export class Migration20261124080516_catalog_interfaces extends Migration {

  override name = 'Migration20261124080516_catalog_interfaces';

  override up(): void | Promise<void> {
    this.addSql(`create table "offering" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "code" varchar(64) not null, "name" varchar(200) not null, "short_description" varchar(500) not null, "long_description" text not null, "price_minor" int not null, "currency" varchar(3) not null, "kind" varchar(16) not null, "billing_period" varchar(16) not null, "associated_codes" jsonb not null, "project_form" boolean not null, "retired_at" timestamptz null, primary key ("id"));`);
    this.addSql(`alter table "offering" add constraint "offering_code_unique" unique ("code");`);

    this.addSql(`create table "shop_interface" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "reseller_id" uuid not null, "guid" varchar(128) not null, "status" varchar(16) not null, "subdomain" varchar(63) null, "url" varchar(300) null, "admin_url" varchar(300) null, "form_url" varchar(300) null, "contact_last_name" varchar(100) not null, "contact_first_name" varchar(100) not null, "contact_company" varchar(200) not null, "contact_address" varchar(300) not null, "contact_postal_code" varchar(16) not null, "contact_city" varchar(100) not null, "contact_country" varchar(2) not null, "contact_phone" varchar(32) not null, "contact_email" varchar(254) not null, "contact_rcs" varchar(64) not null, "contact_ape" varchar(8) not null, "install_due_at" timestamptz not null, "installed_at" timestamptz null, "deletion_requested_at" timestamptz null, "access_end_at" timestamptz null, "deletion_at" timestamptz null, "deleted_at" timestamptz null, "reactivated_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "shop_interface_reseller_created_idx" on "shop_interface" ("reseller_id", "created_at", "id");`);
    this.addSql(`create index "shop_interface_created_idx" on "shop_interface" ("created_at", "id");`);
    this.addSql(`create index "shop_interface_status_install_idx" on "shop_interface" ("status", "install_due_at");`);
    this.addSql(`create index "shop_interface_status_deletion_idx" on "shop_interface" ("status", "deletion_at");`);
    this.addSql(`alter table "shop_interface" add constraint "shop_interface_reseller_guid_unique" unique ("reseller_id", "guid");`);
    this.addSql(`alter table "shop_interface" add constraint "shop_interface_subdomain_unique" unique ("subdomain");`);

    this.addSql(`create table "interface_offering_line" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "reseller_id" uuid not null, "shop_interface_id" uuid not null, "offering_id" uuid not null, "position" int not null, "cancelled_at" timestamptz null, "form_url" varchar(300) null, primary key ("id"));`);
    this.addSql(`create index "interface_offering_line_interface_position_idx" on "interface_offering_line" ("shop_interface_id", "position");`);

    this.addSql(`create table "interface_event" ("id" uuid not null, "reseller_id" uuid not null, "shop_interface_id" uuid not null, "kind" varchar(32) not null, "occurred_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "interface_event_interface_idx" on "interface_event" ("shop_interface_id", "occurred_at");`);

    this.addSql(`create table "smartphone" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "sku" varchar(64) not null, "brand" varchar(100) not null, "brand_lower" varchar(100) not null, "model" varchar(100) not null, "price_minor" int not null, "currency" varchar(3) not null, "storage_gb" int not null, "colour" varchar(50) not null, "availability" varchar(16) not null, "search_text" varchar(260) not null, primary key ("id"));`);
    this.addSql(`create index "smartphone_brand_sku_idx" on "smartphone" ("brand_lower", "sku");`);
    this.addSql(`alter table "smartphone" add constraint "smartphone_sku_unique" unique ("sku");`);

    this.addSql(`alter table "shop_interface" add constraint "shop_interface_reseller_id_foreign" foreign key ("reseller_id") references "reseller" ("id");`);

    this.addSql(`alter table "interface_offering_line" add constraint "interface_offering_line_reseller_id_foreign" foreign key ("reseller_id") references "reseller" ("id");`);
    this.addSql(`alter table "interface_offering_line" add constraint "interface_offering_line_shop_interface_id_foreign" foreign key ("shop_interface_id") references "shop_interface" ("id");`);
    this.addSql(`alter table "interface_offering_line" add constraint "interface_offering_line_offering_id_foreign" foreign key ("offering_id") references "offering" ("id");`);

    this.addSql(`alter table "interface_event" add constraint "interface_event_reseller_id_foreign" foreign key ("reseller_id") references "reseller" ("id");`);
    this.addSql(`alter table "interface_event" add constraint "interface_event_shop_interface_id_foreign" foreign key ("shop_interface_id") references "shop_interface" ("id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "interface_offering_line" drop constraint "interface_offering_line_offering_id_foreign";`);
    this.addSql(`alter table "interface_offering_line" drop constraint "interface_offering_line_shop_interface_id_foreign";`);
    this.addSql(`alter table "interface_event" drop constraint "interface_event_shop_interface_id_foreign";`);

    this.addSql(`drop table if exists "offering" cascade;`);
    this.addSql(`drop table if exists "shop_interface" cascade;`);
    this.addSql(`drop table if exists "interface_offering_line" cascade;`);
    this.addSql(`drop table if exists "interface_event" cascade;`);
    this.addSql(`drop table if exists "smartphone" cascade;`);
  }

}
