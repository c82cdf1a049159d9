// gRPC server reflection (grpc.reflection.v1, and v1alpha which older tools
// still ask for): grpcurl, buf curl and Postman read the schema of every
// registered service from the server itself, so they need no .proto files.
// The descriptors come from the generated code (each service's DescFile and
// its imports), so a service registered on the router is described with no
// extra work.
import type { ConnectRouter, HandlerContext } from '@connectrpc/connect';
import { toBinary, type DescFile, type DescService } from '@bufbuild/protobuf';
import { FileDescriptorProtoSchema } from '@bufbuild/protobuf/wkt';
import { nestedTypes } from '@bufbuild/protobuf/reflect';
import { ServerReflection as ReflectionV1, type ServerReflectionRequest } from '../../../gen/grpc/reflection/v1/reflection_pb.js';
import { ServerReflection as ReflectionV1alpha } from '../../../gen/grpc/reflection/v1alpha/reflection_pb.js';

/** gRPC status codes used in error_response (the protocol carries them as numbers). */
const NOT_FOUND = 5;
const INVALID_ARGUMENT = 3;

/** Every file reachable from the services, by file name and by the symbols it defines. */
class SchemaIndex {
  readonly services: string[];
  readonly #files = new Map<string, DescFile>();
  readonly #symbols = new Map<string, DescFile>();
  readonly #bytes = new Map<string, Uint8Array>();

  constructor(services: readonly DescService[], extraFiles: readonly DescFile[]) {
    this.services = [...new Set(services.map((s) => s.typeName))].sort();
    for (const service of services) this.#add(service.file);
    for (const file of extraFiles) this.#add(file);
  }

  #add(file: DescFile): void {
    if (this.#files.has(file.proto.name)) return;
    this.#files.set(file.proto.name, file);
    const pkg = file.proto.package ? `${file.proto.package}.` : '';
    // nestedTypes walks nested messages and enums too.
    for (const type of nestedTypes(file)) {
      this.#symbols.set(type.typeName, file);
      if (type.kind === 'message') {
        for (const field of type.fields) this.#symbols.set(`${type.typeName}.${field.name}`, file);
        for (const oneof of type.oneofs) this.#symbols.set(`${type.typeName}.${oneof.name}`, file);
      } else if (type.kind === 'enum') {
        // Enum values live in the enum's enclosing scope, as in C++.
        const scope = type.parent ? `${type.parent.typeName}.` : pkg;
        for (const value of type.values) this.#symbols.set(`${scope}${value.name}`, file);
      } else if (type.kind === 'service') {
        for (const method of type.methods) this.#symbols.set(`${type.typeName}.${method.name}`, file);
      }
    }
    for (const dependency of file.dependencies) this.#add(dependency);
  }

  fileNamed(name: string): DescFile | undefined {
    return this.#files.get(name);
  }

  fileDefining(symbol: string): DescFile | undefined {
    return this.#symbols.get(symbol.replace(/^\./, ''));
  }

  /** The file, then the files it imports, transitively, that `sent` does not hold yet (marked sent). */
  withDependencies(file: DescFile, sent: Set<string>): Uint8Array[] {
    const out: Uint8Array[] = [this.#serialized(file)];
    sent.add(file.proto.name);
    const visit = (f: DescFile) => {
      for (const dependency of f.dependencies) {
        if (sent.has(dependency.proto.name)) continue;
        sent.add(dependency.proto.name);
        out.push(this.#serialized(dependency));
        visit(dependency);
      }
    };
    visit(file);
    return out;
  }

  #serialized(file: DescFile): Uint8Array {
    let bytes = this.#bytes.get(file.proto.name);
    if (!bytes) {
      bytes = toBinary(FileDescriptorProtoSchema, file.proto);
      this.#bytes.set(file.proto.name, bytes);
    }
    return bytes;
  }
}

/** The answer to one request, as a plain object both protocol versions accept. */
function answer(index: SchemaIndex, request: ServerReflectionRequest, sent: Set<string>) {
  const base = { validHost: request.host, originalRequest: request };
  const files = (file: DescFile | undefined, what: string) => file
    ? { ...base, messageResponse: { case: 'fileDescriptorResponse' as const, value: { fileDescriptorProto: index.withDependencies(file, sent) } } }
    : error(NOT_FOUND, `${what} not found`);
  const error = (errorCode: number, errorMessage: string) =>
    ({ ...base, messageResponse: { case: 'errorResponse' as const, value: { errorCode, errorMessage } } });
  const req = request.messageRequest;
  switch (req.case) {
    case 'listServices':
      return { ...base, messageResponse: { case: 'listServicesResponse' as const, value: { service: index.services.map((name) => ({ name })) } } };
    case 'fileByFilename':
      return files(index.fileNamed(req.value), `file "${req.value}"`);
    case 'fileContainingSymbol':
      return files(index.fileDefining(req.value), `symbol "${req.value}"`);
    case 'allExtensionNumbersOfType': {
      // None of our files declares extensions: a known message has none.
      const file = index.fileDefining(req.value);
      return file
        ? { ...base, messageResponse: { case: 'allExtensionNumbersResponse' as const, value: { baseTypeName: req.value, extensionNumber: [] } } }
        : error(NOT_FOUND, `type "${req.value}" not found`);
    }
    case 'fileContainingExtension':
      return error(NOT_FOUND, `extension ${req.value.extensionNumber} of "${req.value.containingType}" not found`);
    default:
      return error(INVALID_ARGUMENT, 'the request asks for nothing this server knows');
  }
}

/**
 * Registers both reflection services. The list of services is read from the
 * router on the first request, when every service has been registered.
 * `extraFiles` are described too though no service imports them: the error
 * detail types, which clients look up to decode grpc-status-details-bin.
 */
export function registerReflection(router: ConnectRouter, extraFiles: readonly DescFile[] = []): void {
  let index: SchemaIndex | undefined;
  const indexOf = () => (index ??= new SchemaIndex(router.handlers.map((h) => h.service), extraFiles));
  async function* serverReflectionInfo(requests: AsyncIterable<ServerReflectionRequest>, _ctx: HandlerContext) {
    // Per stream, like grpc-go: a file already sent is not sent again.
    const sent = new Set<string>();
    for await (const request of requests) yield answer(indexOf(), request, sent);
  }
  router.service(ReflectionV1, { serverReflectionInfo });
  // Same messages, other package: the request type differs only in its name.
  router.service(ReflectionV1alpha, { serverReflectionInfo: serverReflectionInfo as never });
}
