// Registers every service on the router: the one place that lists what the server offers.
import type { ConnectRouter } from '@connectrpc/connect';
import { AuthService } from '../gen/reseller/v1/auth_pb.js';
import { AccessService } from '../gen/reseller/v1/access_pb.js';
import { ClientService } from '../gen/reseller/v1/clients_pb.js';
import { ProvisioningService } from '../gen/reseller/v1/provisioning_pb.js';
import { CatalogService } from '../gen/reseller/v1/catalog_pb.js';
import { InterfaceService } from '../gen/reseller/v1/interfaces_pb.js';
import { DeviceService } from '../gen/reseller/v1/devices_pb.js';
import { AuditService } from '../gen/reseller/v1/audit_pb.js';
import { StaffService } from '../gen/reseller/v1/staff_pb.js';
import { EventService } from '../gen/reseller/v1/events_pb.js';
import { AuthServiceImpl, type AuthDeps } from './auth/auth.service.ts';
import { AccessServiceImpl } from './access/access.service.ts';
import { ClientServiceImpl } from './clients/clients.service.ts';
import { ProvisioningServiceImpl, type ProvisioningDeps } from './provisioning/provisioning.service.ts';
import { CatalogServiceImpl } from './catalog/catalog.service.ts';
import { InterfaceServiceImpl, type InterfaceSettings } from './interfaces/interfaces.service.ts';
import { DeviceServiceImpl } from './devices/devices.service.ts';
import { refuseRemovingLinkedEquipment, unlinkDevicesOfAccounts } from './devices/device-links.ts';
import { AuditServiceImpl } from './audit/audit.service.ts';
import { StaffServiceImpl, type StaffDeps } from './staff/staff.service.ts';
import { EventServiceImpl, type EventServiceSettings } from './events/events.service.ts';
import { Health } from '../gen/grpc/health/v1/health_pb.js';
import { file_reseller_v1_common } from '../gen/reseller/v1/common_pb.js';
import { HealthServiceImpl, type HealthMonitor } from './platform/observability/health.ts';
import { registerReflection } from './platform/rpc/reflection.ts';
import type { CredentialCache } from './platform/security/authentication.ts';

export interface ServiceDeps extends AuthDeps, ProvisioningDeps, StaffDeps {
  /** The credentials this instance has read recently: RevokeCredential drops the one it revokes. */
  credentials: CredentialCache;
  interfaces: InterfaceSettings;
  health: HealthMonitor;
  events: EventServiceSettings;
}

export function routes(deps: ServiceDeps) {
  return (router: ConnectRouter) => {
    router.service(AuthService, new AuthServiceImpl(deps));
    router.service(AccessService, new AccessServiceImpl(deps.credentials));
    router.service(ClientService, new ClientServiceImpl({ equipmentRemovalGuards: [refuseRemovingLinkedEquipment] }));
    router.service(ProvisioningService, new ProvisioningServiceImpl({ ...deps, onAccountsDeleted: [unlinkDevicesOfAccounts] }));
    router.service(CatalogService, new CatalogServiceImpl(deps));
    router.service(InterfaceService, new InterfaceServiceImpl(deps));
    router.service(DeviceService, new DeviceServiceImpl(deps));
    router.service(AuditService, new AuditServiceImpl());
    router.service(StaffService, new StaffServiceImpl(deps));
    router.service(EventService, new EventServiceImpl(deps.events));

    // For tools and load balancers; registered last, they cover every service
    // above (read from the router when asked), including ones added later.
    const services = () => [...new Set(router.handlers.map((h) => h.service))];
    router.service(Health, new HealthServiceImpl(deps.health, services));
    // common.proto too: no service imports it, but every error carries its ErrorDetail.
    registerReflection(router, [file_reseller_v1_common]);
  };
}
