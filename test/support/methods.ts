// Every RPC method the server offers, read from the router that server/connect.ts
// fills: a service registered there (and every method its generated descriptor
// has) shows up here with no change to the tests that walk this list.
import { createConnectRouter } from '@connectrpc/connect';
import type { DescMethod, DescService } from '@bufbuild/protobuf';
import { MethodOptions_IdempotencyLevel } from '@bufbuild/protobuf/wkt';
import { routes, type ServiceDeps } from '../../server/connect.ts';

export interface RegisteredMethod {
  service: DescService;
  method: DescMethod;
  /** `package.Service/Method`, the key fixture tables use. */
  name: string;
  /** The HTTP path: `/package.Service/Method`. */
  path: string;
  unary: boolean;
  /** Marked NO_SIDE_EFFECTS in the contract (what the auth interceptor treats as a read). */
  readOnly: boolean;
}

export function registeredMethods(): RegisteredMethod[] {
  const router = createConnectRouter();
  // The service classes only keep their dependencies; none is used while registering.
  routes({} as ServiceDeps)(router);
  const services = [...new Set(router.handlers.map((h) => h.service))];
  return services.flatMap((service) => service.methods.map((method) => ({
    service, method,
    name: `${service.typeName}/${method.name}`,
    path: `/${service.typeName}/${method.name}`,
    unary: method.methodKind === 'unary',
    readOnly: method.idempotency === MethodOptions_IdempotencyLevel.NO_SIDE_EFFECTS,
  })));
}
