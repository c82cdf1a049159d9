// Clients that share no code with ours, for the interop tests: @grpc/grpc-js
// with @grpc/proto-loader reading proto/, and `buf curl`. Everything here is
// generic over the files in proto/reseller/v1 and gen/reseller/v1, so a
// service added there is covered without touching the tests.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { spawn } from 'node:child_process';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { fromBinary, type DescService } from '@bufbuild/protobuf';
import { BinaryReader } from '@bufbuild/protobuf/wire';
import { base64Decode } from '@bufbuild/protobuf/wire';
import { ErrorDetailSchema, type ErrorDetail } from '../../gen/reseller/v1/common_pb.js';

export const ROOT = join(import.meta.dirname, '..', '..');

/** Every service in gen/reseller/v1, as our generated code describes it. */
export async function ourServices(): Promise<DescService[]> {
  const dir = join(ROOT, 'gen', 'reseller', 'v1');
  const modules = await Promise.all(readdirSync(dir).filter((f) => f.endsWith('_pb.js')).sort()
    .map((f) => import(pathToFileURL(join(dir, f)).href) as Promise<Record<string, unknown>>));
  return modules.flatMap((m) => Object.values(m).filter((v): v is DescService => (v as DescService | undefined)?.kind === 'service'));
}

// ---- @grpc/grpc-js with @grpc/proto-loader ---------------------------------

export interface GrpcMethod {
  service: string;
  method: string;
  read: boolean;
}

export interface GrpcJs {
  methods: GrpcMethod[];
  call(service: string, method: string, request: object, token?: string): Promise<GrpcAnswer>;
  close(): void;
}

export type GrpcAnswer =
  | { ok: true; response: any }
  | { ok: false; code: grpc.status; message: string; detail?: ErrorDetail };

/** Loads proto/reseller/v1/*.proto with proto-loader and calls the server with grpc-js (h2c). */
export function grpcJs(url: string): GrpcJs {
  const files = readdirSync(join(ROOT, 'proto', 'reseller', 'v1')).filter((f) => f.endsWith('.proto')).map((f) => `reseller/v1/${f}`);
  const definition = protoLoader.loadSync(files, { includeDirs: [join(ROOT, 'proto')], longs: String, enums: String, defaults: true, oneofs: true });
  const clients = new Map<string, grpc.Client>();
  const methods: GrpcMethod[] = [];
  const host = new URL(url).host;
  for (const [name, value] of Object.entries(definition)) {
    if ('format' in value) continue; // a message or enum, not a service
    const service = value as grpc.ServiceDefinition;
    const Client = grpc.makeGenericClientConstructor(service, name);
    clients.set(name, new Client(host, grpc.credentials.createInsecure()));
    for (const [method, def] of Object.entries(service)) {
      if (def.requestStream || def.responseStream) continue;
      const options = (def as unknown as { options?: { idempotency_level?: string } }).options;
      methods.push({ service: name, method, read: options?.idempotency_level === 'NO_SIDE_EFFECTS' });
    }
  }
  return {
    methods,
    call(service, method, request, token) {
      const client = clients.get(service) as unknown as Record<string, Function>;
      const metadata = new grpc.Metadata();
      if (token) metadata.set('authorization', `Bearer ${token}`);
      return new Promise((resolve) => {
        client[method]!.call(client, request, metadata, (error: grpc.ServiceError | null, response: unknown) => {
          if (!error) return resolve({ ok: true, response });
          const bin = error.metadata?.get('grpc-status-details-bin')[0];
          resolve({ ok: false, code: error.code, message: error.details, detail: bin ? errorDetailOfStatus(bin as Buffer) : undefined });
        });
      });
    },
    close() {
      for (const client of clients.values()) client.close();
    },
  };
}

/**
 * grpc-status-details-bin is a google.rpc.Status (1: code, 2: message, 3:
 * repeated Any{1: type_url, 2: value}); read by hand, then the Any holding
 * reseller.v1.ErrorDetail decoded with our ErrorDetail.
 */
export function errorDetailOfStatus(bytes: Uint8Array): ErrorDetail | undefined {
  const status = new BinaryReader(bytes);
  while (status.pos < status.len) {
    const [field, wireType] = status.tag();
    if (field !== 3) { status.skip(wireType); continue; }
    const any = new BinaryReader(status.bytes());
    let typeUrl = '';
    let value: Uint8Array = new Uint8Array();
    while (any.pos < any.len) {
      const [f, w] = any.tag();
      if (f === 1) typeUrl = any.string();
      else if (f === 2) value = any.bytes();
      else any.skip(w);
    }
    if (typeUrl.endsWith('/reseller.v1.ErrorDetail')) return fromBinary(ErrorDetailSchema, value);
  }
  return undefined;
}

// ---- buf curl ---------------------------------------------------------------

export type BufProtocol = 'connect' | 'grpc' | 'grpcweb';

export interface BufAnswer {
  status: number | null;
  /** The response (exit 0) or the error (non-zero), parsed. */
  body: any;
  stderr: string;
}

/**
 * Runs node_modules/.bin/buf curl (asynchronously: the server runs in this
 * process). `schema` 'proto' reads proto/; 'reflection' asks the server.
 */
export function bufCurl(url: string, options: { protocol: BufProtocol; schema: 'proto' | 'reflection'; token?: string; body: object; reflectProtocol?: 'grpc-v1' | 'grpc-v1alpha' }): Promise<BufAnswer> {
  const args = ['curl', '--protocol', options.protocol, '-d', JSON.stringify(options.body)];
  if (options.protocol === 'grpc') args.push('--http2-prior-knowledge');
  if (options.schema === 'proto') args.push('--schema', 'proto');
  if (options.reflectProtocol) args.push('--reflect-protocol', options.reflectProtocol);
  if (options.token) args.push('-H', `authorization: Bearer ${options.token}`);
  args.push(url);
  return new Promise((resolve, reject) => {
    const child = spawn(join(ROOT, 'node_modules', '.bin', 'buf'), args, { cwd: ROOT, timeout: 60_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (status) => {
      const text = status === 0 ? stdout : stderr;
      let body: any = text;
      try { body = JSON.parse(text); } catch { /* left as text for the assertion message */ }
      resolve({ status, body, stderr });
    });
  });
}

/** The ErrorDetail in a buf curl (or Connect JSON) error body, decoded from its binary value with our ErrorDetail. */
export function errorDetailOfJson(body: any): ErrorDetail | undefined {
  const detail = body?.details?.find((d: any) => d.type === 'reseller.v1.ErrorDetail');
  return detail ? fromBinary(ErrorDetailSchema, base64Decode(detail.value)) : undefined;
}
