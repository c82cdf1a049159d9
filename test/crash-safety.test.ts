// Crash safety (issue 9, item 3): the real server process under a concurrent
// write load through the wire, killed with SIGKILL mid-flight, restarted on
// the same database. Every write the server acknowledged (HTTP 200) must be
// there; nothing half-written may be visible (a cascade is all or nothing, a
// charge exists exactly with its assignment, no orphaned rows); the SQLite file
// passes `pragma integrity_check` (read with node:sqlite, read-only). Runs on a SQLite file and on a fresh
// PostgreSQL database (where one answers).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import pg from 'pg';
import { createDatabase, hasPostgres, type DatabaseKind, type TestDatabase } from './support/databases.ts';
import { ADMIN_ID, ADMIN_SECRET, parseAnswer, type HttpAnswer } from './support/server.ts';

const ROOT = join(import.meta.dirname, '..');
const WORKERS = 6;
const DEVICES_PER_WORKER = 6;
/** The load is cut once this many writes were acknowledged (and many more are in flight). */
const KILL_AFTER_ACKS = 150;

interface Proc {
  child: ChildProcess;
  output: () => string;
  url: Promise<string>;
  exited: Promise<number | null>;
}

/** `npm start`'s entry point as its own process, as operators run it. */
function startProcess(databaseUrl: string): Proc {
  const child = spawn(process.execPath, ['server/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env, PORT: '0', HOST: '127.0.0.1', DATABASE_URL: databaseUrl, ADMIN_CLIENT_ID: ADMIN_ID, ADMIN_CLIENT_SECRET: ADMIN_SECRET,
      LOG_LEVEL: 'info', JOB_INTERVAL_MS: '3600000',
      // The write load is one credential as fast as the server takes it: the rate limit is not what this tests.
      RATE_LIMIT_PER_SECOND: '0',
    },
  });
  let out = '';
  child.stdout!.on('data', (d) => { out += d; });
  child.stderr!.on('data', (d) => { out += d; });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const line = out.split('\n').find((l) => l.includes('"listening"'));
      if (line) { clearInterval(timer); resolve(JSON.parse(line).url); }
    }, 20);
    exited.then((code) => { clearInterval(timer); reject(new Error(`server exited with ${code}: ${out}`)); });
  });
  return { child, output: () => out, url, exited };
}

/** Plain SQL on the database, outside the server: what is really stored. */
interface Db {
  all<T = any>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

async function openDb(kind: DatabaseKind, url: string): Promise<Db> {
  if (kind === 'sqlite') {
    // Node's own SQLite (the same library the server's driver embeds), read-only.
    const db = new DatabaseSync(url.slice('sqlite:'.length), { readOnly: true });
    return { all: async (sql, params = []) => db.prepare(sql).all(...(params as string[])).map((r) => ({ ...r })) as any[], close: async () => { db.close(); } };
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return {
    all: async (sql, params = []) => {
      let i = 0;
      return (await client.query(sql.replace(/\?/g, () => `$${++i}`), params)).rows;
    },
    close: () => client.end(),
  };
}

/** Which writes the server acknowledged during the load. */
interface Acks {
  clients: Set<string>;
  sites: Map<string, string>; // site -> client
  equipment: Map<string, string>; // equipment -> site
  families: Map<string, { clientId: string; accounts: string[]; deleteSent: boolean; deleteAcked: boolean }>;
  accounts: Set<string>;
  assignments: { clientId: string; accountId: string; deviceId: string; chargeIds: string[] }[];
  count: number;
}

const reasonOf = (a: HttpAnswer) => a.body?.details?.[0]?.debug?.reason;

for (const kind of ['sqlite', 'postgresql'] as const) {
  describe.skipIf(kind === 'postgresql' && !(await hasPostgres()))(`SIGKILL under a write load [${kind}]`, () => {
    let dir: string;
    let database: TestDatabase;
    const procs: Proc[] = [];
    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'crash-'));
      database = kind === 'sqlite'
        ? { url: `sqlite:${join(dir, 'crash.sqlite')}`, drop: async () => undefined }
        : await createDatabase('postgresql');
    });
    afterAll(async () => {
      for (const p of procs) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
      await database?.drop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('keeps every acknowledged write, shows nothing half-written, and the database checks clean', async () => {
      const first = startProcess(database.url);
      procs.push(first);
      const url = await first.url;
      const call = async (service: string, method: string, body: unknown, token?: string): Promise<HttpAnswer> => parseAnswer(await fetch(
        `${url}/reseller.v1.${service}/${method}`,
        { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) }));
      const ok = async (service: string, method: string, body: unknown, token: string) => {
        const answer = await call(service, method, body, token);
        expect(answer.status, `${method}: ${JSON.stringify(answer.body)}`).toBe(200);
        return answer.body;
      };

      // Set-up (before the load): a reseller, and per worker a client whose
      // account has softphone roles and linked devices waiting to be assigned.
      const admin = (await call('AuthService', 'CreateToken', { clientId: ADMIN_ID, clientSecret: ADMIN_SECRET })).body.accessToken;
      const resellerId = (await ok('AccessService', 'CreateReseller', { name: 'Crash test' }, admin)).reseller.resellerId;
      const credential = await ok('AccessService', 'CreateCredential', { role: 'ROLE_RESELLER', resellerId, displayName: 'crash' }, admin);
      const token = (await ok('AuthService', 'CreateToken', { clientId: credential.credential.clientId, clientSecret: credential.clientSecret }, '')).accessToken;
      const included = Number((await ok('CatalogService', 'GetOffering', { code: 'UC-SOFTPHONE-SEAT' }, token)).offering.includedQuantity);
      const deviceSets: { clientId: string; accountId: string; deviceIds: string[] }[] = [];
      for (let w = 0; w < WORKERS; w++) {
        const clientId = (await ok('ClientService', 'RegisterClient', { name: `Devices ${w}`, code: `DEV-${w}` }, token)).client.clientId;
        const siteId = (await ok('ClientService', 'CreateSite', { clientId, name: 'Office' }, token)).site.siteId;
        const deviceIds: string[] = [];
        for (let d = 0; d < DEVICES_PER_WORKER; d++) {
          await ok('ClientService', 'AddEquipment', { siteId, kind: 'EQUIPMENT_KIND_SOFTPHONE', pbxDeviceId: `pbx-${w}-${d}` }, token);
          deviceIds.push(`pbx-${w}-${d}`);
        }
        const accountId = (await ok('ProvisioningService', 'FoundFamily', {
          clientId, familyName: `Devices ${w}`, identifierType: 'IDENTIFIER_TYPE_LOGIN', identifier: `dev${w}`, firstName: 'Ann', locale: 'fr_FR',
        }, token)).account.accountId;
        for (const role of ['ACCOUNT_ROLE_CUSTOMER_USER_UC', 'ACCOUNT_ROLE_CUSTOMER_USER_UC_SOFTPHONE']) {
          await ok('ProvisioningService', 'GrantRole', { accountId, role }, token);
        }
        for (const deviceId of deviceIds) await ok('DeviceService', 'LinkDevice', { clientId, accountId, deviceId }, token);
        deviceSets.push({ clientId, accountId, deviceIds });
      }

      // The load: each worker repeats register, site, equipment, a family of
      // three accounts then its deletion (a cascade), and a charged assignment.
      const acks: Acks = { clients: new Set(), sites: new Map(), equipment: new Map(), families: new Map(), accounts: new Set(), assignments: [], count: 0 };
      let killed = false;
      let killAcks = 0;
      let inFlight = 0;
      let inFlightAtKill = 0;
      const ack = () => {
        acks.count++;
        if (!killed && acks.count >= KILL_AFTER_ACKS) {
          killed = true;
          killAcks = acks.count;
          inFlightAtKill = inFlight;
          first.child.kill('SIGKILL');
        }
      };
      /** A write: its body when acknowledged, undefined when refused or cut off. */
      const write = async (service: string, method: string, body: unknown): Promise<any> => {
        if (killed) throw new Error('stopped');
        inFlight++;
        const answer = await call(service, method, body, token).finally(() => { inFlight--; });
        if (answer.status !== 200) {
          // The server itself never fails a write of this load: only the kill may cut it.
          throw new Error(`${method} answered ${answer.status} ${reasonOf(answer)}: ${JSON.stringify(answer.body)}`);
        }
        return answer.body;
      };
      const unexpected: string[] = [];
      const worker = async (w: number) => {
        const devices = deviceSets[w]!;
        for (let i = 0; ; i++) {
          const client = (await write('ClientService', 'RegisterClient', { name: `Load ${w}.${i}`, code: `L-${w}-${i}` })).client;
          acks.clients.add(client.clientId); ack();
          const site = (await write('ClientService', 'CreateSite', { clientId: client.clientId, name: `Site ${i}` })).site;
          acks.sites.set(site.siteId, client.clientId); ack();
          for (let e = 0; e < 2; e++) {
            const equipment = (await write('ClientService', 'AddEquipment', { siteId: site.siteId, kind: 'EQUIPMENT_KIND_DESK_PHONE', serialNumber: `SN-${w}-${i}-${e}` })).equipment;
            acks.equipment.set(equipment.equipmentId, site.siteId); ack();
          }
          const founded = await write('ProvisioningService', 'FoundFamily', {
            clientId: client.clientId, familyName: `Family ${i}`, identifierType: 'IDENTIFIER_TYPE_LOGIN', identifier: `f${w}x${i}`, firstName: 'Homer', locale: 'en_US',
          });
          const family = { clientId: client.clientId, accounts: [founded.account.accountId as string], deleteSent: false, deleteAcked: false };
          acks.families.set(founded.family.familyId, family); acks.accounts.add(founded.account.accountId); ack();
          for (let a = 0; a < 2; a++) {
            const account = (await write('ProvisioningService', 'CreateAccount', {
              familyId: founded.family.familyId, identifierType: 'IDENTIFIER_TYPE_LOGIN', identifier: `m${w}x${i}x${a}`, firstName: 'Bart', locale: 'en_US',
            })).account;
            family.accounts.push(account.accountId); acks.accounts.add(account.accountId); ack();
          }
          // Every other family is deleted again: the cascade removes it and its three accounts.
          if (i % 2 === 0) {
            family.deleteSent = true;
            const deleted = await write('ProvisioningService', 'DeleteFamily', { familyId: founded.family.familyId });
            expect([...deleted.deletedAccountIds].sort()).toEqual([...family.accounts].sort());
            family.deleteAcked = true; ack();
          }
          const deviceId = devices.deviceIds[i];
          if (deviceId) {
            const assigned = await write('DeviceService', 'AssignDevice', {
              clientId: devices.clientId, accountId: devices.accountId, deviceId, clientType: 'SOFTPHONE_CLIENT_TYPE_DESKTOP', acceptCharges: true,
            });
            acks.assignments.push({ clientId: devices.clientId, accountId: devices.accountId, deviceId, chargeIds: assigned.charges.map((c: any) => c.chargeId) }); ack();
          }
        }
      };
      const results = await Promise.allSettled(Array.from({ length: WORKERS }, (_, w) => worker(w)));
      for (const r of results) {
        const message = r.status === 'rejected' ? String((r.reason as Error)?.message ?? r.reason) : 'a worker stopped without the kill';
        // fetch failing (connection reset/refused) or the stop flag: the kill; anything else is a bug.
        if (!/fetch failed|stopped|other side closed|ECONNRE|socket/i.test(message)) unexpected.push(message);
      }
      expect(unexpected, first.output()).toEqual([]);
      expect(killed).toBe(true);
      expect(await first.exited).toBeNull(); // killed by the signal, no exit code
      expect(first.child.signalCode).toBe('SIGKILL');
      expect(acks.count).toBeGreaterThanOrEqual(killAcks);
      // The kill landed mid-flight: other workers' writes were on the wire.
      expect(inFlightAtKill).toBeGreaterThan(0);

      // Straight after the crash, before any restart: the SQLite file as the
      // killed process left it (with its write-ahead log) is intact.
      if (kind === 'sqlite') {
        const db = await openDb(kind, database.url);
        try {
          expect(await db.all('pragma integrity_check')).toEqual([{ integrity_check: 'ok' }]);
          expect(await db.all('pragma foreign_key_check')).toEqual([]);
        } finally {
          await db.close();
        }
      }

      // Restart on the same database.
      const second = startProcess(database.url);
      procs.push(second);
      const url2 = await second.url;
      const call2 = async (service: string, method: string, body: unknown) => parseAnswer(await fetch(`${url2}/reseller.v1.${service}/${method}`, {
        method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body),
      }));

      const db = await openDb(kind, database.url);
      try {
        const ids = async (sql: string, params: unknown[] = []) => new Set((await db.all<{ id: string }>(sql, params)).map((r) => r.id));
        const clients = await ids('select id from client where reseller_id = ?', [resellerId]);
        const sites = await ids('select id from site where reseller_id = ?', [resellerId]);
        const equipment = await ids('select id from equipment where reseller_id = ?', [resellerId]);
        const families = await ids('select id from family where reseller_id = ?', [resellerId]);
        const accounts = await ids('select id from account where reseller_id = ?', [resellerId]);

        // 1. Every acknowledged write is present (and every acknowledged deletion is gone).
        for (const id of acks.clients) expect(clients.has(id), `client ${id}`).toBe(true);
        for (const id of acks.sites.keys()) expect(sites.has(id), `site ${id}`).toBe(true);
        for (const id of acks.equipment.keys()) expect(equipment.has(id), `equipment ${id}`).toBe(true);
        for (const [familyId, family] of acks.families) {
          if (family.deleteAcked) {
            expect(families.has(familyId), `deleted family ${familyId}`).toBe(false);
            for (const a of family.accounts) expect(accounts.has(a), `account ${a} of deleted family`).toBe(false);
          } else if (!family.deleteSent) {
            expect(families.has(familyId), `family ${familyId}`).toBe(true);
            for (const a of family.accounts) expect(accounts.has(a), `account ${a}`).toBe(true);
          } else {
            // 2. A cascade cut by the kill: all of it happened, or none of it.
            const present = [familyId, ...family.accounts].map((id) => (id === familyId ? families : accounts).has(id));
            expect(new Set(present).size, `cascade of family ${familyId}: ${present}`).toBe(1);
          }
        }
        // The server sees the same: an acknowledged client answers, with counts that match its rows.
        const sample = [...acks.clients].slice(0, 30);
        for (const clientId of sample) {
          const answer = await call2('ClientService', 'GetClient', { clientId });
          expect(answer.status, JSON.stringify(answer.body)).toBe(200);
          const [siteRows] = await db.all('select count(*) as n from site where client_id = ?', [clientId]);
          const [equipmentRows] = await db.all('select count(*) as n from equipment where client_id = ?', [clientId]);
          expect(answer.body.client.siteCount).toBe(Number(siteRows.n));
          expect(answer.body.client.equipmentCount).toBe(Number(equipmentRows.n));
          const ackedSites = [...acks.sites].filter(([, c]) => c === clientId).map(([s]) => s);
          expect(answer.body.client.sites.map((s: any) => s.siteId)).toEqual(expect.arrayContaining(ackedSites));
        }

        // 3. No orphans: nothing refers to a row that is gone.
        const orphans = await db.all(`
          select 'site' as kind, s.id from site s left join client c on c.id = s.client_id where c.id is null
          union all select 'equipment', e.id from equipment e left join site s on s.id = e.site_id where s.id is null
          union all select 'family_member/family', m.id from family_member m left join family f on f.id = m.family_id where f.id is null
          union all select 'family_member/account', m.id from family_member m left join account a on a.id = m.account_id where a.id is null
          union all select 'account without family', a.id from account a where not exists (select 1 from family_member m where m.account_id = a.id)
          union all select 'family without member', f.id from family f where not exists (select 1 from family_member m where m.family_id = f.id)
          union all select 'role grant', g.id from account_role_grant g left join account a on a.id = g.account_id where a.id is null
          union all select 'device link', l.id from device_link l left join account a on a.id = l.account_id where a.id is null`);
        expect(orphans).toEqual([]);
        // The counts kept in columns by the database's triggers agree with the rows, for every client and site.
        const wrongCounts = await db.all(`
          select 'client' as kind, c.id from client c where c.site_count <> (select count(*) from site s where s.client_id = c.id)
            or c.equipment_count <> (select count(*) from equipment e where e.client_id = c.id)
          union all select 'site', s.id from site s where s.equipment_count <> (select count(*) from equipment e where e.site_id = s.id)`);
        expect(wrongCounts).toEqual([]);

        // 4. Charges and assignments go together.
        const links = await db.all<{ client_id: string; account_id: string; pbx_device_id: string; client_type: string | null }>(`
          select l.client_id, l.account_id, e.pbx_device_id, l.client_type from device_link l join equipment e on e.id = l.equipment_id where l.reseller_id = ?`, [resellerId]);
        const charges = await db.all<{ id: string; client_id: string; account_id: string; device_id: string }>(
          'select id, client_id, account_id, device_id from charge where reseller_id = ?', [resellerId]);
        const chargeIds = new Set(charges.map((c) => c.id));
        for (const a of acks.assignments) {
          const link = links.find((l) => l.account_id === a.accountId && l.pbx_device_id === a.deviceId);
          expect(link?.client_type, `assignment of ${a.deviceId}`).toBe('desktop');
          for (const id of a.chargeIds) expect(chargeIds.has(id), `charge ${id}`).toBe(true);
        }
        for (const charge of charges) {
          const link = links.find((l) => l.account_id === charge.account_id && l.pbx_device_id === charge.device_id);
          expect(link?.client_type, `charge ${charge.id} without its assignment`).toBe('desktop');
        }
        for (const set of deviceSets) {
          const assigned = links.filter((l) => l.client_id === set.clientId && l.client_type !== null).length;
          const charged = charges.filter((c) => c.client_id === set.clientId).length;
          expect(charged, `charges of client ${set.clientId}`).toBe(Math.max(0, assigned - included));
        }

        // 5. The audit trail was written with each change: every stored client has its creation event.
        const audited = await ids(`select object_id as id from audit_event where object_type = 'Client' and action = 'create'`);
        for (const id of clients) expect(audited.has(id), `audit event of client ${id}`).toBe(true);
      } finally {
        await db.close();
      }

      // The restarted server takes writes again, then stops cleanly.
      expect((await call2('ClientService', 'RegisterClient', { name: 'After the crash', code: 'AFTER' })).status).toBe(200);
      second.child.kill('SIGTERM');
      expect(await second.exited, second.output()).toBe(0);
      if (kind === 'sqlite') {
        const after = await openDb(kind, database.url);
        try {
          expect(await after.all('pragma integrity_check')).toEqual([{ integrity_check: 'ok' }]);
        } finally {
          await after.close();
        }
      }
      // For the record: how much was acknowledged before the kill.
      console.info(`[${kind}] acknowledged before SIGKILL: ${acks.count} writes, ${inFlightAtKill} in flight at the kill (${acks.clients.size} clients, ${acks.sites.size} sites, ` +
        `${acks.equipment.size} equipment, ${acks.families.size} families of which ${[...acks.families.values()].filter((f) => f.deleteAcked).length} deleted, ` +
        `${acks.assignments.length} assignments)`);
    }, 120_000);
  });
}
