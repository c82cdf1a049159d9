// Seed 002, softphone device assignment, on DeviceService: its two routes at
// the documented path under /api (the seed's examples call
// https://api.na.myreports.cloud/api/v1.0/...), its `accept-charges` header,
// 201 with Location, and its French answers (`« status » : « succès »`; errors
// `{error, message, status: "erreur", timestamp}`, 402 with `données`).
import type {
  AssignDeviceRequestJson, AssignDeviceResponseJson, ChargeBreakdownJson, UnassignDeviceRequestJson, UnassignDeviceResponseJson,
} from '../../../gen/reseller/v1/devices_pb.js';
import type { SoftphoneClientTypeJson } from '../../../gen/reseller/v1/devices_pb.js';
import { amount, invalidParam, route, ticksTimestamp, type Answer, type Face, type Input, type Invalid, type LegacyError, type Param, type Schema } from '../define.ts';

const DEVICES = '/reseller.v1.DeviceService';
const PATH = '/api/v1.0/customers/{CUSTOMER_TENANT_ID}/users/{USER_ID}/devices/pbx/{DEVICE_ID}';

/**
 * The seed lists its client types as "ordinateur de bureau, mobile, WebRTC,
 * CRM" and sends `bureau` in its example (a translation of "desktop"):
 * each is taken, in any case, and so is the English name.
 */
const CLIENT_TYPES: Record<string, SoftphoneClientTypeJson> = {
  'bureau': 'SOFTPHONE_CLIENT_TYPE_DESKTOP', 'ordinateur de bureau': 'SOFTPHONE_CLIENT_TYPE_DESKTOP', 'desktop': 'SOFTPHONE_CLIENT_TYPE_DESKTOP',
  'mobile': 'SOFTPHONE_CLIENT_TYPE_MOBILE', 'webrtc': 'SOFTPHONE_CLIENT_TYPE_WEBRTC', 'crm': 'SOFTPHONE_CLIENT_TYPE_CRM',
};

const PATH_PARAMS: Param[] = [
  { name: 'CUSTOMER_TENANT_ID', in: 'path', type: 'string', required: true, description: 'The customer tenant: your client\'s id (a UUID).' },
  { name: 'USER_ID', in: 'path', type: 'string', required: true, description: 'The user: an account of that client (its id).' },
  { name: 'DEVICE_ID', in: 'path', type: 'string', required: true, description: 'The device\'s id on the communications platform (its PBX device id), already the user\'s (linked with DeviceService.LinkDevice).' },
];
const ACCEPT_CHARGES: Param = {
  name: 'accept-charges', in: 'header', type: 'string',
  description: '`true` accepts the charges the request causes (a softphone seat beyond the included ones); anything else refuses them (402).',
};
const FIELDS = {
  clientId: { name: 'CUSTOMER_TENANT_ID', in: 'path' }, accountId: { name: 'USER_ID', in: 'path' }, deviceId: { name: 'DEVICE_ID', in: 'path' },
  clientType: { name: 'clientType', in: 'body' },
} as const;

function clientType(input: Input): SoftphoneClientTypeJson {
  const sent = input.text('clientType') ?? '';
  const type = CLIENT_TYPES[sent.trim().toLowerCase()];
  if (!type) invalidParam('clientType', 'body', `La valeur '${sent}' n'est pas valide.`);
  return type;
}

const SUCCESS_SCHEMA: Schema = {
  type: 'object',
  properties: {
    status: { type: 'string', enum: ['succès'] },
    timestamp: { type: 'string', description: 'When it was done, in .NET\'s round-trip format: `2019-11-29T16:03:23.9251680Z`.' },
  },
  required: ['status', 'timestamp'],
};

const success = {
  status: 201,
  description: 'Created (`Location` repeats the request\'s URL).',
  schema: SUCCESS_SCHEMA,
  body: (_answer: unknown, input: Input) => ({ status: 'succès', timestamp: ticksTimestamp(input.now) }),
  headers: (input: Input) => ({ location: input.url }),
};

/** The value the caller sent for a parameter, for the seed's « La valeur '…' n'est pas valide. » */
function sent(input: Input | undefined, invalid: Invalid): string {
  if (!input) return '';
  if (invalid.in === 'path') return input.path(invalid.name);
  if (invalid.in === 'header') return input.header(invalid.name) ?? '';
  return input.text(invalid.name) ?? '';
}

const STATUS: Record<string, number> = {
  invalid_argument: 400, failed_precondition: 400, out_of_range: 400, unauthenticated: 401, permission_denied: 403, not_found: 404,
  method_not_allowed: 405, already_exists: 409, aborted: 409, resource_exhausted: 429, unavailable: 503, deadline_exceeded: 504,
};

function deviceError(error: LegacyError, context: { input?: Input; now: Date }): Answer {
  const { input, now } = context;
  const shape = (status: number, message: string, more: Record<string, unknown> = {}): Answer => ({
    status,
    body: { ...more, error: status, message, status: 'erreur', timestamp: ticksTimestamp(now) } as Answer['body'],
    headers: status === 429 ? { 'retry-after': error.retryAfter ?? '1' } : status === 401 ? { 'www-authenticate': 'Bearer' } : {},
  });
  if (error.reason === 'CHARGES_NOT_ACCEPTED') {
    const breakdown = (error.details['reseller.v1.ChargeBreakdown'] ?? {}) as ChargeBreakdownJson;
    return shape(402, 'des frais supplémentaires s\'appliquent', {
      données: {
        clientType: input?.text('clientType') ?? '',
        frais: (breakdown.items ?? []).map((i) => ({
          description: i.description ?? '', code: i.offeringCode ?? '', quantite: i.quantity ?? 0,
          prix_unitaire: amount(i.unitPrice), total: amount(i.total), devise: i.total?.currency ?? '',
        })),
        total: amount(breakdown.total),
        devise: breakdown.total?.currency ?? '',
      },
    });
  }
  if (error.code === 'invalid_argument') {
    const first = error.invalid[0];
    if (!first) return shape(400, error.message);
    if (first.name === 'body') return shape(400, 'Le corps de la demande n\'est pas un JSON valide.');
    if (first.reason === 'missing' || first.reason === 'REQUIRED') return shape(400, `La valeur de '${first.name}' est requise.`);
    return shape(400, `La valeur '${sent(input, first)}' n'est pas valide.`);
  }
  if (error.code === 'not_found') return shape(404, error.reason === 'DEVICE_NOT_FOUND' ? 'Dispositif introuvable' : 'Introuvable');
  if (error.code === 'resource_exhausted' && error.reason === 'REQUEST_TOO_LARGE') return shape(413, error.message);
  if (error.code === 'method_not_allowed') return shape(405, 'Méthode non autorisée');
  return shape(STATUS[error.code] ?? 500, error.message);
}

export const seed002: Face = {
  seed: '002',
  tag: 'Legacy 002: softphone devices',
  description: [
    'Seed 002\'s assignment of a PBX device as a softphone, at its documented path under `/api` (base URL',
    '`https://<this server>/api`, as the seed\'s examples have it), by `PUT` as its headings say or `POST` as its examples do.',
    'Send `Authorization: Bearer <token>` and, to accept charges, `accept-charges: true`. Checks in the seed\'s order: 400 malformed',
    'tenant id, 404 unknown tenant, user or device, 400 missing role, 402 charges not accepted (with their amount).',
    'Replaced by `DeviceService.AssignDevice` and `UnassignDevice`.',
  ].join(' '),
  token: {},
  contentType: 'application/json; charset=utf-8',
  error: (error, context) => deviceError(error, context),
  errorSchema: {
    type: 'object',
    properties: {
      error: { type: 'integer', description: 'The HTTP status again.' },
      message: { type: 'string', description: '« Introuvable », « Dispositif introuvable », « La valeur \'…\' n\'est pas valide. », « des frais supplémentaires s\'appliquent »...' },
      status: { type: 'string', enum: ['erreur'] },
      timestamp: { type: 'string' },
      données: {
        type: 'object',
        description: '402 only: the client type asked for, and the charges it would cause (amounts excluding VAT).',
        properties: {
          clientType: { type: 'string' },
          frais: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                description: { type: 'string' }, code: { type: 'string' }, quantite: { type: 'integer' },
                prix_unitaire: { type: 'number' }, total: { type: 'number' }, devise: { type: 'string' },
              },
            },
          },
          total: { type: 'number' },
          devise: { type: 'string' },
        },
      },
    },
    required: ['error', 'message', 'status', 'timestamp'],
  },
  errorStatuses: {
    400: 'Mauvaise demande: a malformed tenant id (« La valeur \'<tenant id>\' n\'est pas valide. »), an unknown client type, or a missing role.',
    401: 'Non autorisé: the token is missing, invalid or expired.',
    403: 'A support credential (it reads only) asking for a change.',
    404: 'Introuvable: no client with this tenant id, or no such user; « Dispositif introuvable »: the device is not the user\'s.',
    405: 'The path does not take this method.',
    429: 'Too many calls for this credential this second.',
  },
  routes: [
    route<AssignDeviceRequestJson, AssignDeviceResponseJson>({
      methods: ['PUT', 'POST'], path: `${PATH}/assign`,
      summary: 'Attribuer un appareil: assign the device as a softphone for a client type (moving it if it had another)',
      params: [
        ...PATH_PARAMS, ACCEPT_CHARGES,
        { name: 'clientType', in: 'body', type: 'string', required: true, description: '`bureau` (or `ordinateur de bureau`, `desktop`), `mobile`, `WebRTC` or `CRM`, in any case.' },
      ],
      rpc: `${DEVICES}/AssignDevice`,
      request: (input) => ({
        clientId: input.path('CUSTOMER_TENANT_ID'), accountId: input.path('USER_ID'), deviceId: input.path('DEVICE_ID'),
        clientType: clientType(input), acceptCharges: (input.header('accept-charges') ?? '').trim().toLowerCase() === 'true',
      }),
      fields: FIELDS,
      success,
      errors: { 402: 'Paiement requis: the assignment adds a paid seat and `accept-charges: true` was not sent; `données` says what it costs.' },
    }),
    route<UnassignDeviceRequestJson, UnassignDeviceResponseJson>({
      methods: ['PUT', 'POST'], path: `${PATH}/unassign`,
      summary: 'Annuler l\'attribution d\'un appareil (a device not assigned stays so)',
      params: [...PATH_PARAMS, ACCEPT_CHARGES],
      rpc: `${DEVICES}/UnassignDevice`,
      request: (input) => ({ clientId: input.path('CUSTOMER_TENANT_ID'), accountId: input.path('USER_ID'), deviceId: input.path('DEVICE_ID') }),
      fields: FIELDS,
      success,
    }),
  ],
};
