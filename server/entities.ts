// Every stored entity, by feature. A new feature adds its entities here and a
// migration for each database (npm run migration:create -- <name>).
import { Reseller, Credential, SigningKey } from './access/access.entity.ts';
import { IdempotencyRecord } from './platform/idempotency.entity.ts';
import { Client, Site, Equipment } from './clients/clients.entity.ts';
import { Offering, Smartphone } from './catalog/catalog.entity.ts';
import { CustomerContact, ShopInterface, InterfaceOfferingLine, InterfaceEvent } from './interfaces/interfaces.entity.ts';

export const entities = [Reseller, Credential, SigningKey, IdempotencyRecord, Client, Site, Equipment,
  Offering, Smartphone, CustomerContact, ShopInterface, InterfaceOfferingLine, InterfaceEvent];
