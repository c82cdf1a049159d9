import { Migration } from '@mikro-orm/migrations';

// A client's site and equipment counts and a site's equipment count, kept in
// columns by triggers instead of counted on every read (ListClients counted
// two subqueries a row: about 15 % of the call). The triggers run in the
// writing transaction, so a count is never ahead of or behind its rows, on
// every write path (the API's, plain SQL, a fix by hand).
export class Migration20261124163837_counts_in_columns extends Migration {

  override name = 'Migration20261124163837_counts_in_columns';

  override up(): void | Promise<void> {
    this.addSql(`alter table \`client\` add column \`site_count\` integer not null default 0;`);
    this.addSql(`alter table \`client\` add column \`equipment_count\` integer not null default 0;`);

    this.addSql(`drop index \`site_client_name_covering_idx\`;`);
    this.addSql(`alter table \`site\` add column \`equipment_count\` integer not null default 0;`);

    this.addSql(`update \`client\` set \`site_count\` = (select count(*) from \`site\` s where s.\`client_id\` = \`client\`.\`id\`), \`equipment_count\` = (select count(*) from \`equipment\` e where e.\`client_id\` = \`client\`.\`id\`);`);
    this.addSql(`update \`site\` set \`equipment_count\` = (select count(*) from \`equipment\` e where e.\`site_id\` = \`site\`.\`id\`);`);
    this.addSql(`create index \`site_client_name_covering_idx\` on \`site\` (\`client_id\`, \`name\`, \`id\`, \`created_at\`, \`version\`, \`equipment_count\`);`);

    this.addSql(`create trigger \`site_counts_insert\` after insert on \`site\` begin
      update \`client\` set \`site_count\` = \`site_count\` + 1 where \`id\` = new.\`client_id\`;
    end;`);
    this.addSql(`create trigger \`site_counts_delete\` after delete on \`site\` begin
      update \`client\` set \`site_count\` = \`site_count\` - 1 where \`id\` = old.\`client_id\`;
    end;`);
    this.addSql(`create trigger \`site_counts_move\` after update of \`client_id\` on \`site\` when old.\`client_id\` is not new.\`client_id\` begin
      update \`client\` set \`site_count\` = \`site_count\` - 1 where \`id\` = old.\`client_id\`;
      update \`client\` set \`site_count\` = \`site_count\` + 1 where \`id\` = new.\`client_id\`;
    end;`);
    this.addSql(`create trigger \`equipment_counts_insert\` after insert on \`equipment\` begin
      update \`client\` set \`equipment_count\` = \`equipment_count\` + 1 where \`id\` = new.\`client_id\`;
      update \`site\` set \`equipment_count\` = \`equipment_count\` + 1 where \`id\` = new.\`site_id\`;
    end;`);
    this.addSql(`create trigger \`equipment_counts_delete\` after delete on \`equipment\` begin
      update \`client\` set \`equipment_count\` = \`equipment_count\` - 1 where \`id\` = old.\`client_id\`;
      update \`site\` set \`equipment_count\` = \`equipment_count\` - 1 where \`id\` = old.\`site_id\`;
    end;`);
    this.addSql(`create trigger \`equipment_counts_move\` after update of \`client_id\`, \`site_id\` on \`equipment\`
      when old.\`client_id\` is not new.\`client_id\` or old.\`site_id\` is not new.\`site_id\` begin
      update \`client\` set \`equipment_count\` = \`equipment_count\` - 1 where \`id\` = old.\`client_id\`;
      update \`client\` set \`equipment_count\` = \`equipment_count\` + 1 where \`id\` = new.\`client_id\`;
      update \`site\` set \`equipment_count\` = \`equipment_count\` - 1 where \`id\` = old.\`site_id\`;
      update \`site\` set \`equipment_count\` = \`equipment_count\` + 1 where \`id\` = new.\`site_id\`;
    end;`);
  }

  override down(): void | Promise<void> {
    for (const trigger of ['site_counts_insert', 'site_counts_delete', 'site_counts_move', 'equipment_counts_insert', 'equipment_counts_delete', 'equipment_counts_move']) {
      this.addSql(`drop trigger \`${trigger}\`;`);
    }
    this.addSql(`alter table \`client\` drop column \`site_count\`;`);
    this.addSql(`alter table \`client\` drop column \`equipment_count\`;`);

    this.addSql(`drop index \`site_client_name_covering_idx\`;`);
    this.addSql(`alter table \`site\` drop column \`equipment_count\`;`);
    this.addSql(`create index \`site_client_name_covering_idx\` on \`site\` (\`client_id\`, \`name\`, \`id\`, \`created_at\`, \`version\`);`);
  }

}
