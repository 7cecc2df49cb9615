/**
 * Writes the web page's API types (`web/src/api.gen.ts`) from the served OpenAPI document, which
 * is itself generated from the zod schemas the routes validate with: one source for every shape.
 *   npm run gen:web-types            write the file
 *   npm run gen:web-types -- --check exit 1 when the committed file differs (what a test runs)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openApiDocument } from '../src/api/openapi';

export const WEB_TYPES_PATH = join(__dirname, '..', 'web', 'src', 'api.gen.ts');

const HEADER = `// GENERATED FILE — do not edit. Written by \`npm run gen:web-types\` (scripts/gen-web-types.ts)
// with openapi-typescript from the desk's OpenAPI document (GET /api/openapi.json), which is
// generated from the zod schemas in src/requests/schemas.ts and src/api/schemas/.
`;

/** The file's text for the document the desk serves now. */
export async function renderWebTypes(document: object = openApiDocument): Promise<string> {
  const { default: openapiTS, astToString } = await import('openapi-typescript');
  const ts = await import('typescript');
  const f = ts.factory;
  // 0x-strings (addresses, hashes, calldata) as viem's `0x${string}`, which the page hands to the wallet
  const hexType = f.createTemplateLiteralType(f.createTemplateHead('0x'), [f.createTemplateLiteralTypeSpan(f.createKeywordTypeNode(ts.SyntaxKind.StringKeyword), f.createTemplateTail(''))]);
  const ast = await openapiTS(JSON.parse(JSON.stringify(document)) as never, {
    alphabetize: false,
    exportType: true,
    transform: (schema) => {
      const pattern = (schema as { pattern?: unknown }).pattern;
      return schema.type === 'string' && typeof pattern === 'string' && pattern.startsWith('^0x') ? hexType : undefined;
    },
  });
  return HEADER + astToString(ast);
}

async function main(): Promise<void> {
  const text = await renderWebTypes();
  if (process.argv.includes('--check')) {
    let committed = '';
    try {
      committed = readFileSync(WEB_TYPES_PATH, 'utf8');
    } catch {
      /* missing: differs */
    }
    if (committed !== text) {
      process.stderr.write(`${WEB_TYPES_PATH} is out of date: run npm run gen:web-types\n`);
      process.exit(1);
    }
    process.stdout.write('web types up to date\n');
    return;
  }
  writeFileSync(WEB_TYPES_PATH, text);
  process.stdout.write(`wrote ${WEB_TYPES_PATH}\n`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
