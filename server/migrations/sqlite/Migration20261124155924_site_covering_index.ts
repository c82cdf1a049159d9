import { Migration } from '@mikro-orm/migrations';

export class Migration20261124155924_site_covering_index extends Migration {

  override name = 'Migration20261124155924_site_covering_index';

  override up(): void | Promise<void> {
    this.addSql(`create index \`site_client_name_covering_idx\` on \`site\` (\`client_id\`, \`name\`, \`id\`, \`created_at\`, \`version\`);`);
    this.addSql(`drop index \`site_client_name_idx\`;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`create index \`site_client_name_idx\` on \`site\` (\`client_id\`, \`name\`, \`id\`);`);
    this.addSql(`drop index \`site_client_name_covering_idx\`;`);
  }

}
