// Registers every service on the router: the one place that lists what the server offers.
import type { ConnectRouter } from '@connectrpc/connect';
import { AuthService } from '../gen/reseller/v1/auth_pb.js';
import { AccessService } from '../gen/reseller/v1/access_pb.js';
import { ClientService } from '../gen/reseller/v1/clients_pb.js';
import { ProvisioningService } from '../gen/reseller/v1/provisioning_pb.js';
import { AuditService } from '../gen/reseller/v1/audit_pb.js';
import { AuthServiceImpl, type AuthDeps } from './auth/auth.service.ts';
import { AccessServiceImpl } from './access/access.service.ts';
import { ClientServiceImpl } from './clients/clients.service.ts';
import { ProvisioningServiceImpl, type ProvisioningDeps } from './provisioning/provisioning.service.ts';
import { AuditServiceImpl } from './audit/audit.service.ts';

export type ServiceDeps = AuthDeps & ProvisioningDeps;

export function routes(deps: ServiceDeps) {
  return (router: ConnectRouter) => {
    router.service(AuthService, new AuthServiceImpl(deps));
    router.service(AccessService, new AccessServiceImpl());
    router.service(ClientService, new ClientServiceImpl());
    router.service(ProvisioningService, new ProvisioningServiceImpl(deps));
    router.service(AuditService, new AuditServiceImpl());
  };
}
