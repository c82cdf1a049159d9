// What the server stores: every entity by feature, the ORM subscribers, and
// the checked-in migrations that build the schema. app.ts hands this to the
// platform's database (platform/ never imports a feature). A new feature adds
// its entities here and a migration for each database
// (npm run migration:create -- <name>).
import type { Schema } from './platform/data/database.ts';
import { IdempotencyRecord } from './platform/data/idempotency.entity.ts';
import { RateLimitWindow } from './platform/security/rate-limit.entity.ts';
import { SigningKey } from './platform/security/signing-key.entity.ts';
import { Reseller, Credential } from './access/access.entity.ts';
import { Client, Site, Equipment } from './clients/clients.entity.ts';
import { Media, Account, Family, FamilyMember, AccountRoleGrant, Invitation } from './provisioning/provisioning.entity.ts';
import { Offering, Smartphone } from './catalog/catalog.entity.ts';
import { CustomerContact, ShopInterface, InterfaceOfferingLine, InterfaceEvent } from './interfaces/interfaces.entity.ts';
import { DeviceLink, Charge } from './devices/devices.entity.ts';
import { AuditEvent } from './audit/audit.entity.ts';
import { LoginThrottle } from './auth/login-throttle.entity.ts';
import { TokenIssue } from './auth/token-issue.entity.ts';
import { StaffUser, StaffInvitation, StaffRecoveryCode, StaffSession, StaffRefreshToken } from './staff/staff.entity.ts';
import { EventRecord, EventSequence, WebhookEndpoint, WebhookDelivery, WebhookAttempt } from './events/events.entity.ts';
import { auditSubscriber } from './audit/audit.subscriber.ts';
import { migrations } from './migrations/index.ts';

export const schema: Schema = {
  entities: [
    SigningKey, IdempotencyRecord, RateLimitWindow,
    Reseller, Credential, Client, Site, Equipment,
    Media, Account, Family, FamilyMember, AccountRoleGrant, Invitation,
    Offering, Smartphone, CustomerContact, ShopInterface, InterfaceOfferingLine, InterfaceEvent,
    DeviceLink, Charge,
    AuditEvent,
    LoginThrottle, TokenIssue,
    StaffUser, StaffInvitation, StaffRecoveryCode, StaffSession, StaffRefreshToken,
    EventRecord, EventSequence, WebhookEndpoint, WebhookDelivery, WebhookAttempt,
  ],
  // The audit trail records every change in its own transaction.
  subscribers: [auditSubscriber],
  migrations,
};
