// Seed 001, the Clients API (a FastAPI Swagger page, French field names), on
// ClientService. Its paths are served as documented, at the server's root.
// Seed 000's "détail d'un client" and "supprimer un client" are these same
// endpoints (seed 000 gives their order of checks: 405, 401, 404).
import type {
  ClientJson, DeactivateClientRequestJson, DeactivateClientResponseJson, GetClientRequestJson, GetClientResponseJson,
  ListClientsRequestJson, ListClientsResponseJson, RegisterClientRequestJson, RegisterClientResponseJson,
  UpdateClientRequestJson, UpdateClientResponseJson,
} from '../../../gen/reseller/v1/clients_pb.js';
import { isoMillis, route, type Face, type Schema } from '../define.ts';
import { FASTAPI_ERROR_SCHEMA, FASTAPI_STATUSES, fastApiError } from './fastapi.ts';

const CLIENTS = '/reseller.v1.ClientService';

/**
 * The seed's `code` is an integer; the contract's is text (letters, digits,
 * `.`, `_`, `-`). A code that is a plain integer goes back as one; any other
 * (registered through Connect) as text.
 */
function codeOut(code: string | undefined): number | string {
  return code !== undefined && /^(0|[1-9][0-9]{0,14})$/.test(code) ? Number(code) : code ?? '';
}

/** One client as every seed 001 answer shows it: its sites with their equipment counts, and its total. */
export function clientOut(c: ClientJson | undefined) {
  return {
    client_id: c?.clientId ?? '',
    nom: c?.name ?? '',
    code: codeOut(c?.code),
    sites: (c?.sites ?? []).map((s) => ({ site_id: s.siteId ?? '', nom: s.name ?? '', equipements: s.equipmentCount ?? 0 })),
    equipements: c?.equipmentCount ?? 0,
    status: c?.status === 'CLIENT_STATUS_INACTIVE' ? 'inactive' : 'active',
    timestamp: isoMillis(c?.createTime),
  };
}

const CLIENT_SCHEMA: Schema = {
  type: 'object',
  properties: {
    client_id: { type: 'string', format: 'uuid', description: 'The client\'s identifier (a UUID).' },
    nom: { type: 'string', description: 'The client\'s name.' },
    code: { type: ['integer', 'string'], description: 'The code identifying the client: an integer as the seed has it; text for a code that is not one (registered through Connect).' },
    sites: {
      type: 'array',
      description: 'The client\'s sites, by name, each with its number of pieces of equipment (empty at registration).',
      items: {
        type: 'object',
        properties: { site_id: { type: 'string', format: 'uuid' }, nom: { type: 'string' }, equipements: { type: 'integer' } },
        required: ['site_id', 'nom', 'equipements'],
      },
    },
    equipements: { type: 'integer', description: 'How many pieces of equipment the client has, over all its sites.' },
    status: { type: 'string', enum: ['active', 'inactive'], description: '`inactive` once deleted (DELETE keeps the client).' },
    timestamp: { type: 'string', format: 'date-time', description: 'When the client was registered, `2025-11-06T16:55:01.544Z`.' },
  },
  required: ['client_id', 'nom', 'code', 'sites', 'equipements', 'status', 'timestamp'],
};

const NOM = { name: 'nom', in: 'body', type: 'string', description: 'The client\'s name (1 to 200 characters).' } as const;
const CODE = {
  name: 'code', in: 'body', type: 'integer-or-string',
  description: 'The code identifying the client, unique among your clients: an integer as in the seed, or text (letters, digits, `.`, `_`, `-`).',
} as const;
const FIELDS = { name: { name: 'nom', in: 'body' }, code: { name: 'code', in: 'body' } } as const;

export const seed001: Face = {
  seed: '001',
  tag: 'Legacy 001: Clients API',
  description: [
    'Seed 001\'s Clients API, served at its documented paths on this server\'s root, with its French field names and its',
    'FastAPI answers (422 lists the invalid fields). Send `Authorization: Bearer <token>` (a token from',
    '`AuthService.CreateToken`, or seed 003\'s `GET /token`). Seed 000\'s client detail and client deletion are',
    '`GET /clients/{client_id}/infos` and `DELETE /clients/{client_id}`. Replaced by `ClientService`:',
    'see docs/migrating.md.',
  ].join(' '),
  token: {},
  error: (error) => fastApiError(error),
  errorSchema: FASTAPI_ERROR_SCHEMA,
  errorStatuses: FASTAPI_STATUSES,
  routes: [
    route<ListClientsRequestJson, ListClientsResponseJson>({
      methods: ['GET'], path: '/clients/all',
      summary: 'Get All Client: every client, each with its sites and their equipment counts',
      params: [],
      rpc: `${CLIENTS}/ListClients`,
      request: () => ({ includeSites: true }),
      allPages: 'clients',
      success: {
        status: 200, description: 'Every client of yours, newest first.',
        schema: { type: 'array', items: CLIENT_SCHEMA },
        body: (answer) => (answer.clients ?? []).map(clientOut),
      },
    }),
    route<RegisterClientRequestJson, RegisterClientResponseJson>({
      methods: ['POST'], path: '/clients/register',
      summary: 'Register New Client',
      params: [
        { ...NOM, required: true },
        { ...CODE, required: true },
        { name: 'Idempotency-Key', in: 'header', type: 'string', description: 'Optional (not in the seed): a retry with the same key and body registers nothing new and answers the first result.' },
      ],
      rpc: `${CLIENTS}/RegisterClient`,
      request: (input) => ({ name: input.text('nom') ?? '', code: input.text('code') ?? '', requestId: input.text('Idempotency-Key') }),
      fields: FIELDS,
      success: { status: 200, description: 'The new client, active, with no site.', schema: CLIENT_SCHEMA, body: (answer) => clientOut(answer.client) },
      errors: { 409: 'A client of yours already has this code.' },
    }),
    route<UpdateClientRequestJson, UpdateClientResponseJson>({
      methods: ['PUT'], path: '/clients/update',
      summary: 'Update Client: its name and code',
      params: [
        { name: 'client_id', in: 'body', type: 'string', required: true, description: 'The client to update.' },
        { ...NOM, description: 'The new name; absent, unchanged.' },
        { ...CODE, description: 'The new code; absent, unchanged.' },
      ],
      rpc: `${CLIENTS}/UpdateClient`,
      request: (input) => ({ clientId: input.text('client_id') ?? '', name: input.text('nom'), code: input.text('code') }),
      fields: { ...FIELDS, clientId: { name: 'client_id', in: 'body' } },
      success: { status: 200, description: 'The client as stored, with its sites.', schema: CLIENT_SCHEMA, body: (answer) => clientOut(answer.client) },
      errors: { 404: 'No client of yours has this id.', 409: 'Another client of yours has this code.' },
    }),
    route<GetClientRequestJson, GetClientResponseJson>({
      methods: ['GET'], path: '/clients/{client_id}/infos',
      summary: 'Get One Client: with its sites and each site\'s equipment count (seed 000: obtenir le détail d\'un client)',
      params: [{ name: 'client_id', in: 'path', type: 'string', required: true, description: 'The client\'s identifier.' }],
      rpc: `${CLIENTS}/GetClient`,
      request: (input) => ({ clientId: input.path('client_id') }),
      fields: { clientId: { name: 'client_id', in: 'path' } },
      success: { status: 200, description: 'The client.', schema: CLIENT_SCHEMA, body: (answer) => clientOut(answer.client) },
      errors: { 404: 'No client of yours has this id.' },
    }),
    route<DeactivateClientRequestJson, DeactivateClientResponseJson>({
      methods: ['DELETE'], path: '/clients/{client_id}',
      summary: 'Deactivate Client (seed 000: supprimer un client): kept, its status becomes inactive',
      params: [{ name: 'client_id', in: 'path', type: 'string', required: true, description: 'The client\'s identifier.' }],
      rpc: `${CLIENTS}/DeactivateClient`,
      request: (input) => ({ clientId: input.path('client_id') }),
      fields: { clientId: { name: 'client_id', in: 'path' } },
      success: { status: 204, description: 'No Content: the client is inactive (still readable).', body: () => undefined },
      errors: { 404: 'No client of yours has this id.' },
    }),
  ],
};
