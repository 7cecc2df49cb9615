/**
 * The HTTP server around the app, with limits a public port needs: headers must arrive within
 * seconds (a slow-headers client is dropped, not held for a minute), a request body within
 * `requestTimeoutMs`, an idle keep-alive connection is closed after `keepAliveTimeoutMs`, and
 * the number of open connections is capped. Node checks the header and request deadlines every
 * `connectionsCheckingIntervalMs`; its default (30 s) would let a slow client live that long.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';

export const SERVER_LIMITS = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  // above the 5 s after which Node's own HTTP client drops an idle socket: the client gives up
  // first, so it never reuses a socket the desk is closing (an ECONNRESET on a POST)
  keepAliveTimeoutMs: 6_000,
  connectionsCheckingIntervalMs: 1_000,
  maxHeadersCount: 100,
  maxConnections: 1_024,
} as const;

export type ServerLimits = { -readonly [K in keyof typeof SERVER_LIMITS]: number };

/**
 * Listens on `host:port` (port 0: any free port) and resolves once bound.
 *
 * @example
 * const server = await listen(app, { port: 8080, host: '127.0.0.1' });
 */
export function listen(app: Express, o: { port: number; host: string; limits?: Partial<ServerLimits> }): Promise<http.Server> {
  const limits = { ...SERVER_LIMITS, ...o.limits };
  const server = http.createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      connectionsCheckingInterval: limits.connectionsCheckingIntervalMs,
      maxHeaderSize: 16 * 1024,
    },
    app,
  );
  server.maxHeadersCount = limits.maxHeadersCount;
  server.maxConnections = limits.maxConnections;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

export const boundPort = (server: http.Server) => (server.address() as AddressInfo).port;
