import { Migration } from '@mikro-orm/migrations';

export class Migration20261203090049_staff_users extends Migration {

  override name = 'Migration20261203090049_staff_users';

  override up(): void | Promise<void> {
    this.addSql(`create table \`staff_user\` (\`id\` text not null primary key, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`version\` integer not null default 1, \`email\` text not null, \`display_name\` text not null, \`role\` text not null, \`status\` text not null, \`password_hash\` text null, \`totp_secret\` text null, \`totp_last_step\` bigint null, \`invitation_token_hash\` text null, \`invitation_expires_at\` datetime null, \`disabled_at\` datetime null);`);
    this.addSql(`create unique index \`staff_user_email_unique\` on \`staff_user\` (\`email\`);`);
    this.addSql(`create index \`staff_user_invitation_token_hash_index\` on \`staff_user\` (\`invitation_token_hash\`);`);

    this.addSql(`create table \`staff_session\` (\`id\` text not null primary key, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`version\` integer not null default 1, \`staff_user_id\` text not null, \`device_name\` text not null, \`address\` text not null, \`last_refresh_at\` datetime null, \`expires_at\` datetime not null, \`revoked_at\` datetime null, \`revoke_reason\` text null, constraint \`staff_session_staff_user_id_foreign\` foreign key (\`staff_user_id\`) references \`staff_user\` (\`id\`));`);
    this.addSql(`create index \`staff_session_staff_user_id_index\` on \`staff_session\` (\`staff_user_id\`);`);
    this.addSql(`create index \`staff_session_user_idx\` on \`staff_session\` (\`staff_user_id\`, \`created_at\`);`);

    this.addSql(`create table \`staff_refresh_token\` (\`token_hash\` text not null primary key, \`session_id\` text not null, \`created_at\` datetime not null, \`used_at\` datetime null, constraint \`staff_refresh_token_session_id_foreign\` foreign key (\`session_id\`) references \`staff_session\` (\`id\`));`);
    this.addSql(`create index \`staff_refresh_token_session_id_index\` on \`staff_refresh_token\` (\`session_id\`);`);

    this.addSql(`create table \`staff_recovery_code\` (\`id\` text not null primary key, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`version\` integer not null default 1, \`staff_user_id\` text not null, \`code_hash\` text not null, \`used_at\` datetime null, constraint \`staff_recovery_code_staff_user_id_foreign\` foreign key (\`staff_user_id\`) references \`staff_user\` (\`id\`));`);
    this.addSql(`create index \`staff_recovery_code_staff_user_id_index\` on \`staff_recovery_code\` (\`staff_user_id\`);`);
    this.addSql(`create index \`staff_recovery_code_code_hash_index\` on \`staff_recovery_code\` (\`code_hash\`);`);

    this.addSql(`create table \`staff_invitation\` (\`id\` text not null primary key, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`version\` integer not null default 1, \`staff_user_id\` text not null, \`channel\` text not null, \`recipient\` text not null, \`display_name\` text not null, \`token\` text null, \`status\` text not null, \`attempts\` integer not null, \`next_attempt_at\` datetime not null, \`claim_token\` text null, \`claimed_until\` datetime null, \`last_error\` text null, \`sent_at\` datetime null, \`delivered_via\` text null, constraint \`staff_invitation_staff_user_id_foreign\` foreign key (\`staff_user_id\`) references \`staff_user\` (\`id\`));`);
    this.addSql(`create index \`staff_invitation_staff_user_id_index\` on \`staff_invitation\` (\`staff_user_id\`);`);
    this.addSql(`create index \`staff_invitation_due_idx\` on \`staff_invitation\` (\`status\`, \`next_attempt_at\`);`);

    this.addSql(`alter table \`audit_event\` add column \`actor_staff_user_id\` text null;`);
    this.addSql(`alter table \`audit_event\` add column \`actor_session_id\` text null;`);
    this.addSql(`create index \`audit_event_staff_user_idx\` on \`audit_event\` (\`actor_staff_user_id\`, \`time\`);`);

  }

  override down(): void | Promise<void> {

    this.addSql(`drop table if exists \`staff_user\`;`);
    this.addSql(`drop table if exists \`staff_session\`;`);
    this.addSql(`drop table if exists \`staff_refresh_token\`;`);
    this.addSql(`drop table if exists \`staff_recovery_code\`;`);
    this.addSql(`drop table if exists \`staff_invitation\`;`);

    this.addSql(`drop index \`audit_event_staff_user_idx\`;`);
    this.addSql(`alter table \`audit_event\` drop column \`actor_staff_user_id\`;`);
    this.addSql(`alter table \`audit_event\` drop column \`actor_session_id\`;`);

  }

}
