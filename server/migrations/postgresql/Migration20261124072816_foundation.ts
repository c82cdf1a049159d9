import { Migration } from '@mikro-orm/migrations';

export class Migration20261124072816_foundation extends Migration {

  override name = 'Migration20261124072816_foundation';

  override up(): void | Promise<void> {
    this.addSql(`create table "idempotency_record" ("id" uuid not null, "scope" varchar(64) not null, "method" varchar(128) not null, "request_id" varchar(128) not null, "request_hash" varchar(64) not null, "response" text not null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "idempotency_record" add constraint "idempotency_record_key_unique" unique ("scope", "method", "request_id");`);

    this.addSql(`create table "reseller" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "name" varchar(200) not null, "name_lower" varchar(200) not null, primary key ("id"));`);
    this.addSql(`create index "reseller_name_lower_index" on "reseller" ("name_lower");`);

    this.addSql(`create table "credential" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "client_id" varchar(64) not null, "secret_hash" varchar(255) not null, "role" varchar(16) not null, "reseller_id" uuid null, "display_name" varchar(200) not null, "revoked_at" timestamptz null, primary key ("id"));`);
    this.addSql(`alter table "credential" add constraint "credential_client_id_unique" unique ("client_id");`);

    this.addSql(`create table "client" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "reseller_id" uuid not null, "name" varchar(200) not null, "code" varchar(64) not null, "search_text" varchar(270) not null, "status" varchar(16) not null, primary key ("id"));`);
    this.addSql(`create index "client_reseller_created_idx" on "client" ("reseller_id", "created_at", "id");`);
    this.addSql(`create index "client_reseller_name_idx" on "client" ("reseller_id", "name", "id");`);
    this.addSql(`create index "client_created_idx" on "client" ("created_at", "id");`);
    this.addSql(`alter table "client" add constraint "client_reseller_code_unique" unique ("reseller_id", "code");`);

    this.addSql(`create table "signing_key" ("id" varchar(32) not null, "secret" varchar(128) not null, "created_at" timestamptz not null, primary key ("id"));`);

    this.addSql(`create table "site" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "reseller_id" uuid not null, "client_id" uuid not null, "name" varchar(200) not null, primary key ("id"));`);
    this.addSql(`create index "site_client_name_idx" on "site" ("client_id", "name", "id");`);

    this.addSql(`create table "equipment" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "reseller_id" uuid not null, "client_id" uuid not null, "site_id" uuid not null, "kind" varchar(16) not null, "pbx_device_id" varchar(128) null, "smartphone_id" varchar(64) null, "serial_number" varchar(128) null, "label" varchar(200) null, primary key ("id"));`);
    this.addSql(`create index "equipment_client_created_idx" on "equipment" ("client_id", "created_at", "id");`);
    this.addSql(`create index "equipment_site_created_idx" on "equipment" ("site_id", "created_at", "id");`);
    this.addSql(`alter table "equipment" add constraint "equipment_reseller_pbx_device_unique" unique ("reseller_id", "pbx_device_id");`);

    this.addSql(`alter table "credential" add constraint "credential_reseller_id_foreign" foreign key ("reseller_id") references "reseller" ("id") on delete set null;`);

    this.addSql(`alter table "client" add constraint "client_reseller_id_foreign" foreign key ("reseller_id") references "reseller" ("id");`);

    this.addSql(`alter table "site" add constraint "site_reseller_id_foreign" foreign key ("reseller_id") references "reseller" ("id");`);
    this.addSql(`alter table "site" add constraint "site_client_id_foreign" foreign key ("client_id") references "client" ("id");`);

    this.addSql(`alter table "equipment" add constraint "equipment_reseller_id_foreign" foreign key ("reseller_id") references "reseller" ("id");`);
    this.addSql(`alter table "equipment" add constraint "equipment_client_id_foreign" foreign key ("client_id") references "client" ("id");`);
    this.addSql(`alter table "equipment" add constraint "equipment_site_id_foreign" foreign key ("site_id") references "site" ("id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "credential" drop constraint "credential_reseller_id_foreign";`);
    this.addSql(`alter table "client" drop constraint "client_reseller_id_foreign";`);
    this.addSql(`alter table "site" drop constraint "site_reseller_id_foreign";`);
    this.addSql(`alter table "equipment" drop constraint "equipment_reseller_id_foreign";`);
    this.addSql(`alter table "site" drop constraint "site_client_id_foreign";`);
    this.addSql(`alter table "equipment" drop constraint "equipment_client_id_foreign";`);
    this.addSql(`alter table "equipment" drop constraint "equipment_site_id_foreign";`);

    this.addSql(`drop table if exists "idempotency_record" cascade;`);
    this.addSql(`drop table if exists "reseller" cascade;`);
    this.addSql(`drop table if exists "credential" cascade;`);
    this.addSql(`drop table if exists "client" cascade;`);
    this.addSql(`drop table if exists "signing_key" cascade;`);
    this.addSql(`drop table if exists "site" cascade;`);
    this.addSql(`drop table if exists "equipment" cascade;`);
  }

}
