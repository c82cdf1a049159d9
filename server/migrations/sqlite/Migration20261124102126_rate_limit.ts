import { Migration } from '@mikro-orm/migrations';

export class Migration20261124102126_rate_limit extends Migration {

  override name = 'Migration20261124102126_rate_limit';

  override up(): void | Promise<void> {
    this.addSql(`create table \`login_throttle\` (\`key\` text not null primary key, \`failures\` integer not null, \`last_failure_at\` bigint not null, \`blocked_until\` bigint null);`);
    this.addSql(`create index \`login_throttle_last_failure_at_index\` on \`login_throttle\` (\`last_failure_at\`);`);

    this.addSql(`create table \`rate_limit_window\` (\`credential_id\` text not null, \`window_start\` bigint not null, \`count\` integer not null, primary key (\`credential_id\`, \`window_start\`));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists \`login_throttle\`;`);
    this.addSql(`drop table if exists \`rate_limit_window\`;`);
  }

}
