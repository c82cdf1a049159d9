// GetFamily through one prepared statement (server/platform/data/reads.ts): the
// family, its members with their accounts, and the accounts' role grants, read
// as the ORM reads them in familyView (the same tenant conditions, the same
// order) and handed to the same familyMessage, without the ORM's three queries,
// hydration and identity map.
//
// The tenant rules are the ORM's, condition for condition (its queries logged
// with a reseller's filter): the family, its members, their accounts and
// grants carry `reseller_id = ?`; the family's and each account's client must
// be the reseller's too (inner joins), and an image or picture of another
// reseller reads as none (left joins). Staff read with no condition at all.
import type { Reads } from '../platform/data/reads.ts';
import { familyNotFound } from './provisioning.repository.ts';
import type { AccountRoleName, FamilyRightName, IdentifierTypeName } from './provisioning.entity.ts';

interface FamilyRow {
  id: string;
  client_id: string;
  name: string;
  image_id: string | null;
  created_at: unknown;
  updated_at: unknown;
  version: number;
  member_id: string | null;
  member_right: FamilyRightName;
  member_role: string;
  member_created_at: unknown;
  account_id: string | null;
  account_client_id: string;
  identifier_type: IdentifierTypeName;
  identifier: string;
  first_name: string;
  locale: string;
  picture_id: string | null;
  account_created_at: unknown;
  account_updated_at: unknown;
  account_version: number;
  grant_role: AccountRoleName | null;
  /** Null when the member's account (or, for a reseller, the account's client) is not visible: the ORM's inner joins drop that member. */
  account_visible: string | null;
}

const MEMBER_COLUMNS = `fm.id as member_id, fm."right" as member_right, fm.role as member_role, fm.created_at as member_created_at,
  a.id as account_id, a.client_id as account_client_id, a.identifier_type, a.identifier, a.first_name, a.locale,
  a.created_at as account_created_at, a.updated_at as account_updated_at, a.version as account_version,
  g.role as grant_role`;

// One row a member and grant (a member without grants: one row, grant_role
// null; a family without members: one row of nulls), in the ORM's order:
// members by join time then id, each account's roles by name.
const ORDER = 'order by fm.created_at asc, fm.id asc, g.role asc';

const FAMILY_FOR_STAFF = `select f.id, f.client_id, f.name, f.image_id, f.created_at, f.updated_at, f.version,
  ${MEMBER_COLUMNS}, a.picture_id, a.id as account_visible
  from family f
  left join family_member fm on fm.family_id = f.id
  left join account a on a.id = fm.account_id
  left join account_role_grant g on g.account_id = a.id
  where f.id = ? ${ORDER}`;

// For a reseller: every `?` is the reseller's id but `f.id = ?`, the family's.
// The left joins keep the family row whatever its members are; a member row
// whose account or account's client is another reseller's comes back with
// account_visible null and is dropped (the ORM's inner joins).
const FAMILY_OF_RESELLER = `select f.id, f.client_id, f.name, i.id as image_id, f.created_at, f.updated_at, f.version,
  ${MEMBER_COLUMNS}, p.id as picture_id, ac.id as account_visible
  from family f
  join client c on c.id = f.client_id and c.reseller_id = ?
  left join media i on i.id = f.image_id and i.reseller_id = ?
  left join family_member fm on fm.family_id = f.id and fm.reseller_id = ?
  left join account a on a.id = fm.account_id and a.reseller_id = ?
  left join client ac on ac.id = a.client_id and ac.reseller_id = ?
  left join media p on p.id = a.picture_id and p.reseller_id = ?
  left join account_role_grant g on g.account_id = a.id and g.reseller_id = ?
  where f.id = ? and f.reseller_id = ? ${ORDER}`;

const ref = (id: string | null) => (id === null ? null : { id });

/** GetFamily's view (what familyView gives the ORM path), or FAMILY_NOT_FOUND. `resellerId` null: staff. */
export async function readFamily(reads: Reads, id: string, resellerId: string | null) {
  const rows = resellerId
    ? await reads.all<FamilyRow>(FAMILY_OF_RESELLER, [...Array<string>(7).fill(resellerId), id, resellerId])
    : await reads.all<FamilyRow>(FAMILY_FOR_STAFF, [id]);
  const first = rows[0];
  if (!first) throw familyNotFound(id);
  const family = {
    id: first.id, client: { id: first.client_id }, name: first.name, image: ref(first.image_id),
    createdAt: reads.date(first.created_at), updatedAt: reads.date(first.updated_at), version: first.version,
  };
  const members = [];
  const roles = new Map<string, AccountRoleName[]>();
  for (const row of rows) {
    if (row.member_id === null || row.account_id === null || row.account_visible === null) continue;
    let granted = roles.get(row.account_id);
    if (!granted) {
      granted = [];
      roles.set(row.account_id, granted);
      members.push({
        right: row.member_right, role: row.member_role, createdAt: reads.date(row.member_created_at),
        account: {
          id: row.account_id, client: { id: row.account_client_id }, identifierType: row.identifier_type, identifier: row.identifier,
          firstName: row.first_name, locale: row.locale, picture: ref(row.picture_id),
          createdAt: reads.date(row.account_created_at), updatedAt: reads.date(row.account_updated_at), version: row.account_version,
        },
      });
    }
    if (row.grant_role !== null) granted.push(row.grant_role);
  }
  return { family, members, roles };
}
