// Helpers for the provisioning tests: families and accounts made through the
// real wire, a few image files, and direct counts of what is stored (to check
// that a refused request left nothing behind).
import { expect } from 'vitest';
import type { Em } from '../../server/platform/data/database.ts';
import type { TestReseller, TestServer } from './server.ts';

/** A 1x1 transparent PNG. */
export const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
/** The start of a JPEG/JFIF file: what the type check reads. */
export const JPEG = Buffer.concat([
  Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF\0'), Buffer.from([1, 1, 0, 0, 1, 0, 1, 0, 0]),
  Buffer.from('jpeg picture body'), Buffer.from([0xff, 0xd9]),
]);
/** A GIF: a real image type, but not one we accept. */
export const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

export const UNKNOWN = '01890000-0000-7000-8000-000000000000';

export function detailOf(body: any): any {
  return body.details?.[0]?.debug;
}

export function reasonOf(body: any): string {
  return detailOf(body)?.reason;
}

export function legacyOf(body: any): number {
  return detailOf(body)?.legacyCode;
}

export function fieldsOf(body: any): string[] {
  return (detailOf(body)?.fieldViolations ?? []).map((v: any) => v.field);
}

let counter = 0;
/** A fresh identifier so that tests never collide. */
export function unique(prefix = 'user'): string {
  return `${prefix}${process.pid}x${++counter}`;
}

export function uniqueEmail(): string {
  return `${unique()}@example.com`;
}

export function uniqueMsisdn(): string {
  return `+336${String(10_000_000 + ((process.pid * 1000 + ++counter) % 89_999_999)).padStart(8, '0')}`;
}

export interface Provisioning {
  call(method: string, body: unknown, token?: string): Promise<{ status: number; body: any; headers: Headers }>;
  /** FoundFamily with a fresh email identifier; returns { family, account }. */
  found(clientId: string, fields?: Record<string, unknown>, token?: string): Promise<{ family: any; account: any }>;
  /** CreateAccount in a family with a fresh email identifier; returns the account. */
  createAccount(familyId: string, fields?: Record<string, unknown>, token?: string): Promise<any>;
  registerClient(code: string, reseller?: TestReseller): Promise<string>;
}

export function provisioning(server: TestServer, reseller: TestReseller): Provisioning {
  const call: Provisioning['call'] = (method, body, token = reseller.token) => server.call('ProvisioningService', method, body, token);
  return {
    call,
    async found(clientId, fields = {}, token) {
      const answer = await call('FoundFamily', {
        clientId, familyName: 'Simpson', identifierType: 'IDENTIFIER_TYPE_EMAIL', identifier: uniqueEmail(),
        firstName: 'Homer', locale: 'en_US', ...fields,
      }, token);
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      return answer.body;
    },
    async createAccount(familyId, fields = {}, token) {
      const answer = await call('CreateAccount', {
        familyId, identifierType: 'IDENTIFIER_TYPE_EMAIL', identifier: uniqueEmail(), firstName: 'Marge', locale: 'fr_FR', ...fields,
      }, token);
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      return answer.body.account;
    },
    async registerClient(code, owner = reseller) {
      const answer = await server.call('ClientService', 'RegisterClient', { name: `Client ${code}`, code }, owner.token);
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      return answer.body.client.clientId;
    },
  };
}

/** Rows of a table for one client: to prove a refused request stored nothing. */
export async function countRows(server: TestServer, table: string, clientId: string): Promise<number> {
  const em = server.app.orm.em.fork() as Em;
  const column = table === 'family_member' ? 'family_id in (select id from family where client_id = ?)' : 'client_id = ?';
  const rows = await em.getConnection().execute<{ n: number | string }[]>(`select count(*) as n from ${table} where ${column}`, [clientId]);
  return Number(rows[0]!.n);
}

export async function storedState(server: TestServer, clientId: string) {
  const state: Record<string, number> = {};
  for (const table of ['account', 'family', 'family_member', 'media', 'invitation']) state[table] = await countRows(server, table, clientId);
  return state;
}

export interface InvitationRow {
  account_id: string;
  channel: string;
  recipient: string;
  status: string;
  attempts: number;
  delivered_via: string | null;
}

export async function invitationsOf(server: TestServer, accountId: string): Promise<InvitationRow[]> {
  const em = server.app.orm.em.fork() as Em;
  return em.getConnection().execute<InvitationRow[]>(
    'select account_id, channel, recipient, status, attempts, delivered_via from invitation where account_id = ? order by created_at', [accountId]);
}
