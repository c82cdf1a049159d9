import { raw } from '@mikro-orm/core';
import { Migration } from '@mikro-orm/migrations';

// Frozen copies of platform/core/text.ts's fold() as it was when this
// migration was written: a migration must fill the same keys whatever that
// file becomes later.
const LIGATURES: Record<string, string> = { œ: 'oe', æ: 'ae', ß: 'ss', ø: 'o', đ: 'd', ł: 'l', ı: 'i' };
function fold(text: string, max: number): string {
  const folded = text.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase().replace(/[œæßøđłı]/g, (c) => LIGATURES[c]!);
  return folded.length > max ? folded.slice(0, max) : folded;
}
function joined(max: number, ...parts: (string | null | undefined)[]): string {
  return fold(parts.filter((part): part is string => !!part).join(' '), max);
}

type Rows = Record<string, any>[];

// The staff console (issue 19): keys that ignore case and accents for search
// and name sorting, kept in columns by the writes (platform/core/text.ts) and
// filled here for the rows that exist; and each audit event's label.
//   client.search_text  name and code folded (was lower-cased only)
//   client.name_key     the name folded: ListClients' order by name
//   reseller.name_lower the name folded (was lower-cased only)
//   account.search_text identifier and first name folded: ListAccounts' query
//   family.name_key     the name folded: ListFamilies' order and query
//   shop_interface.search_text guid, subdomain and customer company folded
//   audit_event.label   the object's name or code at the time of the event
export class Migration20261203064741_console_search_and_labels extends Migration {

  override name = 'Migration20261203064741_console_search_and_labels';

  override async up(): Promise<void> {
    // Read before the columns are added: execute() runs now, addSql() after up().
    const clients = await this.execute('select id, name, code from `client`') as Rows;
    const resellers = await this.execute('select id, name from `reseller`') as Rows;
    const accounts = await this.execute('select id, identifier, first_name from `account`') as Rows;
    const families = await this.execute('select id, name from `family`') as Rows;
    const interfaces = await this.execute('select id, guid, subdomain, contact_company from `shop_interface`') as Rows;

    this.addSql(`alter table \`audit_event\` add column \`label\` text null;`);

    this.addSql(`drop index \`client_reseller_name_idx\`;`);
    this.addSql(`alter table \`client\` add column \`name_key\` text not null default '';`);
    this.addSql(`create index \`client_reseller_name_key_idx\` on \`client\` (\`reseller_id\`, \`name_key\`, \`id\`);`);
    this.addSql(`create index \`client_name_key_idx\` on \`client\` (\`name_key\`, \`id\`);`);

    this.addSql(`alter table \`family\` add column \`name_key\` text not null default '';`);
    this.addSql(`create index \`family_client_name_key_idx\` on \`family\` (\`client_id\`, \`name_key\`, \`id\`);`);

    this.addSql(`alter table \`account\` add column \`search_text\` text not null default '';`);

    this.addSql(`alter table \`shop_interface\` add column \`search_text\` text not null default '';`);

    for (const c of clients) {
      this.addSql(raw('update `client` set `search_text` = ?, `name_key` = ? where `id` = ?', [joined(270, c.name, c.code), fold(c.name, 200), c.id]));
    }
    for (const r of resellers) this.addSql(raw('update `reseller` set `name_lower` = ? where `id` = ?', [fold(r.name, 200), r.id]));
    for (const a of accounts) this.addSql(raw('update `account` set `search_text` = ? where `id` = ?', [joined(360, a.identifier, a.first_name), a.id]));
    for (const f of families) this.addSql(raw('update `family` set `name_key` = ? where `id` = ?', [fold(f.name, 100), f.id]));
    for (const i of interfaces) {
      this.addSql(raw('update `shop_interface` set `search_text` = ? where `id` = ?', [joined(400, i.guid, i.subdomain, i.contact_company), i.id]));
    }
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table \`account\` drop column \`search_text\`;`);
    this.addSql(`alter table \`audit_event\` drop column \`label\`;`);
    this.addSql(`drop index \`client_reseller_name_key_idx\`;`);
    this.addSql(`drop index \`client_name_key_idx\`;`);
    this.addSql(`alter table \`client\` drop column \`name_key\`;`);
    this.addSql(`create index \`client_reseller_name_idx\` on \`client\` (\`reseller_id\`, \`name\`, \`id\`);`);
    this.addSql(`drop index \`family_client_name_key_idx\`;`);
    this.addSql(`alter table \`family\` drop column \`name_key\`;`);
    this.addSql(`alter table \`shop_interface\` drop column \`search_text\`;`);
  }

}
