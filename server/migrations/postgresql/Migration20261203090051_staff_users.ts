import { Migration } from '@mikro-orm/migrations';

export class Migration20261203090051_staff_users extends Migration {

  override name = 'Migration20261203090051_staff_users';

  override up(): void | Promise<void> {
    this.addSql(`create table "staff_user" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "email" varchar(254) not null, "display_name" varchar(200) not null, "role" varchar(16) not null, "status" varchar(16) not null, "password_hash" varchar(255) null, "totp_secret" varchar(64) null, "totp_last_step" bigint null, "invitation_token_hash" varchar(64) null, "invitation_expires_at" timestamptz null, "disabled_at" timestamptz null, primary key ("id"));`);
    this.addSql(`alter table "staff_user" add constraint "staff_user_email_unique" unique ("email");`);
    this.addSql(`create index "staff_user_invitation_token_hash_index" on "staff_user" ("invitation_token_hash");`);

    this.addSql(`create table "staff_session" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "staff_user_id" uuid not null, "device_name" varchar(200) not null, "address" varchar(64) not null, "last_refresh_at" timestamptz null, "expires_at" timestamptz not null, "revoked_at" timestamptz null, "revoke_reason" varchar(32) null, primary key ("id"));`);
    this.addSql(`create index "staff_session_user_idx" on "staff_session" ("staff_user_id", "created_at");`);

    this.addSql(`create table "staff_refresh_token" ("token_hash" varchar(64) not null, "session_id" uuid not null, "created_at" timestamptz not null, "used_at" timestamptz null, primary key ("token_hash"));`);

    this.addSql(`create table "staff_recovery_code" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "staff_user_id" uuid not null, "code_hash" varchar(64) not null, "used_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "staff_recovery_code_code_hash_index" on "staff_recovery_code" ("code_hash");`);

    this.addSql(`create table "staff_invitation" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, "staff_user_id" uuid not null, "channel" varchar(8) not null, "recipient" varchar(254) not null, "display_name" varchar(200) not null, "token" varchar(64) null, "status" varchar(16) not null, "attempts" int not null, "next_attempt_at" timestamptz not null, "claim_token" varchar(36) null, "claimed_until" timestamptz null, "last_error" varchar(500) null, "sent_at" timestamptz null, "delivered_via" varchar(8) null, primary key ("id"));`);
    this.addSql(`create index "staff_invitation_due_idx" on "staff_invitation" ("status", "next_attempt_at");`);

    this.addSql(`alter table "audit_event" add "actor_staff_user_id" uuid null, add "actor_session_id" uuid null;`);
    this.addSql(`alter table "audit_event" alter column "actor_client_id" type varchar(254) using ("actor_client_id"::varchar(254));`);
    this.addSql(`create index "audit_event_staff_user_idx" on "audit_event" ("actor_staff_user_id", "time");`);

    this.addSql(`alter table "staff_session" add constraint "staff_session_staff_user_id_foreign" foreign key ("staff_user_id") references "staff_user" ("id");`);

    this.addSql(`alter table "staff_refresh_token" add constraint "staff_refresh_token_session_id_foreign" foreign key ("session_id") references "staff_session" ("id");`);

    this.addSql(`alter table "staff_recovery_code" add constraint "staff_recovery_code_staff_user_id_foreign" foreign key ("staff_user_id") references "staff_user" ("id");`);

    this.addSql(`alter table "staff_invitation" add constraint "staff_invitation_staff_user_id_foreign" foreign key ("staff_user_id") references "staff_user" ("id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "staff_session" drop constraint "staff_session_staff_user_id_foreign";`);
    this.addSql(`alter table "staff_recovery_code" drop constraint "staff_recovery_code_staff_user_id_foreign";`);
    this.addSql(`alter table "staff_invitation" drop constraint "staff_invitation_staff_user_id_foreign";`);
    this.addSql(`alter table "staff_refresh_token" drop constraint "staff_refresh_token_session_id_foreign";`);

    this.addSql(`drop table if exists "staff_user" cascade;`);
    this.addSql(`drop table if exists "staff_session" cascade;`);
    this.addSql(`drop table if exists "staff_refresh_token" cascade;`);
    this.addSql(`drop table if exists "staff_recovery_code" cascade;`);
    this.addSql(`drop table if exists "staff_invitation" cascade;`);

    this.addSql(`drop index "audit_event_staff_user_idx";`);
    this.addSql(`alter table "audit_event" drop column "actor_staff_user_id", drop column "actor_session_id";`);
    this.addSql(`alter table "audit_event" alter column "actor_client_id" type varchar(64) using ("actor_client_id"::varchar(64));`);

  }

}
