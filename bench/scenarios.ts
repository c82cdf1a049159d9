// What the bench measures, as data. A scenario names the server that answers it
// and the calls it makes; the bench runs each against every database asked for.
// A scenario whose service the server does not register is skipped and listed
// as such, so one for a service still on another branch can wait here.
import type { CallSpec } from './load.ts';

/** What the bench knows about the data set and the server when it builds the calls. */
export interface Fixture {
  /** Bearer token of the bench reseller (or of the ceiling's made-up credential). */
  token: string;
  /** Ids of existing clients of the bench reseller, spread over the whole table. */
  clientIds: string[];
  /** A ListClients page token pointing 90 % down the bench reseller's clients. */
  deepPageToken: string;
  /** Keys of the bench reseller's interfaces (made through the API at the start of the run). */
  interfaceKeys: string[];
  /** Ids of families of the bench reseller's clients (made through the API at the start of the run). */
  familyIds: string[];
}

export interface Scenario {
  /** Stable name: the key in the results file. */
  id: string;
  /** What the table shows. */
  label: string;
  /** raw: the node:http echo; ceiling: our stack answering a constant; app: the real server on a database. */
  target: 'raw' | 'ceiling' | 'app';
  /** The method this calls (`Service/Method` in reseller.v1); skipped when the server does not serve it. */
  method: string;
  calls?: (f: Fixture) => CallSpec[];
  /** The target, as a fraction of the framework ceiling's requests per second (SQLite, 50 connections). */
  minRatio?: number;
  /** Not measurable yet: why, and what to do. */
  todo?: string;
}

export const rpc = (method: string) => `/reseller.v1.${method}`;
const json = (value: unknown) => JSON.stringify(value);

export const RAW: Scenario = {
  id: 'raw-echo', label: 'node:http JSON echo (physical ceiling)', target: 'raw', method: 'echo',
  calls: (f) => [{ path: '/echo', bodies: [json({ clientId: f.clientIds[0] })] }],
};

export const CEILING: Scenario = {
  id: 'framework-ceiling', label: 'Connect constant on our stack (framework ceiling)', target: 'ceiling',
  method: 'ClientService/GetClient',
  calls: (f) => [{ path: rpc('ClientService/GetClient'), token: f.token, bodies: [json({ clientId: f.clientIds[0] })] }],
};

/** Scenarios measured on each database, in this order. */
export const scenarios: Scenario[] = [
  {
    id: 'get-client', label: 'GetClient (with its 3 sites)', target: 'app', method: 'ClientService/GetClient', minRatio: 0.6,
    calls: (f) => [{ path: rpc('ClientService/GetClient'), token: f.token, bodies: f.clientIds.map((clientId) => json({ clientId })) }],
  },
  {
    id: 'list-clients-first', label: 'ListClients, first page of 50', target: 'app', method: 'ClientService/ListClients', minRatio: 0.4,
    calls: (f) => [{ path: rpc('ClientService/ListClients'), token: f.token, bodies: [json({ pageSize: 50 })] }],
  },
  {
    id: 'list-clients-deep', label: 'ListClients, page of 50 at 90 % depth', target: 'app', method: 'ClientService/ListClients',
    calls: (f) => [{ path: rpc('ClientService/ListClients'), token: f.token, bodies: [json({ pageSize: 50, pageToken: f.deepPageToken })] }],
  },
  {
    id: 'register-client', label: 'RegisterClient (durable commit)', target: 'app', method: 'ClientService/RegisterClient', minRatio: 0.3,
    calls: (f) => [{ path: rpc('ClientService/RegisterClient'), token: f.token, template: json({ name: 'Bench client {n}', code: 'b{run}-{n}' }) }],
  },
  {
    id: 'get-interface', label: 'GetInterface', target: 'app', method: 'InterfaceService/GetInterface',
    calls: (f) => [{ path: rpc('InterfaceService/GetInterface'), token: f.token, bodies: f.interfaceKeys.map((key) => json({ key })) }],
  },
  {
    id: 'get-family', label: 'GetFamily', target: 'app', method: 'ProvisioningService/GetFamily',
    calls: (f) => [{ path: rpc('ProvisioningService/GetFamily'), token: f.token, bodies: f.familyIds.map((familyId) => json({ familyId })) }],
  },
];

/** The soak's mix: reads of every kind, a write, and a call that fails (errors must not leak either). */
export function soakCalls(f: Fixture): CallSpec[] {
  const get = { path: rpc('ClientService/GetClient'), token: f.token, bodies: f.clientIds.map((clientId) => json({ clientId })) };
  return [
    get,
    { path: rpc('ClientService/ListClients'), token: f.token, bodies: [json({ pageSize: 50 })] },
    get,
    { path: rpc('ClientService/ListClients'), token: f.token, bodies: [json({ pageSize: 50, pageToken: f.deepPageToken })] },
    { path: rpc('ClientService/RegisterClient'), token: f.token, template: json({ name: 'Soak client {n}', code: 's{run}-{n}' }) },
    get,
    { path: rpc('ClientService/GetClient'), token: f.token, bodies: [json({ clientId: '01890000-0000-7000-8000-000000000000' })] },
  ];
}

/** The framework ceiling's CPU per call may be at most this many times the bare echo's (issue 23). */
export const MAX_STACK_FACTOR = 5;

/** The deep page must cost at most this many times the first page. */
export const MAX_DEEP_PAGE_FACTOR = 1.5;
