import { Migration } from '@mikro-orm/migrations';

export class Migration20261124075213_provisioning extends Migration {

  override name = 'Migration20261124075213_provisioning';

  override up(): void | Promise<void> {
    this.addSql(`create table \`media\` (\`id\` text not null primary key, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`version\` integer not null default 1, \`reseller_id\` text not null, \`client_id\` text not null, \`content_type\` text not null, \`byte_size\` integer not null, \`data\` blob not null, constraint \`media_reseller_id_foreign\` foreign key (\`reseller_id\`) references \`reseller\` (\`id\`), constraint \`media_client_id_foreign\` foreign key (\`client_id\`) references \`client\` (\`id\`));`);
    this.addSql(`create index \`media_reseller_id_index\` on \`media\` (\`reseller_id\`);`);
    this.addSql(`create index \`media_client_id_index\` on \`media\` (\`client_id\`);`);

    this.addSql(`create table \`invitation\` (\`id\` text not null primary key, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`version\` integer not null default 1, \`reseller_id\` text not null, \`client_id\` text not null, \`account_id\` text not null, \`channel\` text not null, \`recipient\` text not null, \`first_name\` text not null, \`family_name\` text not null, \`locale\` text not null, \`status\` text not null, \`attempts\` integer not null, \`next_attempt_at\` datetime not null, \`claim_token\` text null, \`claimed_until\` datetime null, \`last_error\` text null, \`sent_at\` datetime null, \`delivered_via\` text null, constraint \`invitation_reseller_id_foreign\` foreign key (\`reseller_id\`) references \`reseller\` (\`id\`), constraint \`invitation_client_id_foreign\` foreign key (\`client_id\`) references \`client\` (\`id\`));`);
    this.addSql(`create index \`invitation_reseller_id_index\` on \`invitation\` (\`reseller_id\`);`);
    this.addSql(`create index \`invitation_client_id_index\` on \`invitation\` (\`client_id\`);`);
    this.addSql(`create index \`invitation_due_idx\` on \`invitation\` (\`status\`, \`next_attempt_at\`);`);
    this.addSql(`create index \`invitation_account_idx\` on \`invitation\` (\`account_id\`);`);

    this.addSql(`create table \`family\` (\`id\` text not null primary key, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`version\` integer not null default 1, \`reseller_id\` text not null, \`client_id\` text not null, \`name\` text not null, \`image_id\` text null, constraint \`family_reseller_id_foreign\` foreign key (\`reseller_id\`) references \`reseller\` (\`id\`), constraint \`family_client_id_foreign\` foreign key (\`client_id\`) references \`client\` (\`id\`), constraint \`family_image_id_foreign\` foreign key (\`image_id\`) references \`media\` (\`id\`) on delete set null);`);
    this.addSql(`create index \`family_reseller_id_index\` on \`family\` (\`reseller_id\`);`);
    this.addSql(`create index \`family_image_id_index\` on \`family\` (\`image_id\`);`);
    this.addSql(`create index \`family_client_idx\` on \`family\` (\`client_id\`);`);

    this.addSql(`create table \`account\` (\`id\` text not null primary key, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`version\` integer not null default 1, \`reseller_id\` text not null, \`client_id\` text not null, \`identifier_type\` text not null, \`identifier\` text not null, \`first_name\` text not null, \`locale\` text not null, \`picture_id\` text null, constraint \`account_reseller_id_foreign\` foreign key (\`reseller_id\`) references \`reseller\` (\`id\`), constraint \`account_client_id_foreign\` foreign key (\`client_id\`) references \`client\` (\`id\`), constraint \`account_picture_id_foreign\` foreign key (\`picture_id\`) references \`media\` (\`id\`) on delete set null);`);
    this.addSql(`create index \`account_reseller_id_index\` on \`account\` (\`reseller_id\`);`);
    this.addSql(`create index \`account_client_id_index\` on \`account\` (\`client_id\`);`);
    this.addSql(`create index \`account_picture_id_index\` on \`account\` (\`picture_id\`);`);
    this.addSql(`create unique index \`account_client_identifier_unique\` on \`account\` (\`client_id\`, \`identifier\`);`);

    this.addSql(`create table \`family_member\` (\`id\` text not null primary key, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`version\` integer not null default 1, \`reseller_id\` text not null, \`family_id\` text not null, \`account_id\` text not null, \`right\` text not null, \`role\` text not null, constraint \`family_member_reseller_id_foreign\` foreign key (\`reseller_id\`) references \`reseller\` (\`id\`), constraint \`family_member_family_id_foreign\` foreign key (\`family_id\`) references \`family\` (\`id\`), constraint \`family_member_account_id_foreign\` foreign key (\`account_id\`) references \`account\` (\`id\`));`);
    this.addSql(`create index \`family_member_reseller_id_index\` on \`family_member\` (\`reseller_id\`);`);
    this.addSql(`create index \`family_member_family_id_index\` on \`family_member\` (\`family_id\`);`);
    this.addSql(`create index \`family_member_account_idx\` on \`family_member\` (\`account_id\`);`);
    this.addSql(`create unique index \`family_member_unique\` on \`family_member\` (\`family_id\`, \`account_id\`);`);
    this.addSql(`create unique index \`family_member_one_founder\` on \`family_member\` (\`family_id\`) where \`right\` = 'super_admin';`);

    this.addSql(`create table \`account_role_grant\` (\`id\` text not null primary key, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`version\` integer not null default 1, \`reseller_id\` text not null, \`account_id\` text not null, \`role\` text not null, constraint \`account_role_grant_reseller_id_foreign\` foreign key (\`reseller_id\`) references \`reseller\` (\`id\`), constraint \`account_role_grant_account_id_foreign\` foreign key (\`account_id\`) references \`account\` (\`id\`));`);
    this.addSql(`create index \`account_role_grant_reseller_id_index\` on \`account_role_grant\` (\`reseller_id\`);`);
    this.addSql(`create index \`account_role_grant_account_id_index\` on \`account_role_grant\` (\`account_id\`);`);
    this.addSql(`create unique index \`account_role_grant_unique\` on \`account_role_grant\` (\`account_id\`, \`role\`);`);
  }

  override down(): void | Promise<void> {

    this.addSql(`drop table if exists \`media\`;`);
    this.addSql(`drop table if exists \`invitation\`;`);
    this.addSql(`drop table if exists \`family\`;`);
    this.addSql(`drop table if exists \`account\`;`);
    this.addSql(`drop table if exists \`family_member\`;`);
    this.addSql(`drop table if exists \`account_role_grant\`;`);
  }

}
