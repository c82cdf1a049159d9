// Seed 000: sequence diagrams of the reseller API whose Swagger page is seed
// 001. Its client detail and deletion are seed 001's routes; what it adds is
// the smartphone catalog, on CatalogService. The diagrams name no paths or
// fields: the paths follow the API's own convention (`/clients/all`,
// `/clients/{id}/infos`) and the fields its French names (docs/migrating.md).
import type {
  GetSmartphoneRequestJson, GetSmartphoneResponseJson, ListSmartphonesRequestJson, ListSmartphonesResponseJson, SmartphoneJson,
} from '../../../gen/reseller/v1/catalog_pb.js';
import { amount, isoMillis, route, type Face, type Schema } from '../define.ts';
import { FASTAPI_ERROR_SCHEMA, FASTAPI_STATUSES, fastApiError } from '../001/fastapi.ts';

const CATALOG = '/reseller.v1.CatalogService';

const AVAILABILITY: Record<string, string> = {
  SMARTPHONE_AVAILABILITY_IN_STOCK: 'en_stock', SMARTPHONE_AVAILABILITY_OUT_OF_STOCK: 'en_rupture', SMARTPHONE_AVAILABILITY_DISCONTINUED: 'arrete',
};

function smartphoneOut(s: SmartphoneJson | undefined) {
  return {
    smartphone_id: s?.smartphoneId ?? '',
    sku: s?.sku ?? '',
    marque: s?.brand ?? '',
    modele: s?.model ?? '',
    prix: amount(s?.price),
    devise: s?.price?.currency ?? '',
    stockage_go: s?.storageGb ?? 0,
    couleur: s?.colour ?? '',
    disponibilite: AVAILABILITY[s?.availability ?? ''] ?? 'arrete',
    timestamp: isoMillis(s?.createTime),
  };
}

const SMARTPHONE_SCHEMA: Schema = {
  type: 'object',
  properties: {
    smartphone_id: { type: 'string', format: 'uuid', description: 'The smartphone\'s identifier.' },
    sku: { type: 'string', description: 'The stock-keeping unit: one brand, model, storage and colour.' },
    marque: { type: 'string', description: 'The maker.' },
    modele: { type: 'string', description: 'The model.' },
    prix: { type: 'number', description: 'The list price excluding VAT, in `devise` (490.5 is 490.50).' },
    devise: { type: 'string', description: 'The ISO 4217 currency of `prix`.' },
    stockage_go: { type: 'integer', description: 'Storage, in gigabytes.' },
    couleur: { type: 'string', description: 'The colour.' },
    disponibilite: { type: 'string', enum: ['en_stock', 'en_rupture', 'arrete'], description: 'In stock, out of stock for now, or no longer sold.' },
    timestamp: { type: 'string', format: 'date-time', description: 'When it entered the catalog.' },
  },
  required: ['smartphone_id', 'sku', 'marque', 'modele', 'prix', 'devise', 'stockage_go', 'couleur', 'disponibilite', 'timestamp'],
};

export const seed000: Face = {
  seed: '000',
  tag: 'Legacy 000: smartphones',
  description: [
    'Seed 000\'s smartphone list and detail, with the same answers and order of checks as its client routes (405, 401,',
    '404, then 200): those client routes are seed 001\'s `GET /clients/{client_id}/infos` and `DELETE /clients/{client_id}`.',
    'Send `Authorization: Bearer <token>`. Replaced by `CatalogService.ListSmartphones` and `GetSmartphone`.',
  ].join(' '),
  token: {},
  error: (error) => fastApiError(error),
  errorSchema: FASTAPI_ERROR_SCHEMA,
  errorStatuses: FASTAPI_STATUSES,
  routes: [
    route<ListSmartphonesRequestJson, ListSmartphonesResponseJson>({
      methods: ['GET'], path: '/smartphones/all',
      summary: 'Obtenir la liste des smartphones: every smartphone of the catalog, by SKU',
      params: [],
      rpc: `${CATALOG}/ListSmartphones`,
      request: () => ({}),
      allPages: 'smartphones',
      success: {
        status: 200, description: 'Every smartphone, by SKU.', schema: { type: 'array', items: SMARTPHONE_SCHEMA },
        body: (answer) => (answer.smartphones ?? []).map(smartphoneOut),
      },
    }),
    route<GetSmartphoneRequestJson, GetSmartphoneResponseJson>({
      methods: ['GET'], path: '/smartphones/{smartphone_id}/infos',
      summary: 'Obtenir le détail d\'un smartphone',
      params: [{ name: 'smartphone_id', in: 'path', type: 'string', required: true, description: 'The smartphone\'s identifier.' }],
      rpc: `${CATALOG}/GetSmartphone`,
      request: (input) => ({ smartphoneId: input.path('smartphone_id') }),
      fields: { smartphoneId: { name: 'smartphone_id', in: 'path' } },
      success: { status: 200, description: 'The smartphone.', schema: SMARTPHONE_SCHEMA, body: (answer) => smartphoneOut(answer.smartphone) },
      errors: { 404: 'Not found: no smartphone has this id; `detail` says why.' },
    }),
  ],
};
