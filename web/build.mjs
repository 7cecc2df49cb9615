#!/usr/bin/env node
// Builds the web UI into web/dist with Vite's build() API: `npm run web:build`, `npm ci`
// (postinstall) and the end-to-end test all use this one entry point.
//   node web/build.mjs [--out-dir <dir>]   (default web/dist)
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

let vite;
try {
  vite = await import('vite');
} catch (e) {
  if (e?.code !== 'ERR_MODULE_NOT_FOUND') throw e;
  // an install without dev dependencies (npm ci --omit=dev): the desk runs, without its page
  process.stderr.write('web UI not built: vite is not installed (dev dependencies omitted); the desk serves the API only\n');
  process.exit(0);
}
const configFile = fileURLToPath(new URL('./vite.config.mts', import.meta.url));
const outFlag = process.argv.indexOf('--out-dir');
const outDir = outFlag > 0 ? process.argv[outFlag + 1] : undefined;
const started = Date.now();
try {
  await vite.build({ configFile, ...(outDir ? { build: { outDir: resolve(outDir), emptyOutDir: true } } : {}) });
  process.stdout.write(`web UI built into ${outDir ?? 'web/dist'} in ${Date.now() - started} ms\n`);
} catch (e) {
  process.stderr.write(`web UI build failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}
