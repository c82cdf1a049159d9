import { Migration } from '@mikro-orm/migrations';

export class Migration20261124080516_catalog_interfaces extends Migration {

  override name = 'Migration20261124080516_catalog_interfaces';

  override up(): void | Promise<void> {
    this.addSql(`create table \`offering\` (\`id\` text not null primary key, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`version\` integer not null default 1, \`code\` text not null, \`name\` text not null, \`short_description\` text not null, \`long_description\` text not null, \`price_minor\` integer not null, \`currency\` text not null, \`kind\` text not null, \`billing_period\` text not null, \`associated_codes\` json not null, \`project_form\` integer not null, \`retired_at\` datetime null);`);
    this.addSql(`create unique index \`offering_code_unique\` on \`offering\` (\`code\`);`);

    this.addSql(`create table \`shop_interface\` (\`id\` text not null primary key, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`version\` integer not null default 1, \`reseller_id\` text not null, \`guid\` text not null, \`status\` text not null, \`subdomain\` text null, \`url\` text null, \`admin_url\` text null, \`form_url\` text null, \`contact_last_name\` text not null, \`contact_first_name\` text not null, \`contact_company\` text not null, \`contact_address\` text not null, \`contact_postal_code\` text not null, \`contact_city\` text not null, \`contact_country\` text not null, \`contact_phone\` text not null, \`contact_email\` text not null, \`contact_rcs\` text not null, \`contact_ape\` text not null, \`install_due_at\` datetime not null, \`installed_at\` datetime null, \`deletion_requested_at\` datetime null, \`access_end_at\` datetime null, \`deletion_at\` datetime null, \`deleted_at\` datetime null, \`reactivated_at\` datetime null, constraint \`shop_interface_reseller_id_foreign\` foreign key (\`reseller_id\`) references \`reseller\` (\`id\`));`);
    this.addSql(`create index \`shop_interface_reseller_id_index\` on \`shop_interface\` (\`reseller_id\`);`);
    this.addSql(`create index \`shop_interface_reseller_created_idx\` on \`shop_interface\` (\`reseller_id\`, \`created_at\`, \`id\`);`);
    this.addSql(`create index \`shop_interface_created_idx\` on \`shop_interface\` (\`created_at\`, \`id\`);`);
    this.addSql(`create index \`shop_interface_status_install_idx\` on \`shop_interface\` (\`status\`, \`install_due_at\`);`);
    this.addSql(`create index \`shop_interface_status_deletion_idx\` on \`shop_interface\` (\`status\`, \`deletion_at\`);`);
    this.addSql(`create unique index \`shop_interface_reseller_guid_unique\` on \`shop_interface\` (\`reseller_id\`, \`guid\`);`);
    this.addSql(`create unique index \`shop_interface_subdomain_unique\` on \`shop_interface\` (\`subdomain\`);`);

    this.addSql(`create table \`interface_offering_line\` (\`id\` text not null primary key, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`version\` integer not null default 1, \`reseller_id\` text not null, \`shop_interface_id\` text not null, \`offering_id\` text not null, \`position\` integer not null, \`cancelled_at\` datetime null, \`form_url\` text null, constraint \`interface_offering_line_reseller_id_foreign\` foreign key (\`reseller_id\`) references \`reseller\` (\`id\`), constraint \`interface_offering_line_shop_interface_id_foreign\` foreign key (\`shop_interface_id\`) references \`shop_interface\` (\`id\`), constraint \`interface_offering_line_offering_id_foreign\` foreign key (\`offering_id\`) references \`offering\` (\`id\`));`);
    this.addSql(`create index \`interface_offering_line_reseller_id_index\` on \`interface_offering_line\` (\`reseller_id\`);`);
    this.addSql(`create index \`interface_offering_line_shop_interface_id_index\` on \`interface_offering_line\` (\`shop_interface_id\`);`);
    this.addSql(`create index \`interface_offering_line_offering_id_index\` on \`interface_offering_line\` (\`offering_id\`);`);
    this.addSql(`create index \`interface_offering_line_interface_position_idx\` on \`interface_offering_line\` (\`shop_interface_id\`, \`position\`);`);

    this.addSql(`create table \`interface_event\` (\`id\` text not null primary key, \`reseller_id\` text not null, \`shop_interface_id\` text not null, \`kind\` text not null, \`occurred_at\` datetime not null, constraint \`interface_event_reseller_id_foreign\` foreign key (\`reseller_id\`) references \`reseller\` (\`id\`), constraint \`interface_event_shop_interface_id_foreign\` foreign key (\`shop_interface_id\`) references \`shop_interface\` (\`id\`));`);
    this.addSql(`create index \`interface_event_reseller_id_index\` on \`interface_event\` (\`reseller_id\`);`);
    this.addSql(`create index \`interface_event_shop_interface_id_index\` on \`interface_event\` (\`shop_interface_id\`);`);
    this.addSql(`create index \`interface_event_interface_idx\` on \`interface_event\` (\`shop_interface_id\`, \`occurred_at\`);`);

    this.addSql(`create table \`smartphone\` (\`id\` text not null primary key, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`version\` integer not null default 1, \`sku\` text not null, \`brand\` text not null, \`brand_lower\` text not null, \`model\` text not null, \`price_minor\` integer not null, \`currency\` text not null, \`storage_gb\` integer not null, \`colour\` text not null, \`availability\` text not null, \`search_text\` text not null);`);
    this.addSql(`create index \`smartphone_brand_sku_idx\` on \`smartphone\` (\`brand_lower\`, \`sku\`);`);
    this.addSql(`create unique index \`smartphone_sku_unique\` on \`smartphone\` (\`sku\`);`);
  }

  override down(): void | Promise<void> {

    this.addSql(`drop table if exists \`offering\`;`);
    this.addSql(`drop table if exists \`shop_interface\`;`);
    this.addSql(`drop table if exists \`interface_offering_line\`;`);
    this.addSql(`drop table if exists \`interface_event\`;`);
    this.addSql(`drop table if exists \`smartphone\`;`);
  }

}
