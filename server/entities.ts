// Every stored entity, by feature. A new feature adds its entities here and a
// migration for each database (npm run migration:create -- <name>).
import { Reseller, Credential, SigningKey } from './access/access.entity.ts';
import { IdempotencyRecord } from './platform/data/idempotency.entity.ts';
import { Client, Site, Equipment } from './clients/clients.entity.ts';
import { Media, Account, Family, FamilyMember, AccountRoleGrant, Invitation } from './provisioning/provisioning.entity.ts';
import { Offering, Smartphone } from './catalog/catalog.entity.ts';
import { CustomerContact, ShopInterface, InterfaceOfferingLine, InterfaceEvent } from './interfaces/interfaces.entity.ts';
import { DeviceLink, Charge } from './devices/devices.entity.ts';
import { AuditEvent } from './audit/audit.entity.ts';
import { RateLimitWindow } from './platform/security/rate-limit.entity.ts';
import { LoginThrottle } from './auth/login-throttle.entity.ts';
import { auditSubscriber } from './audit/audit.subscriber.ts';

export const entities = [
  Reseller, Credential, SigningKey, IdempotencyRecord, Client, Site, Equipment,
  Media, Account, Family, FamilyMember, AccountRoleGrant, Invitation,
  Offering, Smartphone, CustomerContact, ShopInterface, InterfaceOfferingLine, InterfaceEvent,
  DeviceLink, Charge,
  AuditEvent,
  RateLimitWindow, LoginThrottle,
];

/** ORM event subscribers: the audit trail records every change in its own transaction. */
export const subscribers = [auditSubscriber];
