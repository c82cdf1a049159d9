import { Migration } from '@mikro-orm/migrations';

// A client's site and equipment counts and a site's equipment count, kept in
// columns by triggers instead of counted on every read (see the SQLite twin).
// Lock order: a trigger updates the client's row before the site's, on every
// path, so two writers on one client wait for each other rather than deadlock.
export class Migration20261124163837_counts_in_columns extends Migration {

  override name = 'Migration20261124163837_counts_in_columns';

  override up(): void | Promise<void> {
    this.addSql(`alter table "client" add "site_count" int not null default 0, add "equipment_count" int not null default 0;`);

    this.addSql(`drop index "site_client_name_covering_idx";`);
    this.addSql(`alter table "site" add "equipment_count" int not null default 0;`);

    this.addSql(`update "client" set "site_count" = (select count(*) from "site" s where s."client_id" = "client"."id"), "equipment_count" = (select count(*) from "equipment" e where e."client_id" = "client"."id");`);
    this.addSql(`update "site" set "equipment_count" = (select count(*) from "equipment" e where e."site_id" = "site"."id");`);
    this.addSql(`create index "site_client_name_covering_idx" on "site" ("client_id", "name", "id", "created_at", "version", "equipment_count");`);

    this.addSql(`create function "site_counts"() returns trigger language plpgsql as $$
    begin
      if tg_op in ('DELETE', 'UPDATE') then
        update "client" set "site_count" = "site_count" - 1 where "id" = old."client_id";
      end if;
      if tg_op in ('INSERT', 'UPDATE') then
        update "client" set "site_count" = "site_count" + 1 where "id" = new."client_id";
      end if;
      return null;
    end $$;`);
    this.addSql(`create trigger "site_counts" after insert or delete on "site" for each row execute function "site_counts"();`);
    this.addSql(`create trigger "site_counts_move" after update of "client_id" on "site" for each row
      when (old."client_id" is distinct from new."client_id") execute function "site_counts"();`);

    this.addSql(`create function "equipment_counts"() returns trigger language plpgsql as $$
    begin
      if tg_op in ('DELETE', 'UPDATE') then
        update "client" set "equipment_count" = "equipment_count" - 1 where "id" = old."client_id";
      end if;
      if tg_op in ('INSERT', 'UPDATE') then
        update "client" set "equipment_count" = "equipment_count" + 1 where "id" = new."client_id";
      end if;
      if tg_op in ('DELETE', 'UPDATE') then
        update "site" set "equipment_count" = "equipment_count" - 1 where "id" = old."site_id";
      end if;
      if tg_op in ('INSERT', 'UPDATE') then
        update "site" set "equipment_count" = "equipment_count" + 1 where "id" = new."site_id";
      end if;
      return null;
    end $$;`);
    this.addSql(`create trigger "equipment_counts" after insert or delete on "equipment" for each row execute function "equipment_counts"();`);
    this.addSql(`create trigger "equipment_counts_move" after update of "client_id", "site_id" on "equipment" for each row
      when (old."client_id" is distinct from new."client_id" or old."site_id" is distinct from new."site_id") execute function "equipment_counts"();`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop trigger "equipment_counts_move" on "equipment";`);
    this.addSql(`drop trigger "equipment_counts" on "equipment";`);
    this.addSql(`drop function "equipment_counts"();`);
    this.addSql(`drop trigger "site_counts_move" on "site";`);
    this.addSql(`drop trigger "site_counts" on "site";`);
    this.addSql(`drop function "site_counts"();`);
    this.addSql(`alter table "client" drop column "site_count", drop column "equipment_count";`);

    this.addSql(`drop index "site_client_name_covering_idx";`);
    this.addSql(`alter table "site" drop column "equipment_count";`);
    this.addSql(`create index "site_client_name_covering_idx" on "site" ("client_id", "name", "id", "created_at", "version");`);
  }

}
