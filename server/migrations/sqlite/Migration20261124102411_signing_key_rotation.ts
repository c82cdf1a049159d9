import { Migration } from '@mikro-orm/migrations';

export class Migration20261124102411_signing_key_rotation extends Migration {

  override name = 'Migration20261124102411_signing_key_rotation';

  override up(): void | Promise<void> {
    this.addSql(`alter table \`signing_key\` add column \`retired_at\` datetime null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table \`signing_key\` drop column \`retired_at\`;`);
  }

}
