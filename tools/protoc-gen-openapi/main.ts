// protoc-gen-openapi: a protoc plugin (run by `buf generate`, see buf.gen.yaml)
// that writes the OpenAPI 3.1 reference of the Connect JSON endpoints.
//
// Options (buf.gen.yaml `opt`): package=<name> (repeatable), title=, version=,
// public=<service> (repeatable: callable without a token), token_method=,
// error_detail=<message>, file=<output path, default openapi/<package>.openapi.json>.
import { createEcmaScriptPlugin, runNodeJs, type Schema } from '@bufbuild/protoplugin';
import { generateOpenApi, type OpenApiOptions } from './openapi.ts';

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
      default: throw new Error(`unknown option "${key}"`);
    }
  }
  if (options.packages.length === 0) throw new Error('name at least one package to describe: opt package=<name>');
  return options;
}

function generate(schema: Schema<PluginOptions>): void {
  const { file, ...options } = schema.options;
  const document = generateOpenApi(schema.files, options);
  const out = schema.generateFile(file ?? `openapi/${options.packages[0]}.openapi.json`);
  out.print(JSON.stringify(document, null, 2));
}

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

runNodeJs(plugin);
