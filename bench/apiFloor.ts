/**
 * The floor under the API bench's latencies: a bare `node:http` process answering the bytes the
 * desk answered (body, content type, ETag; 304 on a matching If-None-Match) and doing nothing
 * else. Driven by the same load generator at the same rate on the same machine, its p99 is what
 * the machine, the load generator and the transfer of the same bytes cost without the desk: what
 * the desk's own p99 stands on. Started by bench/api.ts with the recorded answers; answers
 * `{ port }` once it listens.
 */
import http from 'node:http';

export interface FloorAnswer {
  path: string;
  body: string;
  contentType: string;
  etag: string;
}

export type FloorMessage = { kind: 'listening'; port: number };

process.once('message', (answers: FloorAnswer[]) => {
  const byPath = new Map(answers.map((a) => [a.path, { ...a, bytes: Buffer.from(a.body) }]));
  const server = http.createServer((req, res) => {
    const a = byPath.get(req.url ?? '');
    if (!a) {
      res.writeHead(404).end();
      return;
    }
    if (a.etag !== '' && req.headers['if-none-match'] === a.etag) {
      res.writeHead(304, { etag: a.etag }).end();
      return;
    }
    res.writeHead(200, { 'content-type': a.contentType, 'content-length': a.bytes.length, ...(a.etag ? { etag: a.etag } : {}) }).end(a.bytes);
  });
  // as the desk's server keeps an idle connection (src/api/server.ts)
  server.keepAliveTimeout = 6_000;
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    process.send?.({ kind: 'listening', port: typeof address === 'object' && address ? address.port : 0 } satisfies FloorMessage);
  });
  process.on('message', (m: { kind: string }) => {
    if (m.kind === 'stop') server.close(() => process.exit(0));
  });
});
