// Seed 004, Provisioning Management (the `prov*` methods), on
// ProvisioningService. The seed calls http://devserver/api/prov/<method> with
// its parameters in the query (files in a form); accounts and families belong
// to a client here, so the base URL names one: /clients/{client_id}/api/prov/...
// Answers keep the seed's envelope, `{"a01": {"r": {"r": <result>}, "cn": "provsearch"}}`,
// and its numbered exceptions, `{"a01": {"ex": {...}, "cn": ...}}`.
import type {
  AccountJson, AddAccountToFamilyRequestJson, AddAccountToFamilyResponseJson, CreateAccountRequestJson, CreateAccountResponseJson,
  CreateFamilyRequestJson, CreateFamilyResponseJson, DeleteAccountRequestJson, DeleteAccountResponseJson, DeleteFamilyRequestJson,
  DeleteFamilyResponseJson, FamilyJson, FamilyRightJson, FoundFamilyRequestJson, FoundFamilyResponseJson, GetAccountRequestJson,
  GetAccountResponseJson, GetFamilyRequestJson, GetFamilyResponseJson, IdentifierTypeJson, RemoveAccountFromFamilyRequestJson,
  RemoveAccountFromFamilyResponseJson, SearchAccountRequestJson, SearchAccountResponseJson, UpdateAccountRequestJson,
  UpdateAccountResponseJson, UpdateFamilyRequestJson, UpdateFamilyResponseJson,
} from '../../../gen/reseller/v1/provisioning_pb.js';
import { invalidParam, isoMillis, route, type Answer, type Face, type Input, type JsonValue, type LegacyError, type Param, type Place, type Route, type RpcPath, type Schema } from '../define.ts';

const PROV = '/reseller.v1.ProvisioningService';
const BASE = '/clients/{client_id}/api/prov';

/** The envelope's key: the seed answers a family under `a00`, anything else under `a01`. */
const FAMILY_ANSWERS = new Set(['createfamily', 'foundfamily', 'updatefamily', 'getfamily']);

/** The seed's exceptions by number: class name and description, as its tables give them. */
const EXCEPTIONS: Record<number, [name: string, description: string]> = {
  1: ['FizAccountNotFoundException', 'account not found'],
  2: ['FizAccountAlreadyExistsException', 'Account Identifier already exists'],
  12: ['FizAccountAlreadyInThisFamilyException', 'account already in the family'],
  15: ['FizFounderAlreadyExistsException', 'Founder already exists'],
  17: ['AFizInvalidEmailException', 'Email has an invalid format'],
  21: ['AFizInvalidIdentifierException', 'Identifier has an invalid format'],
  22: ['AFizInvalidMSISDNException', 'MSISDN has an invalid format'],
  510: ['FizFamilyDoesNotExistException', 'Family Id Does not Exists'],
};
/** provsearch names its format error differently. */
const SEARCH_21: [string, string] = ['FizApiAccIdentifierInvalidException', 'identifier wrong format'];

const TYPES: Record<string, IdentifierTypeJson> = { email: 'IDENTIFIER_TYPE_EMAIL', msisdn: 'IDENTIFIER_TYPE_MSISDN', login: 'IDENTIFIER_TYPE_LOGIN' };
const TYPE_NAMES: Record<string, string> = { IDENTIFIER_TYPE_EMAIL: 'Email', IDENTIFIER_TYPE_MSISDN: 'Msisdn', IDENTIFIER_TYPE_LOGIN: 'Login' };
/** AccountType by name (None, Admin, SuperAdmin) or number (member 0, administrator 1, founder 2): the seed uses both. */
const RIGHTS: Record<string, FamilyRightJson> = {
  none: 'FAMILY_RIGHT_NONE', admin: 'FAMILY_RIGHT_ADMIN', superadmin: 'FAMILY_RIGHT_SUPER_ADMIN',
  0: 'FAMILY_RIGHT_NONE', 1: 'FAMILY_RIGHT_ADMIN', 2: 'FAMILY_RIGHT_SUPER_ADMIN',
};
const RIGHT_NAMES: Record<string, string> = { FAMILY_RIGHT_NONE: 'None', FAMILY_RIGHT_ADMIN: 'Admin', FAMILY_RIGHT_SUPER_ADMIN: 'SuperAdmin' };

function methodOf(route: Route | undefined): string {
  return route?.path.slice(BASE.length + 1) ?? '';
}

/** The seed's envelope around a result. */
function envelope(method: string, result: JsonValue): JsonValue {
  return { [FAMILY_ANSWERS.has(method) ? 'a00' : 'a01']: { r: { r: result }, cn: `prov${method}` } };
}

/**
 * The identifier's type: as sent (Email, Msisdn, Login, any case), or where
 * the caller left it out, as the seed's own provsearch example does
 * (`?identifier=test@gmail.com`), read from the identifier itself.
 */
function identifierType(input: Input, param: string, identifierParam: string): IdentifierTypeJson {
  const sent = input.text(param);
  if (sent !== undefined && sent !== '') {
    const type = TYPES[sent.trim().toLowerCase()];
    if (!type) invalidParam(param, 'query', `"${sent}" is not an identifier type: Email, Msisdn or Login`, 'INVALID_IDENTIFIER');
    return type;
  }
  const identifier = (input.text(identifierParam) ?? '').trim();
  if (identifier.includes('@')) return 'IDENTIFIER_TYPE_EMAIL';
  if (/^\+?[0-9][0-9 .()-]*$/.test(identifier)) return 'IDENTIFIER_TYPE_MSISDN';
  return 'IDENTIFIER_TYPE_LOGIN';
}

function accountType(input: Input): FamilyRightJson | undefined {
  const sent = input.text('AccountType');
  if (sent === undefined || sent === '') return undefined;
  const right = RIGHTS[sent.trim().toLowerCase()];
  if (!right) invalidParam('AccountType', 'query', `"${sent}" is not an account type: None, Admin or SuperAdmin (0, 1 or 2)`);
  return right;
}

/**
 * The seed's Locale. Its examples send `Locale=fr` together with `locale=FR`:
 * a language and a country, which together are the locale `fr_FR` the
 * parameter's description asks for. One value alone is taken as it is
 * (provupdateaccount accepts a language alone).
 */
function locale(input: Input): string | undefined {
  const [first, ...others] = input.all('Locale').map((v) => v.trim()).filter((v) => v !== '');
  if (first === undefined) return undefined;
  const country = others.find((v) => /^[A-Za-z]{2}$/.test(v));
  if (/^[A-Za-z]{2}$/.test(first) && country) return `${first.toLowerCase()}_${country.toUpperCase()}`;
  return /^[A-Za-z]{2}$/.test(first) ? first.toLowerCase() : first;
}

function file(input: Input, name: string): string | undefined {
  const bytes = input.file(name);
  return bytes ? Buffer.from(bytes).toString('base64') : undefined;
}

function accountOut(a: AccountJson | undefined) {
  const id = a?.accountId ?? '';
  return {
    accountId: id,
    deleted: false,
    identifiers: [{ validated: false, id, type: TYPE_NAMES[a?.identifierType ?? ''] ?? 'Login', value: a?.identifier ?? '' }],
    name: a?.firstName ?? '',
    lastLoginDate: null,
    creationDate: isoMillis(a?.createTime),
    termsChecked: false,
  };
}

function familyOut(f: FamilyJson | undefined) {
  const id = f?.familyId ?? '';
  return {
    coverDefault: true,
    family_id: id,
    pictureDefault: !f?.imageUrl,
    metaId: `family/${id}`,
    members: (f?.members ?? []).map((m) => ({
      familyId: `family/${id}`,
      joinDate: isoMillis(m.joinTime),
      role: m.role ?? '',
      metaId: `familymember/${m.account?.accountId ?? ''}_${id}`,
      isFirstFamily: null,
      lastLoginDate: null,
      right: RIGHT_NAMES[m.right ?? ''] ?? 'None',
      account: accountOut(m.account),
    })),
    name: f?.name ?? '',
    pictureUri: f?.imageUrl || null,
    coverUri: null,
  };
}

// ---------------------------------------------------------------- reference schemas

const ID = { type: 'string', format: 'uuid' };
const NULL_DATE = { type: ['string', 'null'], format: 'date-time' };
const ACCOUNT_SCHEMA: Schema = {
  type: 'object',
  properties: {
    accountId: { ...ID, description: 'The account id (a UUID; the seed\'s was a Long).' },
    deleted: { type: 'boolean', enum: [false] },
    identifiers: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          validated: { type: 'boolean', description: 'Always false: not tracked.' }, id: { ...ID, description: 'The account id (one identifier per account).' },
          type: { type: 'string', enum: ['Email', 'Msisdn', 'Login'] }, value: { type: 'string', description: 'Normalised: lower-cased, MSISDNs without separators.' },
        },
        required: ['validated', 'id', 'type', 'value'],
      },
    },
    name: { type: 'string', description: 'The first name.' },
    lastLoginDate: { ...NULL_DATE, description: 'Always null: not tracked.' },
    creationDate: { type: 'string', format: 'date-time' },
    termsChecked: { type: 'boolean', description: 'Always false: not tracked.' },
  },
  required: ['accountId', 'deleted', 'identifiers', 'name', 'lastLoginDate', 'creationDate', 'termsChecked'],
};
const FAMILY_SCHEMA: Schema = {
  type: 'object',
  properties: {
    coverDefault: { type: 'boolean', enum: [true], description: 'Families have no cover here.' },
    family_id: { ...ID, description: 'The family id (a UUID; the seed\'s was a Long).' },
    pictureDefault: { type: 'boolean', description: 'True when the family has no image.' },
    metaId: { type: 'string', description: '`family/<family_id>`.' },
    members: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          familyId: { type: 'string', description: '`family/<family_id>`.' }, joinDate: { type: 'string', format: 'date-time' }, role: { type: 'string' },
          metaId: { type: 'string', description: '`familymember/<accountId>_<family_id>`.' },
          isFirstFamily: { type: 'null', description: 'Always null: not tracked.' }, lastLoginDate: { ...NULL_DATE, description: 'Always null.' },
          right: { type: 'string', enum: ['None', 'Admin', 'SuperAdmin'] }, account: ACCOUNT_SCHEMA,
        },
        required: ['familyId', 'joinDate', 'role', 'metaId', 'right', 'account'],
      },
    },
    name: { type: 'string' },
    pictureUri: { type: ['string', 'null'], description: 'The image\'s URL (GET it with the same token), or null.' },
    coverUri: { type: 'null' },
  },
  required: ['coverDefault', 'family_id', 'pictureDefault', 'metaId', 'members', 'name', 'pictureUri', 'coverUri'],
};

function envelopeSchema(method: string, result: Schema): Schema {
  const key = FAMILY_ANSWERS.has(method) ? 'a00' : 'a01';
  return {
    type: 'object',
    properties: {
      [key]: {
        type: 'object',
        properties: { r: { type: 'object', properties: { r: result }, required: ['r'] }, cn: { type: 'string', enum: [`prov${method}`] } },
        required: ['r', 'cn'],
      },
    },
    required: [key],
  };
}

// ---------------------------------------------------------------- parameters

const q = (name: string, description: string, type: Param['type'] = 'string', required = false): Param => ({ name, in: 'query', type, required, description });
const CLIENT: Param = { name: 'client_id', in: 'path', type: 'string', required: true, description: 'The client whose accounts and families these are (part of the base URL).' };
const FAMILY_ID = q('familyId', 'The family\'s id (a UUID).', 'string', true);
const ACCOUNT_ID = q('accountId', 'The account\'s id (a UUID).', 'string', true);
const FAMILY_IMAGE: Param = { name: 'FamilyImage', in: 'body', type: 'file', description: 'The family\'s image, PNG or JPEG, at most 1 MiB (a multipart/form-data file).' };
const PICTURE: Param = { name: 'Picture', in: 'body', type: 'file', description: 'The user\'s picture, PNG or JPEG, at most 1 MiB (a multipart/form-data file).' };
const TYPE = q('Type', 'Email, Msisdn or Login; absent, read from the identifier (an @ is an email, digits an MSISDN, anything else a login).');
const IDENTIFIER = q('Identifier', 'The email, MSISDN (E.164) or login.', 'string', true);
const LOCALE = q('Locale', '`fr_FR` or `fr-FR`; or `Locale=fr` with `locale=FR`, as the seed\'s examples send them (taken together as fr_FR).');
const ACCOUNT_TYPE = q('AccountType', 'None (0), Admin (1) or SuperAdmin (2, the founder: one per family); absent, None.');

const F = (name: string, place: Place = 'query') => ({ name, in: place });
const COMMON_FIELDS = {
  clientId: F('client_id', 'path'), familyId: F('familyId'), accountId: F('accountId'), founderAccountId: F('founderId'),
  identifierType: F('Type'), identifier: F('Identifier'), locale: F('Locale'), picture: F('Picture', 'body'), right: F('AccountType'),
};

// ---------------------------------------------------------------- errors

function provError(error: LegacyError, context: { route?: Route }): Answer {
  const method = methodOf(context.route);
  const names = new Set(error.invalid.map((i) => i.name.toLowerCase()));
  const value = error.legacyCode
    || (error.reason === 'FAMILY_NOT_FOUND' || names.has('familyid') ? 510 : 0)
    || (error.reason === 'ACCOUNT_NOT_FOUND' || names.has('accountid') || names.has('founderid') ? 1 : 0)
    || (names.has('identifier') || names.has('type') || error.reason === 'INVALID_IDENTIFIER' ? 21 : 0);
  const [name, description] = (method === 'search' && value === 21 ? SEARCH_21 : EXCEPTIONS[value]) ?? [error.reason, error.message];
  const status = error.code === 'unauthenticated' ? 401
    : error.code === 'method_not_allowed' ? 405
      : error.code === 'resource_exhausted' ? (error.reason === 'REQUEST_TOO_LARGE' ? 413 : 429)
        : ['internal', 'unknown', 'data_loss', 'unavailable', 'deadline_exceeded', 'unimplemented'].includes(error.code) ? 500
          // The seed's exceptions are answers of the call: they come back with 200, in the envelope.
          : 200;
  const headers: Record<string, string> = status === 429 ? { 'retry-after': error.retryAfter ?? '1' } : status === 401 ? { 'www-authenticate': 'Bearer' } : {};
  const key = FAMILY_ANSWERS.has(method) ? 'a00' : 'a01';
  return {
    status, headers,
    body: { [key]: { ex: { errorCode: name, type: 'Ex', value, description, message: error.message }, cn: method ? `prov${method}` : 'prov' } },
  };
}

// ---------------------------------------------------------------- routes

function prov<Req extends object, Res extends object>(
  method: string,
  r: Omit<Route<Req, Res>, 'methods' | 'path' | 'success'> & { result: Schema; resultDescription: string; out(answer: Res, input: Input): JsonValue },
): Route {
  const { result, resultDescription, out, ...rest } = r;
  return route<Req, Res>({
    ...rest,
    methods: ['GET', 'POST'],
    path: `${BASE}/${method}`,
    params: [CLIENT, ...r.params],
    success: {
      status: 200, description: resultDescription, schema: envelopeSchema(method, result),
      body: (answer, input) => envelope(method, out(answer, input)),
    },
  });
}

const TRUE = { type: 'string', enum: ['true'] };

const foundFamily = (input: Input): FoundFamilyRequestJson => ({
  clientId: input.path('client_id'), familyName: input.text('FamilyName') ?? '', familyImage: file(input, 'FamilyImage'),
  identifierType: identifierType(input, 'Type', 'Identifier'), identifier: input.text('Identifier') ?? '',
  firstName: input.text('Firstname') ?? '', locale: locale(input) ?? '', picture: file(input, 'Picture'),
});

export const seed004: Face = {
  seed: '004',
  tag: 'Legacy 004: Provisioning Management',
  description: [
    'Seed 004\'s `prov*` methods. The seed\'s `http://devserver/api/prov/<method>` is `/clients/{client_id}/api/prov/<method>`',
    'here: base URL `https://<this server>/clients/<client_id>/api`, one per client. Parameters as the seed sends them, in the query',
    'or a form body (multipart/form-data for FamilyImage and Picture), their names in any case; `GET` or `POST`.',
    'Send `Authorization: Bearer <token>`. Ids are UUIDs, not Longs. Every answer keeps the seed\'s envelope; the seed\'s numbered',
    'exceptions come back with HTTP 200 as `{"a01": {"ex": {"errorCode", "type": "Ex", "value", "description", "message"}, "cn"}}`',
    '(value: 1, 2, 12, 15, 17, 21, 22, 510; 0 for a refusal the seed did not number); only a bad token (401), the rate limit (429)',
    'and a server fault (500) change the HTTP status. Replaced by `ProvisioningService`.',
  ].join(' '),
  token: {},
  lenientParams: true,
  error: (error, context) => provError(error, context),
  errorSchema: {
    type: 'object',
    description: 'The envelope with the exception in place of the result, under `a00` for the family methods, `a01` otherwise.',
    additionalProperties: {
      type: 'object',
      properties: {
        ex: {
          type: 'object',
          properties: {
            errorCode: { type: 'string', description: 'The seed\'s exception name (FizFamilyDoesNotExistException...), or our reason for a refusal it did not name.' },
            type: { type: 'string', enum: ['Ex'] },
            value: { type: 'integer', description: 'The seed\'s number: 1, 2, 12, 15, 17, 21, 22, 510; 0 when it had none.' },
            description: { type: 'string' },
            message: { type: 'string', description: 'What went wrong, in words.' },
          },
          required: ['errorCode', 'type', 'value', 'description', 'message'],
        },
        cn: { type: 'string' },
      },
      required: ['ex', 'cn'],
    },
  },
  errorStatuses: {
    200: 'The seed\'s exceptions: the envelope with `ex` in place of `r`.',
    401: 'Missing, invalid or expired token (the same envelope).',
    429: 'Too many calls for this credential this second.',
  },
  routes: [
    prov<SearchAccountRequestJson, SearchAccountResponseJson>('search', {
      summary: 'provsearch: the accountId of the account with this identifier',
      params: [q('identifier', 'The email, MSISDN or login to look for.', 'string', true), q('type', 'Email, Msisdn or Login; absent (as in the seed\'s example), read from the identifier.')],
      rpc: `${PROV}/SearchAccount`,
      request: (input) => ({ clientId: input.path('client_id'), identifierType: identifierType(input, 'type', 'identifier'), identifier: input.text('identifier') ?? '' }),
      fields: { ...COMMON_FIELDS, identifierType: F('type'), identifier: F('identifier') },
      result: { ...ID, description: 'The accountId.' }, resultDescription: 'The account\'s id.',
      out: (answer) => answer.account?.accountId ?? '',
    }),
    prov<CreateFamilyRequestJson & FoundFamilyRequestJson, CreateFamilyResponseJson & FoundFamilyResponseJson>('createfamily', {
      summary: 'provcreatefamily: a family around an existing account, its founder (without founderId: provfoundfamily, whose URL the seed gives as this one)',
      params: [
        q('FamilyName', 'The family\'s name.', 'string', true), FAMILY_IMAGE, q('founderId', 'The founder\'s accountId: an account of this client.'),
        TYPE, q('Identifier', 'Without founderId: the new founder\'s identifier.'), q('Firstname', 'Without founderId: the new founder\'s first name.'), LOCALE, PICTURE,
      ],
      rpc: { among: [`${PROV}/CreateFamily`, `${PROV}/FoundFamily`], pick: (input): RpcPath => (input.has('founderId') ? `${PROV}/CreateFamily` : `${PROV}/FoundFamily`) },
      request: (input, rpc) => rpc.endsWith('/CreateFamily')
        ? { clientId: input.path('client_id'), name: input.text('FamilyName') ?? '', image: file(input, 'FamilyImage'), founderAccountId: input.text('founderId') ?? '' }
        : foundFamily(input),
      fields: { ...COMMON_FIELDS, name: F('FamilyName'), familyName: F('FamilyName'), image: F('FamilyImage', 'body'), familyImage: F('FamilyImage', 'body'), firstName: F('Firstname') },
      result: FAMILY_SCHEMA, resultDescription: 'The family created.',
      out: (answer) => familyOut(answer.family),
    }),
    prov<FoundFamilyRequestJson, FoundFamilyResponseJson>('foundfamily', {
      summary: 'provfoundfamily: a new account and the family it founds, at once',
      params: [
        q('FamilyName', 'The family\'s name.', 'string', true), FAMILY_IMAGE, TYPE, IDENTIFIER, q('Firstname', 'The user\'s first name.', 'string', true),
        { ...LOCALE, required: true }, PICTURE,
      ],
      rpc: `${PROV}/FoundFamily`,
      request: (input) => foundFamily(input),
      fields: { ...COMMON_FIELDS, familyName: F('FamilyName'), familyImage: F('FamilyImage', 'body'), firstName: F('Firstname') },
      result: FAMILY_SCHEMA, resultDescription: 'The family created, with its founder.',
      out: (answer) => familyOut(answer.family),
    }),
    prov<UpdateFamilyRequestJson, UpdateFamilyResponseJson>('updatefamily', {
      summary: 'provupdatefamily: a family\'s name or image',
      params: [FAMILY_ID, q('FamilyName', 'The new name; absent, unchanged.'), { ...FAMILY_IMAGE, description: 'A new image; absent, unchanged.' }],
      rpc: `${PROV}/UpdateFamily`,
      request: (input) => ({ familyId: input.text('familyId') ?? '', name: input.text('FamilyName') || undefined, image: file(input, 'FamilyImage') }),
      fields: { ...COMMON_FIELDS, name: F('FamilyName'), image: F('FamilyImage', 'body') },
      result: FAMILY_SCHEMA, resultDescription: 'The family as stored.',
      out: (answer) => familyOut(answer.family),
    }),
    prov<DeleteFamilyRequestJson, DeleteFamilyResponseJson>('deletefamily', {
      summary: 'provdeletefamily: the family; its members that had no other family are deleted too',
      params: [FAMILY_ID],
      rpc: `${PROV}/DeleteFamily`,
      request: (input) => ({ familyId: input.text('familyId') ?? '' }),
      fields: COMMON_FIELDS,
      result: TRUE, resultDescription: '`"true"`.',
      out: () => 'true',
    }),
    prov<CreateAccountRequestJson, CreateAccountResponseJson>('createaccount', {
      summary: 'provcreateaccount: a member of a family, who is sent an invitation (email or SMS)',
      params: [FAMILY_ID, TYPE, IDENTIFIER, q('UserName', 'The user\'s first name.', 'string', true), { ...LOCALE, required: true }, ACCOUNT_TYPE, PICTURE],
      rpc: `${PROV}/CreateAccount`,
      request: (input) => ({
        familyId: input.text('familyId') ?? '', identifierType: identifierType(input, 'Type', 'Identifier'), identifier: input.text('Identifier') ?? '',
        firstName: input.text('UserName') ?? '', locale: locale(input) ?? '', right: accountType(input), picture: file(input, 'Picture'),
      }),
      fields: { ...COMMON_FIELDS, firstName: F('UserName') },
      result: ACCOUNT_SCHEMA, resultDescription: 'The account created.',
      out: (answer) => accountOut(answer.account),
    }),
    prov<UpdateAccountRequestJson, UpdateAccountResponseJson>('updateaccount', {
      summary: 'provupdateaccount: an account\'s first name, locale or picture',
      params: [ACCOUNT_ID, q('UserName', 'The new first name; absent, unchanged.'), { ...LOCALE, description: `${LOCALE.description} A language alone (\`fr\`) is taken too.` }, PICTURE],
      rpc: `${PROV}/UpdateAccount`,
      request: (input) => ({ accountId: input.text('accountId') ?? '', firstName: input.text('UserName') || undefined, locale: locale(input), picture: file(input, 'Picture') }),
      fields: { ...COMMON_FIELDS, firstName: F('UserName') },
      result: ACCOUNT_SCHEMA, resultDescription: 'The account as stored.',
      out: (answer) => accountOut(answer.account),
    }),
    prov<AddAccountToFamilyRequestJson, AddAccountToFamilyResponseJson>('addaccount2family', {
      summary: 'provaddaccount2family: an existing account into another family of its client',
      params: [ACCOUNT_ID, FAMILY_ID, ACCOUNT_TYPE],
      rpc: `${PROV}/AddAccountToFamily`,
      request: (input) => ({ accountId: input.text('accountId') ?? '', familyId: input.text('familyId') ?? '', right: accountType(input) }),
      fields: COMMON_FIELDS,
      result: TRUE, resultDescription: '`"true"`.',
      out: () => 'true',
    }),
    prov<RemoveAccountFromFamilyRequestJson, RemoveAccountFromFamilyResponseJson>('removeaccount2family', {
      summary: 'provremoveaccount2family: an account out of one of its families (never its last, nor a family\'s last member)',
      params: [ACCOUNT_ID, FAMILY_ID],
      rpc: `${PROV}/RemoveAccountFromFamily`,
      request: (input) => ({ accountId: input.text('accountId') ?? '', familyId: input.text('familyId') ?? '' }),
      fields: COMMON_FIELDS,
      result: TRUE, resultDescription: '`"true"`.',
      out: () => 'true',
    }),
    prov<DeleteAccountRequestJson, DeleteAccountResponseJson>('deleteaccount', {
      summary: 'provdeleteaccount: the account; the families it leaves empty are deleted too',
      params: [ACCOUNT_ID],
      rpc: `${PROV}/DeleteAccount`,
      request: (input) => ({ accountId: input.text('accountId') ?? '' }),
      fields: COMMON_FIELDS,
      result: TRUE, resultDescription: '`"true"`.',
      out: () => 'true',
    }),
    prov<GetAccountRequestJson, GetAccountResponseJson>('getaccount', {
      summary: 'provgetaccount: an account',
      params: [ACCOUNT_ID],
      rpc: `${PROV}/GetAccount`,
      request: (input) => ({ accountId: input.text('accountId') ?? '' }),
      fields: COMMON_FIELDS,
      result: ACCOUNT_SCHEMA, resultDescription: 'The account.',
      out: (answer) => accountOut(answer.account),
    }),
    prov<GetFamilyRequestJson, GetFamilyResponseJson>('getfamily', {
      summary: 'provgetfamily: a family with its members',
      params: [FAMILY_ID],
      rpc: `${PROV}/GetFamily`,
      request: (input) => ({ familyId: input.text('familyId') ?? '' }),
      fields: COMMON_FIELDS,
      result: FAMILY_SCHEMA, resultDescription: 'The family.',
      out: (answer) => familyOut(answer.family),
    }),
  ],
};
