// The authorization matrix (issue 9, item 1): every method of every service the
// server registers (read from the router server/connect.ts fills, so a new
// method cannot be forgotten: it fails the completeness test until it has a row
// in FIXTURES), called over the wire as curl does, with
//   no token, a malformed token, an expired token, a revoked credential's token,
//   another reseller's token on this reseller's objects, a support token on a
//   write, and a reseller token on a staff method.
// "Leaks nothing": reseller B's answer about reseller A's object is compared with
// B's answer for ids that never existed (same status, code, reason, message and
// metadata once the ids are swapped back), and never names A's objects.
//
// The legacy faces (server/legacy/: each seed's REST API, calling these same
// methods in-process) have their own table, LEGACY, one entry per route of
// every face, held to the same cases; a route added to a face fails the
// completeness test until it has a row.
//
// Open by design (no token needed, asserted below):
//   - reseller.v1.AuthService: CreateToken is how a token is obtained; the
//     staff steps (AcceptStaffInvitation, ConfirmTotpEnrolment, SignIn,
//     RefreshSession, SignOut) carry their own proof instead (an invitation
//     token, a password and TOTP code, a refresh token): with a made-up proof
//     they answer 401 with their own reason, whatever Authorization says;
//   - grpc.health.v1.Health: load balancers and Kubernetes probes have no token;
//   - grpc.reflection.*: describes the schema, which the published API reference
//     (/docs, gen/openapi) shows anyway; it reads no tenant data.
//
// Calls per credential: every case group uses its own credential (B, C, support,
// expired, revoked), and calls are sequential: about 60 to 130 calls a group,
// a few hundred a second at most on this machine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Code, createClient } from '@connectrpc/connect';
import { codeFromString, codeToHttpStatus } from '@connectrpc/connect/protocol-connect';
import { createGrpcTransport } from '@connectrpc/connect-node';
import { Health } from '../gen/grpc/health/v1/health_pb.js';
import { ServerReflection } from '../gen/grpc/reflection/v1/reflection_pb.js';
import { ServerReflection as ServerReflectionV1alpha } from '../gen/grpc/reflection/v1alpha/reflection_pb.js';
import { ADMIN_ID, ADMIN_SECRET, createReseller, describeEachDatabase, parseAnswer, staffToken, startServer, type HttpAnswer, type TestReseller, type TestServer } from './support/server.ts';
import { registeredMethods, type RegisteredMethod } from './support/methods.ts';
import { PNG } from './support/provisioning.ts';
import { StatementRecorder, tenancyViolations } from './support/tenancy.ts';
import { FACES } from '../server/legacy/faces.ts';
import { enrolPerson, signIn, startMailbox, uniqueStaffEmail, type Mailbox } from './support/staff.ts';

/** What a method is, for authorization. */
type Access =
  /** No token needed (see the header comment for why). */
  | 'open'
  /** No token needed, but a proof of its own in the request (made up in the fixture): 401 with its own reason. */
  | 'proof'
  /** A reseller's own data, read: resellers (their own), admin and support. */
  | 'read'
  /** A reseller's own data, changed: resellers (their own) and admin; support is read-only. */
  | 'write'
  /** The shared catalog, read by every token. */
  | 'catalog-read'
  /** The shared catalog, changed by admin only. */
  | 'catalog-write'
  /** Staff-only services (AccessService, AuditService): admin and, for reads, support. */
  | 'staff';

/**
 * What reseller B gets when it aims a tenant method at A's objects: not_found,
 * a list without A's objects, or (for a create naming A's reseller_id, a field
 * for staff) invalid_argument.
 */
type Foreign = 'not_found' | 'list' | 'invalid_argument';

interface Entry {
  access: Access;
  /** A valid request aimed at reseller A's objects. */
  request: (ids: Ids) => Record<string, unknown>;
  /** For 'read' and 'write': B's answer. */
  foreign?: Foreign;
}

/** Reseller A's objects, made in beforeAll. */
interface Ids {
  resellerId: string;
  clientId: string;
  /** Deactivated and reactivated by the matrix's own-token pass. */
  client2Id: string;
  clientEtag: string;
  siteId: string;
  /** Deleted by the own-token pass. */
  siteDelId: string;
  equipmentId: string;
  /** Removed by the own-token pass. */
  equipmentDelId: string;
  /** Linked and assigned to the founder. */
  device1: string;
  /** Linked (unlinked by the own-token pass). */
  device2: string;
  /** Not linked (linked by the own-token pass). */
  device3: string;
  familyId: string;
  /** Deleted by the own-token pass. */
  familyDelId: string;
  /** A second family the founder is added to. */
  otherFamilyId: string;
  founderId: string;
  founderIdentifier: string;
  memberId: string;
  /** Deleted by the own-token pass. */
  accountDelId: string;
  interfaceKey: string;
  /** Deleted by the own-token pass. */
  interfaceDelKey: string;
  /** Deleted by the legacy faces' own-token pass. */
  legacyFamilyDelId: string;
  legacyAccountDelId: string;
  legacyInterfaceDelKey: string;
  lineCode: string;
  credentialId: string;
  smartphoneId: string;
  /** A staff person, disabled by the own-token pass, and one of their sessions. */
  staffUserId: string;
  sessionId: string;
  /** A webhook endpoint of A's (https, never called: the jobs do not run here). */
  endpointId: string;
  /** Deleted by the own-token pass. */
  endpointDelId: string;
  /** One of A's events. */
  eventId: string;
  /** A's names and codes: B's answers must never contain one it did not send. */
  names: string[];
}

const FIXTURES: Record<string, Entry> = {
  'reseller.v1.AuthService/CreateToken': { access: 'open', request: () => ({ clientId: ADMIN_ID, clientSecret: ADMIN_SECRET }) },
  'reseller.v1.AuthService/AcceptStaffInvitation': { access: 'proof', request: () => ({ invitationToken: 'si_made-up', password: 'a long enough passphrase 9' }) },
  'reseller.v1.AuthService/ConfirmTotpEnrolment': { access: 'proof', request: () => ({ invitationToken: 'si_made-up', totpCode: '123456' }) },
  'reseller.v1.AuthService/SignIn': { access: 'proof', request: () => ({ email: uniqueStaffEmail('nobody'), password: 'a long enough passphrase 9', totpCode: '123456' }) },
  'reseller.v1.AuthService/RefreshSession': { access: 'proof', request: () => ({ refreshToken: 'rt_made-up' }) },
  'reseller.v1.AuthService/SignOut': { access: 'proof', request: () => ({ refreshToken: 'rt_made-up' }) },

  'reseller.v1.AccessService/CreateReseller': { access: 'staff', request: () => ({ name: 'Matrix Made Reseller' }) },
  'reseller.v1.AccessService/ListResellers': { access: 'staff', request: () => ({}) },
  'reseller.v1.AccessService/CreateCredential': { access: 'staff', request: (i) => ({ role: 'ROLE_RESELLER', resellerId: i.resellerId, displayName: 'matrix' }) },
  'reseller.v1.AccessService/ListCredentials': { access: 'staff', request: (i) => ({ resellerId: i.resellerId }) },
  'reseller.v1.AccessService/RevokeCredential': { access: 'staff', request: (i) => ({ credentialId: i.credentialId }) },
  'reseller.v1.AuditService/ListAuditEvents': { access: 'staff', request: (i) => ({ resellerId: i.resellerId }) },
  'reseller.v1.StaffService/InviteStaffUser': { access: 'staff', request: () => ({ email: uniqueStaffEmail('matrix'), displayName: 'Matrix Invitee', role: 'ROLE_SUPPORT' }) },
  'reseller.v1.StaffService/ListStaffUsers': { access: 'staff', request: () => ({}) },
  'reseller.v1.StaffService/DisableStaffUser': { access: 'staff', request: (i) => ({ staffUserId: i.staffUserId }) },
  'reseller.v1.StaffService/ListSessions': { access: 'staff', request: (i) => ({ staffUserId: i.staffUserId }) },
  'reseller.v1.StaffService/RevokeSession': { access: 'staff', request: (i) => ({ sessionId: i.sessionId }) },

  'reseller.v1.ClientService/ListClients': { access: 'read', foreign: 'list', request: (i) => ({ resellerId: i.resellerId }) },
  'reseller.v1.ClientService/RegisterClient': { access: 'write', foreign: 'invalid_argument', request: (i) => ({ name: 'Matrix Registered', code: `MX-${Date.now() % 1e9}-${Math.random().toString(36).slice(2, 6).toUpperCase()}`, resellerId: i.resellerId }) },
  'reseller.v1.ClientService/UpdateClient': { access: 'write', foreign: 'not_found', request: (i) => ({ clientId: i.clientId, name: 'Acme Matrix Client' }) },
  'reseller.v1.ClientService/GetClient': { access: 'read', foreign: 'not_found', request: (i) => ({ clientId: i.clientId }) },
  'reseller.v1.ClientService/DeactivateClient': { access: 'write', foreign: 'not_found', request: (i) => ({ clientId: i.client2Id }) },
  'reseller.v1.ClientService/ReactivateClient': { access: 'write', foreign: 'not_found', request: (i) => ({ clientId: i.client2Id }) },
  'reseller.v1.ClientService/CreateSite': { access: 'write', foreign: 'not_found', request: (i) => ({ clientId: i.clientId, name: 'Matrix Site' }) },
  'reseller.v1.ClientService/UpdateSite': { access: 'write', foreign: 'not_found', request: (i) => ({ siteId: i.siteId, name: 'Acme Matrix Office' }) },
  'reseller.v1.ClientService/DeleteSite': { access: 'write', foreign: 'not_found', request: (i) => ({ siteId: i.siteDelId }) },
  'reseller.v1.ClientService/ListSites': { access: 'read', foreign: 'not_found', request: (i) => ({ clientId: i.clientId }) },
  'reseller.v1.ClientService/AddEquipment': { access: 'write', foreign: 'not_found', request: (i) => ({ siteId: i.siteId, kind: 'EQUIPMENT_KIND_DESK_PHONE', serialNumber: 'SN-MATRIX-ADD' }) },
  'reseller.v1.ClientService/UpdateEquipment': { access: 'write', foreign: 'not_found', request: (i) => ({ equipmentId: i.equipmentId, label: 'Matrix label' }) },
  'reseller.v1.ClientService/RemoveEquipment': { access: 'write', foreign: 'not_found', request: (i) => ({ equipmentId: i.equipmentDelId }) },
  'reseller.v1.ClientService/ListEquipment': { access: 'read', foreign: 'not_found', request: (i) => ({ clientId: i.clientId, siteId: i.siteId }) },

  'reseller.v1.ProvisioningService/SearchAccount': { access: 'read', foreign: 'not_found', request: (i) => ({ clientId: i.clientId, identifierType: 'IDENTIFIER_TYPE_LOGIN', identifier: i.founderIdentifier }) },
  'reseller.v1.ProvisioningService/CreateFamily': { access: 'write', foreign: 'not_found', request: (i) => ({ clientId: i.clientId, name: 'Matrix Family', founderAccountId: i.memberId }) },
  'reseller.v1.ProvisioningService/FoundFamily': { access: 'write', foreign: 'not_found', request: (i) => ({ clientId: i.clientId, familyName: 'Matrix Founded', identifierType: 'IDENTIFIER_TYPE_LOGIN', identifier: `matrix-found-${Math.random().toString(36).slice(2, 8)}`, firstName: 'Ann', locale: 'fr_FR' }) },
  'reseller.v1.ProvisioningService/UpdateFamily': { access: 'write', foreign: 'not_found', request: (i) => ({ familyId: i.familyId, name: 'Acme Matrix Family' }) },
  'reseller.v1.ProvisioningService/DeleteFamily': { access: 'write', foreign: 'not_found', request: (i) => ({ familyId: i.familyDelId }) },
  'reseller.v1.ProvisioningService/CreateAccount': { access: 'write', foreign: 'not_found', request: (i) => ({ familyId: i.familyId, identifierType: 'IDENTIFIER_TYPE_LOGIN', identifier: `matrix-acct-${Math.random().toString(36).slice(2, 8)}`, firstName: 'Bob', locale: 'fr_FR' }) },
  'reseller.v1.ProvisioningService/UpdateAccount': { access: 'write', foreign: 'not_found', request: (i) => ({ accountId: i.memberId, firstName: 'Bertrand' }) },
  'reseller.v1.ProvisioningService/AddAccountToFamily': { access: 'write', foreign: 'not_found', request: (i) => ({ accountId: i.founderId, familyId: i.otherFamilyId }) },
  'reseller.v1.ProvisioningService/RemoveAccountFromFamily': { access: 'write', foreign: 'not_found', request: (i) => ({ accountId: i.memberId, familyId: i.familyId }) },
  'reseller.v1.ProvisioningService/DeleteAccount': { access: 'write', foreign: 'not_found', request: (i) => ({ accountId: i.accountDelId }) },
  'reseller.v1.ProvisioningService/GetAccount': { access: 'read', foreign: 'not_found', request: (i) => ({ accountId: i.founderId }) },
  'reseller.v1.ProvisioningService/GetFamily': { access: 'read', foreign: 'not_found', request: (i) => ({ familyId: i.familyId }) },
  'reseller.v1.ProvisioningService/GrantRole': { access: 'write', foreign: 'not_found', request: (i) => ({ accountId: i.founderId, role: 'ACCOUNT_ROLE_CUSTOMER_USER_UC' }) },
  'reseller.v1.ProvisioningService/RevokeRole': { access: 'write', foreign: 'not_found', request: (i) => ({ accountId: i.memberId, role: 'ACCOUNT_ROLE_CUSTOMER_USER_UC' }) },
  'reseller.v1.ProvisioningService/ListAccounts': { access: 'read', foreign: 'not_found', request: (i) => ({ clientId: i.clientId, query: 'acme' }) },
  'reseller.v1.ProvisioningService/ListFamilies': { access: 'read', foreign: 'not_found', request: (i) => ({ clientId: i.clientId }) },

  'reseller.v1.CatalogService/ListOfferings': { access: 'catalog-read', request: () => ({}) },
  'reseller.v1.CatalogService/GetOffering': { access: 'catalog-read', request: () => ({ code: 'IN-BTQST-S' }) },
  'reseller.v1.CatalogService/ListSmartphones': { access: 'catalog-read', request: () => ({}) },
  'reseller.v1.CatalogService/GetSmartphone': { access: 'catalog-read', request: (i) => ({ smartphoneId: i.smartphoneId }) },
  'reseller.v1.CatalogService/UpsertOffering': { access: 'catalog-write', request: () => ({ code: 'MO-MATRIX-UPSERT', name: 'Matrix module', price: { amountMinor: '100', currency: 'EUR' }, kind: 'OFFERING_KIND_OPTION' }) },
  'reseller.v1.CatalogService/UpsertSmartphone': { access: 'catalog-write', request: () => ({ sku: 'SP-MATRIX-UPSERT', brand: 'Matrix', model: 'One', price: { amountMinor: '10000', currency: 'EUR' }, storageGb: 64, colour: 'black', availability: 'SMARTPHONE_AVAILABILITY_IN_STOCK' }) },
  'reseller.v1.CatalogService/RetireOffering': { access: 'catalog-write', request: () => ({ code: 'MO-MATRIX-UPSERT' }) },

  'reseller.v1.InterfaceService/ListInterfaces': { access: 'read', foreign: 'list', request: (i) => ({ resellerId: i.resellerId }) },
  'reseller.v1.InterfaceService/GetInterface': { access: 'read', foreign: 'not_found', request: (i) => ({ key: i.interfaceKey }) },
  'reseller.v1.InterfaceService/CreateInterface': { access: 'write', foreign: 'invalid_argument', request: (i) => ({ ...order(`matrix-${Math.random().toString(36).slice(2, 10)}`), resellerId: i.resellerId }) },
  'reseller.v1.InterfaceService/DeleteInterface': { access: 'write', foreign: 'not_found', request: (i) => ({ key: i.interfaceDelKey }) },
  'reseller.v1.InterfaceService/ReactivateInterface': { access: 'write', foreign: 'not_found', request: (i) => ({ key: i.interfaceKey }) },
  'reseller.v1.InterfaceService/ListInterfaceOfferings': { access: 'read', foreign: 'not_found', request: (i) => ({ key: i.interfaceKey }) },
  'reseller.v1.InterfaceService/GetInterfaceOffering': { access: 'read', foreign: 'not_found', request: (i) => ({ key: i.interfaceKey, code: i.lineCode }) },
  'reseller.v1.InterfaceService/AddInterfaceOfferings': { access: 'write', foreign: 'not_found', request: (i) => ({ key: i.interfaceKey, offeringCodes: ['MO-NEWSLETTER-AMM'] }) },
  'reseller.v1.InterfaceService/CancelInterfaceOffering': { access: 'write', foreign: 'not_found', request: (i) => ({ key: i.interfaceKey, codeOrReference: 'MO-NEWSLETTER-AMM' }) },

  'reseller.v1.DeviceService/LinkDevice': { access: 'write', foreign: 'not_found', request: (i) => ({ clientId: i.clientId, accountId: i.founderId, deviceId: i.device3 }) },
  'reseller.v1.DeviceService/UnlinkDevice': { access: 'write', foreign: 'not_found', request: (i) => ({ clientId: i.clientId, accountId: i.founderId, deviceId: i.device2 }) },
  'reseller.v1.DeviceService/AssignDevice': { access: 'write', foreign: 'not_found', request: (i) => ({ clientId: i.clientId, accountId: i.founderId, deviceId: i.device1, clientType: 'SOFTPHONE_CLIENT_TYPE_DESKTOP', acceptCharges: true }) },
  'reseller.v1.DeviceService/UnassignDevice': { access: 'write', foreign: 'not_found', request: (i) => ({ clientId: i.clientId, accountId: i.founderId, deviceId: i.device1 }) },
  'reseller.v1.DeviceService/ListAccountDevices': { access: 'read', foreign: 'not_found', request: (i) => ({ clientId: i.clientId, accountId: i.founderId }) },
  'reseller.v1.DeviceService/ListCharges': { access: 'read', foreign: 'not_found', request: (i) => ({ clientId: i.clientId }) },

  'reseller.v1.EventService/ListEvents': { access: 'read', foreign: 'invalid_argument', request: (i) => ({ resellerId: i.resellerId }) },
  'reseller.v1.EventService/StreamEvents': { access: 'read', foreign: 'invalid_argument', request: (i) => ({ resellerId: i.resellerId }) },
  'reseller.v1.EventService/CreateWebhookEndpoint': { access: 'write', foreign: 'invalid_argument', request: (i) => ({ resellerId: i.resellerId, url: 'https://hooks.acme-matrix.example/made' }) },
  'reseller.v1.EventService/ListWebhookEndpoints': { access: 'read', foreign: 'invalid_argument', request: (i) => ({ resellerId: i.resellerId }) },
  'reseller.v1.EventService/UpdateWebhookEndpoint': { access: 'write', foreign: 'not_found', request: (i) => ({ endpointId: i.endpointId, description: 'Acme Matrix hook' }) },
  'reseller.v1.EventService/DeleteWebhookEndpoint': { access: 'write', foreign: 'not_found', request: (i) => ({ endpointId: i.endpointDelId }) },
  'reseller.v1.EventService/RotateWebhookSecret': { access: 'write', foreign: 'not_found', request: (i) => ({ endpointId: i.endpointId }) },
  'reseller.v1.EventService/ListDeliveryAttempts': { access: 'read', foreign: 'not_found', request: (i) => ({ endpointId: i.endpointId }) },
  'reseller.v1.EventService/RedeliverEvents': { access: 'write', foreign: 'not_found', request: (i) => ({ endpointId: i.endpointId, eventId: i.eventId }) },

  'grpc.health.v1.Health/Check': { access: 'open', request: () => ({}) },
  'grpc.health.v1.Health/List': { access: 'open', request: () => ({}) },
  'grpc.health.v1.Health/Watch': { access: 'open', request: () => ({}) },
  'grpc.reflection.v1.ServerReflection/ServerReflectionInfo': { access: 'open', request: () => ({ listServices: '' }) },
  'grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo': { access: 'open', request: () => ({ listServices: '' }) },
};

/** A legacy route's request aimed at A's objects: its path parameters, query, JSON body and headers. */
interface LegacyRequest {
  path?: Record<string, string>;
  query?: Record<string, string>;
  json?: unknown;
  headers?: Record<string, string>;
}

interface LegacyEntry {
  access: 'open' | 'read' | 'write' | 'catalog-read';
  /** For 'read' and 'write': what B gets. 'own': B creates its own object (nothing of A's is named). */
  foreign?: 'not_found' | 'list' | 'own';
  request: (ids: Ids) => LegacyRequest;
}

const CLIENT_PATH = (i: Ids) => ({ client_id: i.clientId });
const DEVICE_PATH = (i: Ids) => ({ CUSTOMER_TENANT_ID: i.clientId, USER_ID: i.founderId, DEVICE_ID: i.device1 });

/** Every route of every legacy face, by `seed METHODS path` (the key legacyKey() makes). */
const LEGACY: Record<string, LegacyEntry> = {
  '000 GET /smartphones/all': { access: 'catalog-read', request: () => ({}) },
  '000 GET /smartphones/{smartphone_id}/infos': { access: 'catalog-read', request: (i) => ({ path: { smartphone_id: i.smartphoneId } }) },

  '001 GET /clients/all': { access: 'read', foreign: 'list', request: () => ({}) },
  '001 POST /clients/register': { access: 'write', foreign: 'own', request: () => ({ json: { nom: 'Matrix Legacy Registered', code: Math.floor(Math.random() * 1e9) } }) },
  '001 PUT /clients/update': { access: 'write', foreign: 'not_found', request: (i) => ({ json: { client_id: i.clientId, nom: 'Acme Matrix Client' } }) },
  '001 GET /clients/{client_id}/infos': { access: 'read', foreign: 'not_found', request: (i) => ({ path: { client_id: i.clientId } }) },
  '001 DELETE /clients/{client_id}': { access: 'write', foreign: 'not_found', request: (i) => ({ path: { client_id: i.client2Id } }) },

  '002 PUT|POST /api/v1.0/customers/{CUSTOMER_TENANT_ID}/users/{USER_ID}/devices/pbx/{DEVICE_ID}/assign': {
    access: 'write', foreign: 'not_found', request: (i) => ({ path: DEVICE_PATH(i), json: { clientType: 'bureau' }, headers: { 'accept-charges': 'true' } }),
  },
  '002 PUT|POST /api/v1.0/customers/{CUSTOMER_TENANT_ID}/users/{USER_ID}/devices/pbx/{DEVICE_ID}/unassign': {
    access: 'write', foreign: 'not_found', request: (i) => ({ path: DEVICE_PATH(i) }),
  },

  '003 GET /token': { access: 'open', request: () => ({ query: { client_id: ADMIN_ID, client_secret: ADMIN_SECRET } }) },
  '003 GET /interfaces': { access: 'read', foreign: 'list', request: () => ({}) },
  '003 POST /interfaces': {
    access: 'write', foreign: 'own',
    request: () => {
      const tag = `matrix-legacy-${Math.random().toString(36).slice(2, 10)}`;
      return { json: { guid: tag, prestations: ['IN-VITRINE-S', 'IN-VITRINE-AMM'], sous_domaine: tag, client: { nom: 'Martin', adresse: '1 rue', code_postal: '69003', ville: 'Lyon', pays: 'FR', telephone: '0472000000', email: 'm@example.com' } } };
    },
  },
  '003 GET /interfaces/{cle_interface}': { access: 'read', foreign: 'not_found', request: (i) => ({ path: { cle_interface: i.interfaceKey } }) },
  '003 DELETE /interfaces/{cle_interface}': { access: 'write', foreign: 'not_found', request: (i) => ({ path: { cle_interface: i.legacyInterfaceDelKey } }) },
  '003 POST /interfaces/{cle_interface}': { access: 'write', foreign: 'not_found', request: (i) => ({ path: { cle_interface: i.interfaceKey } }) },
  '003 GET /interfaces/{cle_interface}/prestations': { access: 'read', foreign: 'not_found', request: (i) => ({ path: { cle_interface: i.interfaceKey } }) },
  '003 POST /interfaces/{cle_interface}/prestations': { access: 'write', foreign: 'not_found', request: (i) => ({ path: { cle_interface: i.interfaceKey }, json: ['MO-NEWSLETTER-AMM'] }) },
  '003 GET /interfaces/{cle_interface}/prestations/{code_prestation}': { access: 'read', foreign: 'not_found', request: (i) => ({ path: { cle_interface: i.interfaceKey, code_prestation: i.lineCode } }) },
  '003 DELETE /interfaces/{cle_interface}/prestations/{code_prestation}': { access: 'write', foreign: 'not_found', request: (i) => ({ path: { cle_interface: i.interfaceKey, code_prestation: 'MO-NEWSLETTER-AMM' } }) },
  '003 GET /prestations': { access: 'catalog-read', request: () => ({}) },
  '003 GET /prestation/{code}': { access: 'catalog-read', request: () => ({ path: { code: 'IN-BTQST-S' } }) },

  '004 GET|POST /clients/{client_id}/api/prov/search': { access: 'read', foreign: 'not_found', request: (i) => ({ path: CLIENT_PATH(i), query: { identifier: i.founderIdentifier, type: 'Login' } }) },
  '004 GET|POST /clients/{client_id}/api/prov/createfamily': { access: 'write', foreign: 'not_found', request: (i) => ({ path: CLIENT_PATH(i), query: { FamilyName: 'Matrix Legacy Family', founderId: i.memberId } }) },
  '004 GET|POST /clients/{client_id}/api/prov/foundfamily': {
    access: 'write', foreign: 'not_found',
    request: (i) => ({ path: CLIENT_PATH(i), query: { FamilyName: 'Matrix Legacy Founded', Type: 'Login', Identifier: `matrix-legacy-${Math.random().toString(36).slice(2, 8)}`, Firstname: 'Ann', Locale: 'fr_FR' } }),
  },
  '004 GET|POST /clients/{client_id}/api/prov/updatefamily': { access: 'write', foreign: 'not_found', request: (i) => ({ path: CLIENT_PATH(i), query: { familyId: i.familyId, FamilyName: 'Acme Matrix Family' } }) },
  '004 GET|POST /clients/{client_id}/api/prov/deletefamily': { access: 'write', foreign: 'not_found', request: (i) => ({ path: CLIENT_PATH(i), query: { familyId: i.legacyFamilyDelId } }) },
  '004 GET|POST /clients/{client_id}/api/prov/createaccount': {
    access: 'write', foreign: 'not_found',
    request: (i) => ({ path: CLIENT_PATH(i), query: { familyId: i.familyId, Type: 'Login', Identifier: `matrix-legacy-${Math.random().toString(36).slice(2, 8)}`, UserName: 'Bob', Locale: 'fr_FR' } }),
  },
  '004 GET|POST /clients/{client_id}/api/prov/updateaccount': { access: 'write', foreign: 'not_found', request: (i) => ({ path: CLIENT_PATH(i), query: { accountId: i.memberId, UserName: 'Bertrand' } }) },
  '004 GET|POST /clients/{client_id}/api/prov/addaccount2family': { access: 'write', foreign: 'not_found', request: (i) => ({ path: CLIENT_PATH(i), query: { accountId: i.founderId, familyId: i.otherFamilyId } }) },
  '004 GET|POST /clients/{client_id}/api/prov/removeaccount2family': { access: 'write', foreign: 'not_found', request: (i) => ({ path: CLIENT_PATH(i), query: { accountId: i.memberId, familyId: i.familyId } }) },
  '004 GET|POST /clients/{client_id}/api/prov/deleteaccount': { access: 'write', foreign: 'not_found', request: (i) => ({ path: CLIENT_PATH(i), query: { accountId: i.legacyAccountDelId } }) },
  '004 GET|POST /clients/{client_id}/api/prov/getaccount': { access: 'read', foreign: 'not_found', request: (i) => ({ path: CLIENT_PATH(i), query: { accountId: i.founderId } }) },
  '004 GET|POST /clients/{client_id}/api/prov/getfamily': { access: 'read', foreign: 'not_found', request: (i) => ({ path: CLIENT_PATH(i), query: { familyId: i.familyId } }) },
};

interface LegacyRoute {
  key: string;
  seed: string;
  method: string;
  template: string;
}

const LEGACY_ROUTES: LegacyRoute[] = FACES.flatMap((face) => face.routes.map((route) => ({
  key: `${face.seed} ${route.methods.join('|')} ${route.path}`, seed: face.seed, method: route.methods[0]!, template: route.path,
})));

/**
 * Whether a legacy answer refuses, and what it says, in its seed's shape:
 * an HTTP error everywhere, except seed 004 whose exceptions come back with
 * 200 inside its envelope.
 */
function refusalOf(seed: string, answer: HttpAnswer): { refused: boolean; message: string } {
  const body = answer.body;
  if (seed === '004' && body && typeof body === 'object') {
    const ex = Object.values<any>(body)[0]?.ex;
    if (ex) return { refused: true, message: `${ex.errorCode} ${ex.value} ${ex.message}` };
  }
  const message = typeof body === 'string' ? body : typeof body?.detail === 'string' ? body.detail : body?.message ?? JSON.stringify(body);
  return { refused: answer.status >= 400, message: String(message) };
}

const CONTACT = {
  lastName: 'Martin', firstName: 'Claire', company: 'Acme Matrix Bakery', address: '12 rue des Lilas', postalCode: '69003',
  city: 'Lyon', country: 'FR', phone: '+33 4 72 00 00 00', email: 'claire@acme-matrix.example', rcs: 'RCS Lyon 123 456 789', ape: '1071C',
};

function order(tag: string) {
  return { guid: `guid-${tag}`, offeringCodes: ['IN-BTQST-S', 'IN-BTQZ-AMM'], contact: CONTACT, subdomain: `shop-${tag}` };
}

const METHODS = registeredMethods();

function reasonOf(body: any): string | undefined {
  return body?.details?.[0]?.debug?.reason;
}

function show(answer: HttpAnswer): string {
  return `${answer.status} ${typeof answer.body === 'string' ? answer.body.slice(0, 300) : JSON.stringify(answer.body).slice(0, 300)}`;
}

/** Ids that never existed, of the same shape as A's (UUIDs for UUIDs, text for text). */
function ghostOf(id: string, n: number): string {
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) {
    return `01890000-0000-7000-8000-${String(n).padStart(12, '0')}`;
  }
  return `${id.slice(0, Math.max(1, id.length - 6))}ghost${n}`.slice(0, Math.max(id.length, 8));
}

/** Swaps every occurrence of each key for its value in a JSON value. */
function swap(value: unknown, pairs: [string, string][]): unknown {
  let text = JSON.stringify(value);
  for (const [from, to] of pairs) text = text.split(from).join(to);
  return JSON.parse(text);
}

/** What an answer says, for comparing two answers: everything but per-call noise. */
function essence(answer: HttpAnswer): unknown {
  const body = answer.body;
  if (answer.status === 200) return { status: 200, body };
  return {
    status: answer.status, code: body?.code, message: body?.message,
    details: (body?.details ?? []).map((d: any) => ({ type: d.type, debug: d.debug })),
    extraKeys: typeof body === 'object' && body ? Object.keys(body).filter((k) => !['code', 'message', 'details'].includes(k)) : [],
  };
}

/** A legacy answer without its per-call noise (seed 002 stamps its answers). */
function legacyEssence(answer: HttpAnswer): unknown {
  return { status: answer.status, body: JSON.parse(JSON.stringify(answer.body ?? null, (key, value) => (key === 'timestamp' ? undefined : value))) };
}

describe('the matrix table', () => {
  it('has exactly one entry per registered method (a new method fails here until it is classified)', () => {
    const registered = METHODS.map((m) => m.name).sort();
    const missing = registered.filter((name) => !(name in FIXTURES));
    const stale = Object.keys(FIXTURES).filter((name) => !registered.includes(name));
    expect({ missing, stale }).toEqual({ missing: [], stale: [] });
    // The interceptor treats methods marked NO_SIDE_EFFECTS as reads: the
    // table's read/write split must agree with the contract.
    const disagree = METHODS.filter((m) => {
      const access = FIXTURES[m.name]?.access;
      if (access === 'read' || access === 'catalog-read') return !m.readOnly;
      if (access === 'write' || access === 'catalog-write') return m.readOnly;
      return false;
    }).map((m) => m.name);
    expect(disagree).toEqual([]);
  });

  it('has exactly one legacy entry per route of every legacy face (a new route fails here until it is classified)', () => {
    const routes = LEGACY_ROUTES.map((r) => r.key).sort();
    expect({ missing: routes.filter((k) => !(k in LEGACY)), stale: Object.keys(LEGACY).filter((k) => !routes.includes(k)) }).toEqual({ missing: [], stale: [] });
    // A legacy route's read/write split agrees with the Connect method it calls.
    const byPath = new Map(METHODS.map((m) => [m.path, m]));
    const disagree = FACES.flatMap((face) => face.routes.flatMap((route) => {
      const rpcs = typeof route.rpc === 'string' ? [route.rpc] : route.rpc.among;
      const access = LEGACY[`${face.seed} ${route.methods.join('|')} ${route.path}`]?.access;
      return rpcs.filter((rpc) => {
        const m = byPath.get(rpc);
        if (!m) return true;
        if (access === 'open') return FIXTURES[m.name]?.access !== 'open';
        return (access === 'read' || access === 'catalog-read') !== m.readOnly;
      }).map((rpc) => `${route.path} -> ${rpc}`);
    }));
    expect(disagree).toEqual([]);
  });

  it('sees every service server/connect.ts registers, the open ones included', () => {
    const services = new Set(METHODS.map((m) => m.service.typeName));
    for (const name of ['reseller.v1.ClientService', 'reseller.v1.DeviceService', 'grpc.health.v1.Health', 'grpc.reflection.v1.ServerReflection']) {
      expect(services.has(name), name).toBe(true);
    }
  });
});

describeEachDatabase('authorization matrix', (kind) => {
  let server: TestServer;
  let a: TestReseller;
  let ids: Ids;
  // SQLite tells every statement it runs: the matrix also checks that each one
  // run for a reseller carries that reseller's condition (tenancy by construction).
  const recorder = new StatementRecorder();

  /** POSTs the method's JSON body with an Authorization header as given (undefined: none). */
  async function post(m: RegisteredMethod, body: unknown, authorization?: string): Promise<HttpAnswer> {
    if (!m.unary) return postStream(m, body, authorization);
    const response = await fetch(`${server.url}${m.path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization === undefined ? {} : { authorization }) },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    return parseAnswer(response);
  }

  /**
   * A server-streaming method over Connect's streaming JSON (curl can send it
   * too): its first message read as a 200 answer, or its end-of-stream error
   * as the HTTP status and JSON body a unary call would have answered.
   */
  async function postStream(m: RegisteredMethod, body: unknown, authorization?: string): Promise<HttpAnswer> {
    const json = Buffer.from(JSON.stringify(body));
    const envelope = Buffer.alloc(5 + json.length);
    envelope.writeUInt32BE(json.length, 1);
    json.copy(envelope, 5);
    const controller = new AbortController();
    const response = await fetch(`${server.url}${m.path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/connect+json', ...(authorization === undefined ? {} : { authorization }) },
      body: envelope, signal: AbortSignal.any([controller.signal, AbortSignal.timeout(15_000)]),
    });
    if (response.headers.get('content-type') !== 'application/connect+json') return parseAnswer(response);
    const reader = response.body!.getReader();
    let buffered = Buffer.alloc(0);
    try {
      for (;;) {
        if (buffered.length >= 5 && buffered.length >= 5 + buffered.readUInt32BE(1)) {
          const flags = buffered[0]!;
          const message = JSON.parse(buffered.subarray(5, 5 + buffered.readUInt32BE(1)).toString('utf8'));
          if (!(flags & 0b10)) return { status: 200, headers: response.headers, body: message };
          const error = message.error ?? { code: 'unknown', message: 'the stream ended without a message' };
          return { status: codeToHttpStatus(codeFromString(error.code) ?? Code.Unknown), headers: response.headers, body: error };
        }
        const { done, value } = await reader.read();
        if (done) return { status: 502, headers: response.headers, body: 'the stream ended in the middle of a message' };
        buffered = Buffer.concat([buffered, value]);
      }
    } finally {
      controller.abort();
    }
  }

  /** Sends a legacy route's request with an Authorization header as given (undefined: none). */
  async function legacyCall(route: LegacyRoute, request: LegacyRequest, authorization?: string): Promise<HttpAnswer> {
    let path = route.template;
    for (const [name, value] of Object.entries(request.path ?? {})) path = path.replace(`{${name}}`, encodeURIComponent(value));
    const query = request.query ? `?${new URLSearchParams(request.query)}` : '';
    const response = await fetch(`${server.url}${path}${query}`, {
      method: route.method,
      headers: {
        ...(request.json === undefined ? {} : { 'content-type': 'application/json' }),
        ...request.headers,
        ...(authorization === undefined ? {} : { authorization }),
      },
      body: request.json === undefined ? undefined : JSON.stringify(request.json),
      signal: AbortSignal.timeout(15_000),
    });
    return parseAnswer(response);
  }

  const protectedRoutes = () => LEGACY_ROUTES.filter((r) => LEGACY[r.key] && LEGACY[r.key]!.access !== 'open');

  /** Calls an open method; streaming ones over gRPC (Connect JSON over HTTP/1.1 has no bidi streams). */
  async function callOpen(m: RegisteredMethod, authorization?: string): Promise<{ ok: boolean; text: string }> {
    if (m.unary) {
      const answer = await post(m, FIXTURES[m.name]!.request(ids), authorization);
      return { ok: answer.status === 200, text: show(answer) };
    }
    const transport = createGrpcTransport({
      baseUrl: server.url,
      interceptors: authorization === undefined ? [] : [(next) => (req) => { req.header.set('authorization', authorization); return next(req); }],
    });
    const signal = AbortSignal.timeout(15_000);
    try {
      if (m.service.typeName === 'grpc.health.v1.Health') {
        const controller = new AbortController();
        for await (const message of createClient(Health, transport).watch({}, { signal: AbortSignal.any([signal, controller.signal]) })) {
          controller.abort();
          return { ok: true, text: `status ${message.status}` };
        }
        return { ok: false, text: 'the watch stream ended without a message' };
      }
      const service = m.service.typeName === 'grpc.reflection.v1.ServerReflection' ? ServerReflection : ServerReflectionV1alpha;
      async function* requests() {
        yield { messageRequest: { case: 'listServices' as const, value: '' } };
      }
      for await (const message of createClient(service as typeof ServerReflection, transport).serverReflectionInfo(requests(), { signal })) {
        return { ok: message.messageResponse.case === 'listServicesResponse', text: message.messageResponse.case ?? '' };
      }
      return { ok: false, text: 'the reflection stream ended without a message' };
    } catch (error) {
      return { ok: false, text: String(error) };
    }
  }

  /** A fresh credential of reseller A and its token. */
  async function credentialOfA(): Promise<{ credentialId: string; clientId: string; clientSecret: string; token: string }> {
    const created = await server.call('AccessService', 'CreateCredential', { role: 'ROLE_RESELLER', resellerId: a.resellerId, displayName: 'matrix extra' }, server.adminToken);
    expect(created.status, show(created)).toBe(200);
    const { credentialId, clientId } = created.body.credential;
    const clientSecret = created.body.clientSecret;
    const token = await server.call('AuthService', 'CreateToken', { clientId, clientSecret });
    expect(token.status, show(token)).toBe(200);
    return { credentialId, clientId, clientSecret, token: token.body.accessToken };
  }

  async function ok(service: string, method: string, body: unknown, token = a.token): Promise<any> {
    const answer = await server.call(service, method, body, token);
    expect(answer.status, `${method}: ${show(answer)}`).toBe(200);
    return answer.body;
  }

  let mailbox: Mailbox;
  beforeAll(async () => {
    mailbox = await startMailbox();
    server = await startServer(kind, { env: { JOB_INTERVAL_MS: '3600000', SMTP_URL: mailbox.url }, onStatement: recorder.listener });
    a = await createReseller(server, 'Acme Matrix Reseller');
    const client = (await ok('ClientService', 'RegisterClient', { name: 'Acme Matrix Client', code: 'ACMEMX-1' })).client;
    const client2 = (await ok('ClientService', 'RegisterClient', { name: 'Acme Matrix Second', code: 'ACMEMX-2' })).client;
    const site = (await ok('ClientService', 'CreateSite', { clientId: client.clientId, name: 'Acme Matrix Office' })).site;
    const siteDel = (await ok('ClientService', 'CreateSite', { clientId: client.clientId, name: 'Acme Matrix Annex' })).site;
    const devices = ['acme-matrix-pbx-1', 'acme-matrix-pbx-2', 'acme-matrix-pbx-3'];
    const equipment = [];
    for (const pbxDeviceId of devices) {
      equipment.push((await ok('ClientService', 'AddEquipment', { siteId: site.siteId, kind: 'EQUIPMENT_KIND_SOFTPHONE', pbxDeviceId })).equipment);
    }
    const equipmentDel = (await ok('ClientService', 'AddEquipment', { siteId: site.siteId, kind: 'EQUIPMENT_KIND_DESK_PHONE', serialNumber: 'SN-ACME-MATRIX', label: 'Acme Matrix Desk' })).equipment;
    const found = (familyName: string, identifier: string, firstName: string, extra: object = {}) => ok('ProvisioningService', 'FoundFamily', {
      clientId: client.clientId, familyName, identifierType: 'IDENTIFIER_TYPE_LOGIN', identifier, firstName, locale: 'fr_FR', ...extra,
    });
    const main = await found('Acme Matrix Family', 'acme-matrix-founder', 'Aurelia', { familyImage: PNG.toString('base64') });
    const member = (await ok('ProvisioningService', 'CreateAccount', {
      familyId: main.family.familyId, identifierType: 'IDENTIFIER_TYPE_LOGIN', identifier: 'acme-matrix-member', firstName: 'Bertrand', locale: 'fr_FR',
    })).account;
    const other = await found('Acme Matrix Other', 'acme-matrix-other', 'Cyprien');
    const doomed = await found('Acme Matrix Doomed', 'acme-matrix-doomed', 'Delphine');
    const lone = await found('Acme Matrix Lone', 'acme-matrix-lone', 'Eulalie');
    const founderId = main.account.accountId;
    for (const role of ['ACCOUNT_ROLE_CUSTOMER_USER_UC', 'ACCOUNT_ROLE_CUSTOMER_USER_UC_SOFTPHONE']) {
      await ok('ProvisioningService', 'GrantRole', { accountId: founderId, role });
    }
    await ok('ProvisioningService', 'GrantRole', { accountId: member.accountId, role: 'ACCOUNT_ROLE_CUSTOMER_USER_UC' });
    for (const deviceId of devices.slice(0, 2)) await ok('DeviceService', 'LinkDevice', { clientId: client.clientId, accountId: founderId, deviceId });
    await ok('DeviceService', 'AssignDevice', { clientId: client.clientId, accountId: founderId, deviceId: devices[0], clientType: 'SOFTPHONE_CLIENT_TYPE_WEBRTC', acceptCharges: true });
    const iface = await ok('InterfaceService', 'CreateInterface', order('acme-matrix-main'));
    const ifaceDel = await ok('InterfaceService', 'CreateInterface', order('acme-matrix-doomed'));
    const legacyIfaceDel = await ok('InterfaceService', 'CreateInterface', order('acme-matrix-legacy-doomed'));
    const legacyDoomed = await found('Acme Matrix Legacy Doomed', 'acme-matrix-legacy-doomed', 'Philomene');
    const legacyLone = await found('Acme Matrix Legacy Lone', 'acme-matrix-legacy-lone', 'Gaspard');
    const smartphone = (await ok('CatalogService', 'UpsertSmartphone', FIXTURES['reseller.v1.CatalogService/UpsertSmartphone']!.request({} as Ids), server.adminToken)).smartphone;
    const spare = await credentialOfA();
    const person = await enrolPerson(server, mailbox, 'ROLE_SUPPORT', 'Matrix Person');
    const session = await signIn(server, person);
    const hook = (url: string) => ok('EventService', 'CreateWebhookEndpoint', { url, description: 'Acme Matrix hook' });
    const endpoint = (await hook('https://hooks.acme-matrix.example/events')).endpoint;
    const endpointDel = (await hook('https://hooks.acme-matrix.example/doomed')).endpoint;
    const event = (await ok('EventService', 'ListEvents', {})).events[0];
    ids = {
      resellerId: a.resellerId, clientId: client.clientId, client2Id: client2.clientId, clientEtag: client.etag,
      siteId: site.siteId, siteDelId: siteDel.siteId, equipmentId: equipment[0].equipmentId, equipmentDelId: equipmentDel.equipmentId,
      device1: devices[0]!, device2: devices[1]!, device3: devices[2]!,
      familyId: main.family.familyId, familyDelId: doomed.family.familyId, otherFamilyId: other.family.familyId,
      founderId, founderIdentifier: 'acme-matrix-founder', memberId: member.accountId, accountDelId: lone.account.accountId,
      interfaceKey: iface.key, interfaceDelKey: ifaceDel.key, lineCode: 'IN-BTQST-S',
      legacyFamilyDelId: legacyDoomed.family.familyId, legacyAccountDelId: legacyLone.account.accountId, legacyInterfaceDelKey: legacyIfaceDel.key,
      credentialId: spare.credentialId, smartphoneId: smartphone.smartphoneId, staffUserId: person.staffUserId, sessionId: session.sessionId,
      endpointId: endpoint.endpointId, endpointDelId: endpointDel.endpointId, eventId: event.eventId,
      names: [
        'Acme Matrix', 'ACMEMX', 'acme-matrix', 'Aurelia', 'Bertrand', 'Cyprien', 'Delphine', 'Eulalie', 'Philomene', 'Gaspard', 'SN-ACME-MATRIX',
        CONTACT.company, CONTACT.email, iface.interface.subdomain, a.clientId, spare.clientId,
      ],
    };
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await mailbox?.close();
  });

  /** A's object ids (every value of `ids` that is an id), for swapping and leak checks. */
  function idsOfA(): string[] {
    return Object.entries(ids).filter(([k, v]) => typeof v === 'string' && !['founderIdentifier', 'lineCode', 'clientEtag', 'smartphoneId'].includes(k)).map(([, v]) => v as string);
  }

  const protectedMethods = () => METHODS.filter((m) => FIXTURES[m.name] && !['open', 'proof'].includes(FIXTURES[m.name]!.access));
  const openMethods = () => METHODS.filter((m) => FIXTURES[m.name]?.access === 'open');
  const proofMethods = () => METHODS.filter((m) => FIXTURES[m.name]?.access === 'proof');

  /** Calls every protected method with one Authorization header; expects 401 with the reason. */
  async function expectUnauthenticated(authorization: string | undefined, reason: string): Promise<void> {
    const wrong: string[] = [];
    for (const m of protectedMethods()) {
      const answer = await post(m, FIXTURES[m.name]!.request(ids), authorization);
      if (answer.status !== 401 || answer.body?.code !== 'unauthenticated' || reasonOf(answer.body) !== reason) wrong.push(`${m.name}: ${show(answer)}`);
      else if (idsOfA().concat(ids.names).some((s) => JSON.stringify(answer.body).includes(s))) wrong.push(`${m.name} names A's data: ${show(answer)}`);
    }
    // Open methods ignore the header altogether: it neither helps nor hurts.
    for (const m of openMethods()) {
      const answer = await callOpen(m, authorization);
      if (!answer.ok) wrong.push(`${m.name} (open): ${answer.text}`);
    }
    // Methods that carry their own proof ignore it too: a made-up proof is refused for itself.
    for (const m of proofMethods()) {
      const answer = await post(m, FIXTURES[m.name]!.request(ids), authorization);
      // SignIn is throttled per address as CreateToken is: the matrix's many made-up sign-ins may be slowed down.
      const proofRefused = (answer.status === 401 && !String(reasonOf(answer.body)).startsWith('TOKEN_'))
        || (m.method.name === 'SignIn' && answer.status === 429) || (m.method.name === 'SignOut' && answer.status === 200);
      if (!proofRefused) wrong.push(`${m.name} (proof): ${show(answer)}`);
    }
    // The legacy faces: 401 in every seed's shape, before anything is read.
    for (const route of LEGACY_ROUTES) {
      const entry = LEGACY[route.key]!;
      const answer = await legacyCall(route, entry.request(ids), authorization);
      if (entry.access === 'open') {
        if (answer.status !== 200) wrong.push(`${route.key} (open): ${show(answer)}`);
      } else if (answer.status !== 401) {
        wrong.push(`${route.key}: ${show(answer)}`);
      } else if (idsOfA().concat(ids.names).some((s) => JSON.stringify(answer.body).includes(s))) {
        wrong.push(`${route.key} names A's data: ${show(answer)}`);
      }
    }
    expect(wrong).toEqual([]);
  }

  it('no token: every protected method answers 401 TOKEN_MISSING; open ones work', async () => {
    await expectUnauthenticated(undefined, 'TOKEN_MISSING');
    await expectUnauthenticated('Basic YWRtaW46YWRtaW4=', 'TOKEN_MISSING');
  });

  it('malformed token: garbage and a token with a forged signature both answer 401 TOKEN_INVALID', async () => {
    await expectUnauthenticated('Bearer not-a-token', 'TOKEN_INVALID');
    const [header, payload] = a.token.split('.');
    // A's own claims, promoted to admin, signed with the wrong key.
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, role: 'admin', rid: null })).toString('base64url');
    await expectUnauthenticated(`Bearer ${header}.${forged}.${a.token.split('.')[2]}`, 'TOKEN_INVALID');
  });

  it('expired token: a token issued longer ago than it lives answers 401 TOKEN_EXPIRED', async () => {
    const now = server.clock.now();
    server.clock.set(new Date(now.getTime() - (server.app.config.tokenTtlSeconds + 60) * 1000));
    let expired: string;
    try {
      const answer = await server.call('AuthService', 'CreateToken', { clientId: a.clientId, clientSecret: a.clientSecret });
      expired = answer.body.accessToken;
    } finally {
      server.clock.set(now);
    }
    await expectUnauthenticated(`Bearer ${expired}`, 'TOKEN_EXPIRED');
  });

  it('revoked credential: its token, unexpired and well signed, answers 401 TOKEN_REVOKED', async () => {
    const doomed = await credentialOfA();
    expect((await post(METHODS.find((m) => m.name === 'reseller.v1.ClientService/GetClient')!, { clientId: ids.clientId }, `Bearer ${doomed.token}`)).status).toBe(200);
    await ok('AccessService', 'RevokeCredential', { credentialId: doomed.credentialId }, server.adminToken);
    await expectUnauthenticated(`Bearer ${doomed.token}`, 'TOKEN_REVOKED');
  });

  it("another reseller's token on A's objects: the same answer as for objects that never existed, naming nothing of A's", async () => {
    const b = await createReseller(server, 'Bravo Matrix Reseller');
    const wrong: string[] = [];
    const own = idsOfA();
    for (const m of protectedMethods()) {
      const entry = FIXTURES[m.name]!;
      if (entry.access === 'staff' || entry.access === 'catalog-write') continue; // refused before any lookup: see the staff test
      const request = entry.request(ids);
      const sent = JSON.stringify(request);
      const answer = await post(m, request, `Bearer ${b.token}`);
      const text = JSON.stringify(answer.body);
      // Names and ids of A's the request did not carry must never come back.
      const leaked = [...own, ...ids.names].filter((s) => text.includes(s) && !sent.includes(s));
      if (leaked.length) wrong.push(`${m.name} names ${leaked.join(', ')}: ${show(answer)}`);
      if (answer.status >= 500) wrong.push(`${m.name}: ${show(answer)}`);
      if (entry.access === 'catalog-read') {
        if (answer.status !== 200) wrong.push(`${m.name} (catalog, shared): ${show(answer)}`);
        continue;
      }
      if (entry.foreign === 'not_found' && (answer.status !== 404 || answer.body?.code !== 'not_found')) wrong.push(`${m.name} expected not_found: ${show(answer)}`);
      if (entry.foreign === 'list' && answer.status !== 200) wrong.push(`${m.name} expected a list: ${show(answer)}`);
      if (entry.foreign === 'invalid_argument' && answer.body?.code !== 'invalid_argument') wrong.push(`${m.name} expected invalid_argument: ${show(answer)}`);
      // The same request with every id of A's swapped for one that never existed.
      const pairs = own.filter((id) => sent.includes(id)).map((id, n) => [id, ghostOf(id, n + 1)] as [string, string]);
      const ghost = await post(m, swap(request, pairs), `Bearer ${b.token}`);
      const back = pairs.map(([id, g]) => [g, id] as [string, string]);
      const same = JSON.stringify(swap(essence(ghost), back)) === JSON.stringify(essence(answer));
      if (!same) wrong.push(`${m.name} tells A's object from a missing one:\n  A's:     ${show(answer)}\n  missing: ${show(ghost)}`);
    }
    expect(wrong).toEqual([]);
    // B's lists hold nothing of A's, and a create without A's reseller_id makes B's object, never A's.
    const registered = await server.call('ClientService', 'RegisterClient', { name: 'Bravo Client', code: 'BRAVO-MX-1' }, b.token);
    expect(registered.body.client.resellerId).toBe(b.resellerId);
    const clients = await server.call('ClientService', 'ListClients', { resellerId: a.resellerId }, b.token);
    expect(clients.body.clients.map((c: any) => c.clientId)).toEqual([registered.body.client.clientId]);
    // The legacy faces (after: their creates make B's own objects): the same answer as for objects that never existed, in the seed's shape.
    for (const route of protectedRoutes()) {
      const entry = LEGACY[route.key]!;
      const request = entry.request(ids);
      const sent = JSON.stringify(request);
      const answer = await legacyCall(route, request, `Bearer ${b.token}`);
      const text = JSON.stringify(answer.body);
      const leaked = [...own, ...ids.names].filter((s) => text.includes(s) && !sent.includes(s));
      if (leaked.length) wrong.push(`${route.key} names ${leaked.join(', ')}: ${show(answer)}`);
      if (answer.status >= 500) wrong.push(`${route.key}: ${show(answer)}`);
      const { refused } = refusalOf(route.seed, answer);
      if (entry.access === 'catalog-read' || entry.foreign === 'list' || entry.foreign === 'own') {
        if (refused) wrong.push(`${route.key} (B's own or shared): ${show(answer)}`);
        continue;
      }
      if (!refused) wrong.push(`${route.key} expected a refusal: ${show(answer)}`);
      const pairs = own.filter((id) => sent.includes(id)).map((id, n) => [id, ghostOf(id, n + 1)] as [string, string]);
      const ghost = await legacyCall(route, swap(request, pairs) as LegacyRequest, `Bearer ${b.token}`);
      const back = pairs.map(([id, g]) => [g, id] as [string, string]);
      const same = JSON.stringify(swap(legacyEssence(ghost), back)) === JSON.stringify(legacyEssence(answer));
      if (!same) wrong.push(`${route.key} tells A's object from a missing one:\n  A's:     ${show(answer)}\n  missing: ${show(ghost)}`);
    }
    expect(wrong).toEqual([]);
  });

  it("another reseller's token on A's media: the same 404 as an image that never existed", async () => {
    const b = await createReseller(server, 'Bravo Media Reseller');
    const family = await ok('ProvisioningService', 'GetFamily', { familyId: ids.familyId });
    const url = new URL(family.family.imageUrl);
    const mine = await fetch(`${server.url}${url.pathname}`, { headers: { authorization: `Bearer ${a.token}` } });
    expect(mine.status).toBe(200);
    const theirs = await parseAnswer(await fetch(`${server.url}${url.pathname}`, { headers: { authorization: `Bearer ${b.token}` } }));
    const id = url.pathname.split('/').pop()!;
    const ghost = await parseAnswer(await fetch(`${server.url}/media/${ghostOf(id, 1)}`, { headers: { authorization: `Bearer ${b.token}` } }));
    expect(theirs.status).toBe(404);
    expect(swap(essence(ghost), [[ghostOf(id, 1), id]])).toEqual(essence(theirs));
    const anonymous = await fetch(`${server.url}${url.pathname}`);
    expect(anonymous.status).toBe(401);
  });

  it('support token: every write answers 403 READ_ONLY_ROLE; every read is allowed', async () => {
    const support = await staffToken(server, 'ROLE_SUPPORT');
    const wrong: string[] = [];
    for (const m of protectedMethods()) {
      const answer = await post(m, FIXTURES[m.name]!.request(ids), `Bearer ${support}`);
      if (!m.readOnly) {
        if (answer.status !== 403 || answer.body?.code !== 'permission_denied' || reasonOf(answer.body) !== 'READ_ONLY_ROLE') wrong.push(`${m.name}: ${show(answer)}`);
      } else if (answer.status !== 200) {
        wrong.push(`${m.name} (read): ${show(answer)}`);
      }
    }
    for (const route of protectedRoutes()) {
      const entry = LEGACY[route.key]!;
      const answer = await legacyCall(route, entry.request(ids), `Bearer ${support}`);
      const { refused, message } = refusalOf(route.seed, answer);
      if (entry.access === 'write') {
        if (!refused || !message.includes('the support role may read but not change anything')) wrong.push(`${route.key}: ${show(answer)}`);
      } else if (refused) {
        wrong.push(`${route.key} (read): ${show(answer)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('reseller token on a staff method: 403 STAFF_ONLY, before anything is read or changed', async () => {
    const c = await credentialOfA();
    const wrong: string[] = [];
    const staff = protectedMethods().filter((m) => ['staff', 'catalog-write'].includes(FIXTURES[m.name]!.access));
    expect(staff.length).toBeGreaterThanOrEqual(9);
    for (const m of staff) {
      const answer = await post(m, FIXTURES[m.name]!.request(ids), `Bearer ${c.token}`);
      if (answer.status !== 403 || answer.body?.code !== 'permission_denied' || reasonOf(answer.body) !== 'STAFF_ONLY') wrong.push(`${m.name}: ${show(answer)}`);
    }
    expect(wrong).toEqual([]);
    // Nothing was made or changed: the catalog upserts and the credential are as they were.
    expect((await server.call('CatalogService', 'GetOffering', { code: 'MO-MATRIX-UPSERT' }, a.token)).status).toBe(404);
    const creds = await server.call('AccessService', 'ListCredentials', { resellerId: a.resellerId }, server.adminToken);
    expect(creds.body.credentials.find((x: any) => x.credentialId === ids.credentialId).revokeTime).toBeFalsy();
  });

  it("the fixtures are real: A's own token reaches every tenant method's objects, and admin every staff method", async () => {
    // Run last: writes here change A's objects (each destructive one has its own).
    const wrong: string[] = [];
    for (const m of protectedMethods()) {
      const entry = FIXTURES[m.name]!;
      const token = ['staff', 'catalog-write'].includes(entry.access) ? server.adminToken : a.token;
      const answer = await post(m, entry.request(ids), `Bearer ${token}`);
      if (m.readOnly && answer.status !== 200) wrong.push(`${m.name}: ${show(answer)}`);
      // A write may be refused by a business rule, never for not finding A's object or for authorization.
      if (!m.readOnly && (answer.status >= 500 || ['not_found', 'permission_denied', 'unauthenticated'].includes(answer.body?.code))) wrong.push(`${m.name}: ${show(answer)}`);
    }
    expect(wrong).toEqual([]);
  });

  it("the legacy fixtures are real: A's own token reaches every legacy route's objects", async () => {
    // After the Connect pass: its destructive writes had their own objects, and these have theirs.
    const wrong: string[] = [];
    for (const route of protectedRoutes()) {
      const entry = LEGACY[route.key]!;
      const answer = await legacyCall(route, entry.request(ids), `Bearer ${a.token}`);
      const { refused, message } = refusalOf(route.seed, answer);
      if (entry.access !== 'write' && refused) wrong.push(`${route.key}: ${show(answer)}`);
      // A write may be refused by a business rule, never for not finding A's object or for authorization.
      const missingOrDenied = [401, 403, 404].includes(answer.status) || answer.status >= 500
        || /not found|introuvable|does not exist|support role|token/i.test(message) || /^\S+ (1|510) /.test(message);
      if (entry.access === 'write' && refused && missingOrDenied) wrong.push(`${route.key}: ${show(answer)}`);
    }
    expect(wrong).toEqual([]);
  });

  it.skipIf(kind !== 'sqlite')("every statement run for a reseller in this matrix carries that reseller's condition on each reseller-owned table", () => {
    const forResellers = recorder.statements.filter((s) => s.reseller);
    // The matrix above ran every method as A and as B: hundreds of statements.
    expect(forResellers.length).toBeGreaterThan(500);
    expect(new Set(forResellers.map((s) => s.method)).size).toBeGreaterThan(40);
    const tenantTables = server.app.source.tenantTables;
    expect([...tenantTables].sort()).toContain('client');
    expect(tenancyViolations(recorder.statements, tenantTables)).toEqual([]);
  });
});
