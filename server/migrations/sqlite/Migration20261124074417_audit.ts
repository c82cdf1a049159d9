import { Migration } from '@mikro-orm/migrations';

export class Migration20261124074417_audit extends Migration {

  override name = 'Migration20261124074417_audit';

  override up(): void | Promise<void> {
    this.addSql(`create table \`audit_event\` (\`id\` text not null primary key, \`time\` datetime not null, \`request_id\` text not null, \`actor_credential_id\` text null, \`actor_client_id\` text not null, \`reseller_id\` text null, \`method\` text not null, \`object_type\` text not null, \`object_id\` text not null, \`action\` text not null, \`changed_fields\` json not null);`);
    this.addSql(`create index \`audit_event_time_idx\` on \`audit_event\` (\`time\`, \`id\`);`);
    this.addSql(`create index \`audit_event_reseller_time_idx\` on \`audit_event\` (\`reseller_id\`, \`time\`, \`id\`);`);
    this.addSql(`create index \`audit_event_object_idx\` on \`audit_event\` (\`object_type\`, \`object_id\`, \`time\`);`);
    this.addSql(`create index \`audit_event_actor_idx\` on \`audit_event\` (\`actor_credential_id\`, \`time\`);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists \`audit_event\`;`);
  }

}
