/**
 * A tiny HTTP server that plays a compromised desk for the CLI's refusal tests: it answers GETs
 * from a table the test fills (typically a real desk's answers, then tampered with) and records
 * every POST, so a test can prove nothing was sent.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeDesk {
  url: string;
  port: number;
  /** path → [status, body]; GETs not listed answer 404 */
  routes: Map<string, [number, unknown]>;
  posts: { path: string; body: unknown }[];
  close(): Promise<void>;
}

export async function startFakeDesk(postAnswer: (path: string, body: unknown) => [number, unknown] = () => [201, {}]): Promise<FakeDesk> {
  const routes = new Map<string, [number, unknown]>();
  const posts: FakeDesk['posts'] = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (d) => (raw += d));
    req.on('end', () => {
      const path = req.url ?? '';
      const send = ([status, body]: [number, unknown]) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.method === 'POST') {
        let body: unknown = null;
        try {
          body = JSON.parse(raw);
        } catch {
          body = raw;
        }
        posts.push({ path, body });
        send(postAnswer(path, body));
        return;
      }
      send(routes.get(path) ?? [404, { error: { code: 'NOT_FOUND', message: `no route ${path}` } }]);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    routes,
    posts,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}
