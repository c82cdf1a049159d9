// Seed 003, the "Shop Application" API, on AuthService, InterfaceService and
// CatalogService: its paths at the server's root, the token where the seed
// passes it (the Authorization header, `?token=`, or a JSON body's `token`),
// its French fields, its dates (`aaaa-mm-jj hh:mm:ss`, Paris time), its status
// numbers, and its errors: `{"error": true, "message": "..."}` with 400, 401 or 500.
import type { CreateTokenRequestJson, CreateTokenResponseJson } from '../../../gen/reseller/v1/auth_pb.js';
import type { GetOfferingRequestJson, GetOfferingResponseJson, ListOfferingsRequestJson, ListOfferingsResponseJson } from '../../../gen/reseller/v1/catalog_pb.js';
import type {
  AddInterfaceOfferingsRequestJson, AddInterfaceOfferingsResponseJson, CancelInterfaceOfferingRequestJson, CancelInterfaceOfferingResponseJson,
  CreateInterfaceRequestJson, CreateInterfaceResponseJson, CustomerContactJson, DeleteInterfaceRequestJson, DeleteInterfaceResponseJson,
  GetInterfaceOfferingRequestJson, GetInterfaceOfferingResponseJson, GetInterfaceRequestJson, GetInterfaceResponseJson, InterfaceStatusJson,
  ListInterfaceOfferingsRequestJson, ListInterfaceOfferingsResponseJson, ListInterfacesRequestJson, ListInterfacesResponseJson,
  ReactivateInterfaceRequestJson, ReactivateInterfaceResponseJson,
} from '../../../gen/reseller/v1/interfaces_pb.js';
import { amount, invalidParam, parisDateTime, route, type Answer, type Face, type Input, type JsonValue, type LegacyError, type Param, type Place } from '../define.ts';

const AUTH = '/reseller.v1.AuthService';
const INTERFACES = '/reseller.v1.InterfaceService';
const CATALOG = '/reseller.v1.CatalogService';

/** The seed's statut numbers. */
const STATUT: Record<InterfaceStatusJson, number> = {
  INTERFACE_STATUS_ACTIVE: 1, INTERFACE_STATUS_DELETED: 0, INTERFACE_STATUS_DEACTIVATED: 2, INTERFACE_STATUS_PENDING: 3, INTERFACE_STATUS_UNSPECIFIED: 3,
};

/** The seed's `client` object, field by field, as CustomerContact's. */
const CONTACT: [seed: string, ours: keyof CustomerContactJson, description: string][] = [
  ['nom', 'lastName', 'Nom (required)'], ['prenom', 'firstName', 'Prénom'], ['societe', 'company', 'Société'],
  ['adresse', 'address', 'Adresse (required)'], ['code_postal', 'postalCode', 'Code postal (required)'], ['ville', 'city', 'Ville (required)'],
  ['pays', 'country', 'Pays, ISO 3166-1 alpha-2 such as `FR` (required)'], ['telephone', 'phone', 'Numéro de téléphone (required)'],
  ['email', 'email', 'Adresse e-mail (required)'], ['rcs', 'rcs', 'Numéro RCS'], ['ape', 'ape', 'Code APE'],
];

const KEY: Param = { name: 'cle_interface', in: 'path', type: 'string', required: true, description: 'The interface\'s key (`sa_key`).' };
const KEY_FIELD = { key: { name: 'cle_interface', in: 'path' as Place } };
const IDEMPOTENCY: Param = {
  name: 'Idempotency-Key', in: 'header', type: 'string',
  description: 'Optional (not in the seed): a retry with the same key and body orders nothing new and answers the first result.',
};

function text(value: JsonValue | undefined): string | undefined {
  return value === undefined || value === null ? undefined : String(value);
}

/** The codes of `POST .../prestations`: the seed names no field, so a bare array, or `{"prestations": [...]}` as POST /interfaces has it. */
function codesOf(input: Input): string[] {
  const body = input.body;
  const codes = Array.isArray(body) ? body : body && typeof body === 'object' ? (body as Record<string, JsonValue>).prestations : undefined;
  if (!Array.isArray(codes) || codes.length === 0 || codes.some((c) => typeof c !== 'string')) {
    invalidParam('prestations', 'body', 'the body must be the array of the offering codes to order, for example ["MO-ARTCRITERES-S"]');
  }
  return codes as string[];
}

const DATE = { type: 'string', pattern: '^(\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2})?$', description: '`aaaa-mm-jj hh:mm:ss`, Paris time.' };
const CODES = { type: 'array', items: { type: 'string' } };

function shopError(error: LegacyError): Answer {
  const status = error.code === 'unauthenticated' ? 401
    : error.code === 'resource_exhausted' && error.reason !== 'REQUEST_TOO_LARGE' ? 429
      : ['internal', 'unknown', 'data_loss', 'unavailable', 'deadline_exceeded', 'unimplemented'].includes(error.code) ? 500
        : 400;
  const headers: Record<string, string> = status === 429 ? { 'retry-after': error.retryAfter ?? '1' } : {};
  return { status, body: { error: true, message: error.message }, headers };
}

export const seed003: Face = {
  seed: '003',
  tag: 'Legacy 003: Shop Application',
  description: [
    'Seed 003\'s Shop Application API at its documented paths on this server\'s root. Get a token with `GET /token`, then send',
    'it as `Authorization: Bearer <token>`, `?token=<token>` or a JSON body\'s `token`. Dates are `aaaa-mm-jj hh:mm:ss`',
    'in Paris time; `statut` is 1 active, 0 deleted, 2 deactivated, 3 being installed; prices are floats excluding VAT.',
    'Every failure answers `{"error": true, "message": "..."}`: 401 for the token, 400 for anything wrong with the request',
    '(an unknown key or code included, as the seed lists no 404), 429 when over the rate limit, 500 otherwise.',
    'Replaced by `AuthService.CreateToken`, `InterfaceService` and `CatalogService`.',
  ].join(' '),
  token: { query: 'token', body: 'token' },
  open: ['/token'],
  error: (error) => shopError(error),
  errorSchema: {
    type: 'object',
    properties: { error: { type: 'boolean', enum: [true] }, message: { type: 'string', description: 'Why it failed.' } },
    required: ['error', 'message'],
  },
  errorStatuses: {
    400: 'The route is malformed: a parameter is missing or wrong, the key or code is unknown, or a rule refuses the request (the message says which).',
    401: 'The credentials are wrong, or the token is missing, invalid or expired.',
    429: 'Too many calls for this credential this second (not in the seed; `retry-after` says when to come back).',
  },
  routes: [
    route<CreateTokenRequestJson, CreateTokenResponseJson>({
      methods: ['GET'], path: '/token',
      summary: 'Obtenir un token from your client id and secret',
      params: [
        { name: 'client_id', in: 'query', type: 'string', required: true, description: 'Identifiant: your API credential\'s client id.' },
        { name: 'client_secret', in: 'query', type: 'string', required: true, description: 'Mot de passe: its secret.' },
      ],
      rpc: `${AUTH}/CreateToken`,
      request: (input) => ({ clientId: input.text('client_id'), clientSecret: input.text('client_secret') }),
      fields: { clientId: { name: 'client_id', in: 'query' }, clientSecret: { name: 'client_secret', in: 'query' } },
      success: {
        status: 200, description: 'The token.',
        schema: {
          type: 'object',
          properties: { access_token: { type: 'string' }, token_type: { type: 'string', enum: ['bearer'] }, expires_in: { type: 'integer', description: 'Seconds.' } },
          required: ['access_token', 'token_type', 'expires_in'],
        },
        body: (answer) => ({ access_token: answer.accessToken ?? '', token_type: answer.tokenType ?? 'bearer', expires_in: answer.expiresIn ?? 0 }),
      },
    }),
    route<ListInterfacesRequestJson, ListInterfacesResponseJson>({
      methods: ['GET'], path: '/interfaces',
      summary: 'Liste des interfaces: the keys of every interface of yours, newest first',
      params: [],
      rpc: `${INTERFACES}/ListInterfaces`,
      request: () => ({}),
      allPages: 'interfaces',
      success: { status: 200, description: 'The keys.', schema: CODES, body: (answer) => (answer.interfaces ?? []).map((i) => i.key ?? '') },
    }),
    route<CreateInterfaceRequestJson, CreateInterfaceResponseJson>({
      methods: ['POST'], path: '/interfaces',
      summary: 'Création d\'une nouvelle interface (installed later; PENDING until then)',
      params: [
        { name: 'guid', in: 'body', type: 'string', required: true, description: 'Your own id for the interface, unique among yours.' },
        {
          name: 'prestations', in: 'body', type: 'strings', required: true,
          description: 'The ordered offering codes: all valid, exactly one setup offering (IN-XXX-S), and each offering that needs an associated one with one of them.',
        },
        {
          name: 'client', in: 'body', type: 'object', required: true, description: 'The end customer.',
          schema: { type: 'object', properties: Object.fromEntries(CONTACT.map(([seed, , description]) => [seed, { type: 'string', description }])) },
        },
        { name: 'sous_domaine', in: 'body', type: 'string', description: 'The subdomain to install on; absent, made from the company name or the last name.' },
        IDEMPOTENCY,
      ],
      rpc: `${INTERFACES}/CreateInterface`,
      request: (input) => {
        const client = (input.value('client') ?? {}) as Record<string, JsonValue>;
        return {
          guid: input.text('guid') ?? '',
          offeringCodes: (input.value('prestations') ?? []) as string[],
          contact: Object.fromEntries(CONTACT.map(([seed, ours]) => [ours, text(client[seed]) ?? ''])),
          subdomain: input.text('sous_domaine'),
          requestId: input.text('Idempotency-Key'),
        };
      },
      fields: {
        guid: { name: 'guid', in: 'body' }, offeringCodes: { name: 'prestations', in: 'body' }, subdomain: { name: 'sous_domaine', in: 'body' },
        contact: { name: 'client', in: 'body' },
        ...Object.fromEntries(CONTACT.map(([seed, ours]) => [`contact.${ours}`, { name: `client.${seed}`, in: 'body' as Place }])),
      },
      success: {
        status: 200, description: 'The new interface\'s key.',
        schema: { type: 'object', properties: { sa_key: { type: 'string', format: 'uuid' } }, required: ['sa_key'] },
        body: (answer) => ({ sa_key: answer.key ?? '' }),
      },
    }),
    route<GetInterfaceRequestJson, GetInterfaceResponseJson>({
      methods: ['GET'], path: '/interfaces/{cle_interface}',
      summary: 'Informations détaillées d\'une interface: its status and URLs',
      params: [KEY],
      rpc: `${INTERFACES}/GetInterface`,
      request: (input) => ({ key: input.path('cle_interface') }),
      fields: KEY_FIELD,
      success: {
        status: 200, description: 'The interface; the fields marked "if available" are absent otherwise.',
        schema: {
          type: 'object',
          properties: {
            date_creation: { ...DATE, description: 'When it was ordered, `aaaa-mm-jj hh:mm:ss` Paris time.' },
            statut: { type: 'integer', enum: [0, 1, 2, 3], description: '1 active, 0 deleted, 2 deactivated (deletion requested; can be reactivated), 3 being installed.' },
            url: { type: 'string', description: 'If available: the site\'s main URL.' },
            url_administration: { type: 'string', description: 'If available: the administration space\'s URL.' },
            url_formulaire: { type: 'string', description: 'If available (statut 3): the project creation form\'s URL.' },
            date_suppression: { ...DATE, description: 'If available: when the deletion is scheduled.' },
          },
          required: ['date_creation', 'statut'],
        },
        body: (answer) => {
          const i = answer.interface ?? {};
          const statut = STATUT[i.status ?? 'INTERFACE_STATUS_UNSPECIFIED'];
          return {
            date_creation: parisDateTime(i.createTime),
            statut,
            ...(i.url ? { url: i.url } : {}),
            ...(i.adminUrl ? { url_administration: i.adminUrl } : {}),
            ...(i.formUrl && statut === 3 ? { url_formulaire: i.formUrl } : {}),
            ...(i.deletionTime ? { date_suppression: parisDateTime(i.deletionTime) } : {}),
          };
        },
      },
    }),
    route<DeleteInterfaceRequestJson, DeleteInterfaceResponseJson>({
      methods: ['DELETE'], path: '/interfaces/{cle_interface}',
      summary: 'Demande de suppression d\'une interface: access cut on the 1st of next month, deletion 90 days later',
      params: [KEY],
      rpc: `${INTERFACES}/DeleteInterface`,
      request: (input) => ({ key: input.path('cle_interface') }),
      fields: KEY_FIELD,
      success: {
        status: 200, description: 'When it will be deleted.',
        schema: { type: 'object', properties: { date_suppression: DATE }, required: ['date_suppression'] },
        body: (answer) => ({ date_suppression: parisDateTime(answer.deletionTime) }),
      },
    }),
    route<ReactivateInterfaceRequestJson, ReactivateInterfaceResponseJson>({
      methods: ['POST'], path: '/interfaces/{cle_interface}',
      summary: 'Réactivation d\'une interface whose deletion was requested (never after the final deletion)',
      params: [KEY],
      rpc: `${INTERFACES}/ReactivateInterface`,
      request: (input) => ({ key: input.path('cle_interface') }),
      fields: KEY_FIELD,
      success: {
        status: 200, description: 'When it was reactivated.',
        schema: { type: 'object', properties: { date_reactivation: DATE }, required: ['date_reactivation'] },
        body: (answer) => ({ date_reactivation: parisDateTime(answer.reactivationTime) }),
      },
    }),
    route<ListInterfaceOfferingsRequestJson, ListInterfaceOfferingsResponseJson>({
      methods: ['GET'], path: '/interfaces/{cle_interface}/prestations',
      summary: 'Liste des prestations d\'une interface: the codes it has live, each once',
      params: [KEY],
      rpc: `${INTERFACES}/ListInterfaceOfferings`,
      request: (input) => ({ key: input.path('cle_interface') }),
      fields: KEY_FIELD,
      success: { status: 200, description: 'The codes.', schema: CODES, body: (answer) => answer.codes ?? [] },
    }),
    route<AddInterfaceOfferingsRequestJson, AddInterfaceOfferingsResponseJson>({
      methods: ['POST'], path: '/interfaces/{cle_interface}/prestations',
      summary: 'Activation de nouvelles prestations: no setup offering; each that needs an associated one has it in the request or live',
      params: [KEY, IDEMPOTENCY],
      bodySchema: {
        description: 'The codes to order: the array itself (the seed names no field), or `{"prestations": [...]}`.',
        oneOf: [CODES, { type: 'object', properties: { prestations: CODES }, required: ['prestations'] }],
      },
      rpc: `${INTERFACES}/AddInterfaceOfferings`,
      request: (input) => ({ key: input.path('cle_interface'), offeringCodes: codesOf(input), requestId: input.text('Idempotency-Key') }),
      fields: { ...KEY_FIELD, offeringCodes: { name: 'prestations', in: 'body' } },
      success: {
        status: 200, description: 'The lines added, one per code, in order.',
        schema: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              code: { type: 'string' }, reference_unique: { type: 'string', format: 'uuid' },
              url_formulaire: { type: 'string', description: 'If available: the project form for this line.' },
            },
            required: ['code', 'reference_unique'],
          },
        },
        body: (answer) => (answer.lines ?? []).map((l) => ({ code: l.code ?? '', reference_unique: l.reference ?? '', ...(l.formUrl ? { url_formulaire: l.formUrl } : {}) })),
      },
    }),
    route<GetInterfaceOfferingRequestJson, GetInterfaceOfferingResponseJson>({
      methods: ['GET'], path: '/interfaces/{cle_interface}/prestations/{code_prestation}',
      summary: 'Détails d\'une prestation d\'une interface: every line of that code (there may be several)',
      params: [KEY, { name: 'code_prestation', in: 'path', type: 'string', required: true, description: 'The offering\'s code.' }],
      rpc: `${INTERFACES}/GetInterfaceOffering`,
      request: (input) => ({ key: input.path('cle_interface'), code: input.path('code_prestation') }),
      fields: { ...KEY_FIELD, code: { name: 'code_prestation', in: 'path' } },
      success: {
        status: 200, description: 'The lines, oldest first.',
        schema: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              code: { type: 'string' }, date_creation: DATE, resilie: { type: 'boolean' },
              date_resiliation: { ...DATE, description: 'When it was cancelled; `""` if it was not.' },
              reference_unique: { type: 'string', format: 'uuid' }, url_formulaire: { type: 'string', description: 'If available.' },
            },
            required: ['code', 'date_creation', 'resilie', 'date_resiliation', 'reference_unique'],
          },
        },
        body: (answer) => (answer.lines ?? []).map((l) => ({
          code: l.code ?? '', date_creation: parisDateTime(l.createTime), resilie: l.cancelled ?? false,
          date_resiliation: parisDateTime(l.cancelTime), reference_unique: l.reference ?? '', ...(l.formUrl ? { url_formulaire: l.formUrl } : {}),
        })),
      },
    }),
    route<CancelInterfaceOfferingRequestJson, CancelInterfaceOfferingResponseJson>({
      methods: ['DELETE'], path: '/interfaces/{cle_interface}/prestations/{code_prestation}',
      summary: 'Suppression d\'une prestation: every live line of a code, or one line by its reference_unique',
      params: [KEY, { name: 'code_prestation', in: 'path', type: 'string', required: true, description: 'The offering\'s code, or a line\'s `reference_unique`.' }],
      rpc: `${INTERFACES}/CancelInterfaceOffering`,
      request: (input) => ({ key: input.path('cle_interface'), codeOrReference: input.path('code_prestation') }),
      fields: { ...KEY_FIELD, codeOrReference: { name: 'code_prestation', in: 'path' } },
      success: {
        status: 200, description: 'The lines cancelled.',
        schema: {
          type: 'array',
          items: { type: 'object', properties: { code: { type: 'string' }, reference_unique: { type: 'string', format: 'uuid' } }, required: ['code', 'reference_unique'] },
        },
        body: (answer) => (answer.lines ?? []).map((l) => ({ code: l.code ?? '', reference_unique: l.reference ?? '' })),
      },
    }),
    route<ListOfferingsRequestJson, ListOfferingsResponseJson>({
      methods: ['GET'], path: '/prestations',
      summary: 'Liste des prestations disponibles: the codes on sale, by code',
      params: [],
      rpc: `${CATALOG}/ListOfferings`,
      request: () => ({}),
      allPages: 'offerings',
      success: { status: 200, description: 'The codes.', schema: CODES, body: (answer) => (answer.offerings ?? []).map((o) => o.code ?? '') },
    }),
    route<GetOfferingRequestJson, GetOfferingResponseJson>({
      methods: ['GET'], path: '/prestation/{code}',
      summary: 'Informations détaillées d\'une prestation',
      params: [{ name: 'code', in: 'path', type: 'string', required: true, description: 'The offering\'s code.' }],
      rpc: `${CATALOG}/GetOffering`,
      request: (input) => ({ code: input.path('code') }),
      fields: { code: { name: 'code', in: 'path' } },
      success: {
        status: 200, description: 'The offering.',
        schema: {
          type: 'object',
          properties: {
            code: { type: 'string' }, nom: { type: 'string' }, descriptif_court: { type: 'string' },
            descriptif_long: { type: 'string', description: 'HTML, sanitised.' },
            prix: { type: 'number', description: 'Catalogue price excluding VAT (490 is 490.00), in the offering\'s currency.' },
            prestations_associees: { ...CODES, description: 'The offerings of which one must be ordered with this one.' },
          },
          required: ['code', 'nom', 'descriptif_court', 'descriptif_long', 'prix', 'prestations_associees'],
        },
        body: (answer) => {
          const o = answer.offering ?? {};
          return {
            code: o.code ?? '', nom: o.name ?? '', descriptif_court: o.shortDescription ?? '', descriptif_long: o.longDescription ?? '',
            prix: amount(o.price), prestations_associees: o.associatedCodes ?? [],
          };
        },
      },
    }),
  ],
};
