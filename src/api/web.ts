import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import express, { type Express } from 'express';

/**
 * Serves the built UI from `webDir` at `/`, falling back to its index.html for any other GET
 * that is not an API path, so client-side routes survive a reload. Does nothing when the
 * directory does not exist (the UI is optional).
 */
export function serveWeb(app: Express, webDir: string | undefined): void {
  if (webDir === undefined || !existsSync(webDir) || !statSync(webDir).isDirectory()) return;
  const root = resolve(webDir);
  const index = join(root, 'index.html');
  app.use((_req, res, next) => {
    res.locals.routeLabel = 'static';
    next();
  });
  app.use(express.static(root));
  app.use((req, res, next) => {
    const isPage = req.method === 'GET' || req.method === 'HEAD';
    if (!isPage || req.path.startsWith('/api/') || !existsSync(index)) {
      next();
      return;
    }
    res.sendFile(index, (err) => {
      if (err !== undefined) next(err);
    });
  });
}
