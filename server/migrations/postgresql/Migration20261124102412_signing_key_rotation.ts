import { Migration } from '@mikro-orm/migrations';

export class Migration20261124102412_signing_key_rotation extends Migration {

  override name = 'Migration20261124102412_signing_key_rotation';

  override up(): void | Promise<void> {
    this.addSql(`alter table "signing_key" add "retired_at" timestamptz null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "signing_key" drop column "retired_at";`);
  }

}
