import { Migration } from '@mikro-orm/migrations';

export class Migration20261203092039_token_issue extends Migration {

  override name = 'Migration20261203092039_token_issue';

  override up(): void | Promise<void> {
    this.addSql(`create table "token_issue" ("client_id" varchar(64) not null, "window_start" bigint not null, "issued" int not null, primary key ("client_id"));`);
    this.addSql(`create index "token_issue_window_start_index" on "token_issue" ("window_start");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "token_issue" cascade;`);
  }
}
