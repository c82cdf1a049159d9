// protoc-gen-openapi: a protoc plugin (run by `buf generate`, see buf.gen.yaml)
// that writes the OpenAPI 3.1 reference of the Connect JSON endpoints.
//
// Options (buf.gen.yaml `opt`): package=<name> (repeatable), title=, version=,
// public=<service> (repeatable: callable without a token), token_method=,
// error_detail=<message>, file=<output path, default openapi/<package>.openapi.json>,
// merge=<module> (repeatable): a module whose openApiFragment() describes more
// of the API (plain HTTP routes the contract does not hold), merged in.
//
// The plugin runs itself rather than through protoplugin's runNodeJs: the
// merged modules are imported (asynchronously) once the request has named
// them, before the framework's synchronous generate runs.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fromBinary, toBinary } from '@bufbuild/protobuf';
import { CodeGeneratorRequestSchema, CodeGeneratorResponseSchema } from '@bufbuild/protobuf/wkt';
import { createEcmaScriptPlugin, type Schema } from '@bufbuild/protoplugin';
import { generateOpenApi, type Fragment, type OpenApiOptions } from './openapi.ts';

interface PluginOptions extends OpenApiOptions {
  file?: string;
}

function parseOptions(raw: { key: string; value: string }[]): PluginOptions {
  const options: PluginOptions = { packages: [], title: 'API', version: '1', publicServices: [] };
  for (const { key, value } of raw) {
    switch (key) {
      case 'package': options.packages.push(value); break;
      case 'public': options.publicServices.push(value); break;
      case 'title': options.title = value; break;
      case 'version': options.version = value; break;
      case 'token_method': options.tokenMethod = value; break;
      case 'error_detail': options.errorDetail = value; break;
      case 'file': options.file = value; break;
      case 'merge': break; // loaded before generation, below
      default: throw new Error(`unknown option "${key}"`);
    }
  }
  if (options.packages.length === 0) throw new Error('name at least one package to describe: opt package=<name>');
  return options;
}

function generate(schema: Schema<PluginOptions>): void {
  const { file, ...options } = schema.options;
  const document = generateOpenApi(schema.files, { ...options, fragments });
  const out = schema.generateFile(file ?? `openapi/${options.packages[0]}.openapi.json`);
  out.print(JSON.stringify(document, null, 2));
}

/** What the merge= modules describe, loaded before the plugin runs. */
const fragments: Fragment[] = [];

// The framework targets TypeScript files; this plugin writes one JSON file
// whatever the target, once.
const plugin = createEcmaScriptPlugin<PluginOptions>({
  name: 'protoc-gen-openapi',
  version: 'v1',
  parseOptions,
  generateTs: generate,
  generateJs: generate,
  generateDts: () => {},
});

async function readStdin(): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const request = fromBinary(CodeGeneratorRequestSchema, await readStdin());
for (const option of request.parameter.split(',')) {
  const [key, value] = option.split('=');
  if (key?.trim() !== 'merge' || !value) continue;
  const module = await import(pathToFileURL(resolve(value.trim())).href) as { openApiFragment?: () => Fragment };
  if (typeof module.openApiFragment !== 'function') throw new Error(`merge=${value}: the module exports no openApiFragment()`);
  fragments.push(module.openApiFragment());
}
process.stdout.write(toBinary(CodeGeneratorResponseSchema, plugin.run(request)));
