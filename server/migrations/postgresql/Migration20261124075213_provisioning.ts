import { Migration } from '@mikro-orm/migrations';

export class Migration20261124075213_provisioning extends Migration {

  override name = 'Migration20261124075213_provisioning';

  override up(): void | Promise<void> {
    this.addSql(`create table "media" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "reseller_id" uuid not null, "client_id" uuid not null, "content_type" varchar(32) not null, "byte_size" int not null, "data" bytea not null, primary key ("id"));`);

    this.addSql(`create table "invitation" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "reseller_id" uuid not null, "client_id" uuid not null, "account_id" uuid not null, "channel" varchar(8) not null, "recipient" varchar(254) not null, "first_name" varchar(100) not null, "family_name" varchar(100) not null, "locale" varchar(8) not null, "status" varchar(16) not null, "attempts" int not null, "next_attempt_at" timestamptz not null, "claim_token" varchar(36) null, "claimed_until" timestamptz null, "last_error" varchar(500) null, "sent_at" timestamptz null, "delivered_via" varchar(8) null, primary key ("id"));`);
    this.addSql(`create index "invitation_due_idx" on "invitation" ("status", "next_attempt_at");`);
    this.addSql(`create index "invitation_account_idx" on "invitation" ("account_id");`);

    this.addSql(`create table "family" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "reseller_id" uuid not null, "client_id" uuid not null, "name" varchar(100) not null, "image_id" uuid null, primary key ("id"));`);
    this.addSql(`create index "family_client_idx" on "family" ("client_id");`);

    this.addSql(`create table "account" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "reseller_id" uuid not null, "client_id" uuid not null, "identifier_type" varchar(8) not null, "identifier" varchar(254) not null, "first_name" varchar(100) not null, "locale" varchar(8) not null, "picture_id" uuid null, primary key ("id"));`);
    this.addSql(`alter table "account" add constraint "account_client_identifier_unique" unique ("client_id", "identifier");`);

    this.addSql(`create table "family_member" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "reseller_id" uuid not null, "family_id" uuid not null, "account_id" uuid not null, "right" varchar(16) not null, "role" varchar(50) not null, primary key ("id"));`);
    this.addSql(`create index "family_member_account_idx" on "family_member" ("account_id");`);
    this.addSql(`alter table "family_member" add constraint "family_member_unique" unique ("family_id", "account_id");`);
    this.addSql(`create unique index "family_member_one_founder" on "family_member" ("family_id") where "right" = 'super_admin';`);

    this.addSql(`create table "account_role_grant" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "reseller_id" uuid not null, "account_id" uuid not null, "role" varchar(40) not null, primary key ("id"));`);
    this.addSql(`alter table "account_role_grant" add constraint "account_role_grant_unique" unique ("account_id", "role");`);

    this.addSql(`alter table "media" add constraint "media_reseller_id_foreign" foreign key ("reseller_id") references "reseller" ("id");`);
    this.addSql(`alter table "media" add constraint "media_client_id_foreign" foreign key ("client_id") references "client" ("id");`);

    this.addSql(`alter table "invitation" add constraint "invitation_reseller_id_foreign" foreign key ("reseller_id") references "reseller" ("id");`);
    this.addSql(`alter table "invitation" add constraint "invitation_client_id_foreign" foreign key ("client_id") references "client" ("id");`);

    this.addSql(`alter table "family" add constraint "family_reseller_id_foreign" foreign key ("reseller_id") references "reseller" ("id");`);
    this.addSql(`alter table "family" add constraint "family_client_id_foreign" foreign key ("client_id") references "client" ("id");`);
    this.addSql(`alter table "family" add constraint "family_image_id_foreign" foreign key ("image_id") references "media" ("id") on delete set null;`);

    this.addSql(`alter table "account" add constraint "account_reseller_id_foreign" foreign key ("reseller_id") references "reseller" ("id");`);
    this.addSql(`alter table "account" add constraint "account_client_id_foreign" foreign key ("client_id") references "client" ("id");`);
    this.addSql(`alter table "account" add constraint "account_picture_id_foreign" foreign key ("picture_id") references "media" ("id") on delete set null;`);

    this.addSql(`alter table "family_member" add constraint "family_member_reseller_id_foreign" foreign key ("reseller_id") references "reseller" ("id");`);
    this.addSql(`alter table "family_member" add constraint "family_member_family_id_foreign" foreign key ("family_id") references "family" ("id");`);
    this.addSql(`alter table "family_member" add constraint "family_member_account_id_foreign" foreign key ("account_id") references "account" ("id");`);

    this.addSql(`alter table "account_role_grant" add constraint "account_role_grant_reseller_id_foreign" foreign key ("reseller_id") references "reseller" ("id");`);
    this.addSql(`alter table "account_role_grant" add constraint "account_role_grant_account_id_foreign" foreign key ("account_id") references "account" ("id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "family" drop constraint "family_image_id_foreign";`);
    this.addSql(`alter table "account" drop constraint "account_picture_id_foreign";`);
    this.addSql(`alter table "family_member" drop constraint "family_member_family_id_foreign";`);
    this.addSql(`alter table "family_member" drop constraint "family_member_account_id_foreign";`);
    this.addSql(`alter table "account_role_grant" drop constraint "account_role_grant_account_id_foreign";`);

    this.addSql(`drop table if exists "media" cascade;`);
    this.addSql(`drop table if exists "invitation" cascade;`);
    this.addSql(`drop table if exists "family" cascade;`);
    this.addSql(`drop table if exists "account" cascade;`);
    this.addSql(`drop table if exists "family_member" cascade;`);
    this.addSql(`drop table if exists "account_role_grant" cascade;`);
  }

}
