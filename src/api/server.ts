/**
 * The HTTP server around the app, with limits a public port needs: headers must arrive within
 * seconds (a slow-headers client is dropped, not held for a minute), a request body within
 * `requestTimeoutMs`, an idle keep-alive connection is closed after `keepAliveTimeoutMs`, and
 * the number of open connections is capped, in total and per peer address. Node checks the
 * header and request deadlines every `connectionsCheckingIntervalMs`; its default (30 s) would
 * let a slow client live that long. Node's header deadline starts with the first byte: a
 * connection that sends nothing at all is closed after `headersTimeoutMs` here.
 */
import http from 'node:http';
import { DeskError } from '../errors';
import net, { type AddressInfo, type Socket } from 'node:net';
import type { Express } from 'express';
import { clientKey } from './rateLimit';

export const SERVER_LIMITS = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  // above the 5 s after which Node's own HTTP client drops an idle socket: the client gives up
  // first, so it never reuses a socket the desk is closing (an ECONNRESET on a POST)
  keepAliveTimeoutMs: 6_000,
  connectionsCheckingIntervalMs: 1_000,
  maxHeadersCount: 100,
  maxConnections: 1_024,
  /** per TCP peer; 0 = no cap (behind a proxy every client is the proxy) */
  maxConnectionsPerAddress: 64,
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
  const perAddress = new Map<string, number>();
  const silentTimers = new WeakMap<Socket, () => void>();
  server.on('connection', (socket: Socket) => {
    // counted per client as the rate limits count: an IPv4 address, or an IPv6 /64 (one host has a whole /64)
    const address = clientKey(socket.remoteAddress);
    const open = (perAddress.get(address) ?? 0) + 1;
    if (limits.maxConnectionsPerAddress > 0 && open > limits.maxConnectionsPerAddress) {
      socket.destroy();
      return;
    }
    perAddress.set(address, open);
    socket.once('close', () => {
      const left = (perAddress.get(address) ?? 1) - 1;
      if (left > 0) perAddress.set(address, left);
      else perAddress.delete(address);
    });
    // until its first request: a silent connection holds a slot for seconds, not forever
    const silent = () => socket.destroy();
    silentTimers.set(socket, silent);
    socket.setTimeout(limits.headersTimeoutMs);
    socket.once('timeout', silent);
  });
  // what Node refuses before express sees a request gets the API's error shape too; never into
  // an answer already under way on that socket (a pipelined bad request behind an event stream)
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    const underWay = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent === true;
    if (!socket.writable || underWay || err.code === 'ECONNRESET') return void socket.destroy();
    const [status, code, message] = refusalOf(err.code);
    const body = JSON.stringify({ error: { code, message } });
    socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`, () => socket.destroy());
  });
  // a request arrived: from here Node's own deadlines (request, keep-alive) apply; a response
  // may take its time, and an event stream stays open
  server.on('request', (req: http.IncomingMessage) => {
    const silent = silentTimers.get(req.socket);
    if (silent === undefined) return;
    silentTimers.delete(req.socket);
    req.socket.off('timeout', silent);
    req.socket.setTimeout(0);
  });
  return new Promise((resolve, reject) => {
    const fail = (err: Error) => reject(bindError(err, o.port, o.host));
    server.once('error', fail);
    server.listen(o.port, o.host, () => {
      server.off('error', fail);
      resolve(server);
    });
  });
}

/** What Node's parser refused, as the status Node itself would answer and the desk's code. */
function refusalOf(parserCode: string | undefined): [number, 'BAD_REQUEST' | 'REQUEST_HEADERS_TOO_LARGE' | 'REQUEST_TIMEOUT' | 'PAYLOAD_TOO_LARGE', string] {
  if (parserCode === 'HPE_HEADER_OVERFLOW') return [431, 'REQUEST_HEADERS_TOO_LARGE', 'the request headers are larger than 16 kB'];
  if (parserCode === 'ERR_HTTP_REQUEST_TIMEOUT') return [408, 'REQUEST_TIMEOUT', 'the request did not arrive in time'];
  if (parserCode === 'HPE_CHUNK_EXTENSIONS_OVERFLOW') return [413, 'PAYLOAD_TOO_LARGE', 'the chunk extensions are too large'];
  return [400, 'BAD_REQUEST', 'the request is not valid HTTP'];
}

/** A bind failure in words people act on: which port, and what to do. */
function bindError(err: Error, port: number, host: string): Error {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') return new DeskError('PORT_IN_USE', `port ${port} is in use (another desk or program listens on ${host}:${port}): stop it or set PORT`, { cause: err });
  if (code === 'EACCES') return new DeskError('PORT_IN_USE', `port ${port} needs privileges this process does not have: set PORT above 1023`, { cause: err });
  return err;
}

export const boundPort = (server: http.Server) => (server.address() as AddressInfo).port;

/**
 * Whether the port can be bound now, asked before anything with side effects starts (the
 * devnet resuming its kept chain, the database's migrations): a second `npm start` beside a
 * running desk is then refused before it touches their files. The real bind comes later and may
 * still fail, with the same error.
 *
 * @throws DeskError `PORT_IN_USE`
 */
export async function ensurePortFree(port: number, host: string): Promise<void> {
  if (port === 0) return;
  const probe = net.createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', (err) => reject(bindError(err, port, host)));
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}
