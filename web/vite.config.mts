/**
 * The desk's web UI: React, built by Vite into web/dist, which the desk serves at `/`.
 * No React plugin: Vite 8 transforms TSX itself (oxc), with React's automatic JSX runtime.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  // the page reaches the desk on the same origin; `npm run web:dev` proxies /api to a running desk
  server: { proxy: { '/api': { target: process.env.VETO_DESK_URL ?? 'http://127.0.0.1:8080', changeOrigin: false } } },
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // the dev signer's key handling loads on demand; everything else is one small bundle
    chunkSizeWarningLimit: 400,
    reportCompressedSize: false,
  },
  logLevel: 'warn',
});
