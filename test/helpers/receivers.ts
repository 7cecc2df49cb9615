/**
 * Real loopback receivers for alert tests: an HTTP server that records every POST (webhook,
 * Slack, Discord, PagerDuty, Telegram all speak HTTP) and a real SMTP server (smtp-server).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  raw: string;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  at: number;
}

export interface HttpReceiver {
  url: string;
  port: number;
  received: Received[];
  /** what to answer: status and body */
  reply: { status: number; body: string };
  /** stop listening (the "receiver is down") */
  down(): Promise<void>;
  /** listen again on the same port */
  up(): Promise<void>;
  close(): Promise<void>;
}

export async function startHttpReceiver(reply = { status: 200, body: 'ok' }): Promise<HttpReceiver> {
  const received: Received[] = [];
  const state = { reply };
  const handler: http.RequestListener = (req, res) => {
    let raw = '';
    req.on('data', (d) => (raw += d));
    req.on('end', () => {
      let json: unknown = null;
      try {
        json = JSON.parse(raw);
      } catch {
        json = null;
      }
      received.push({ path: req.url ?? '', headers: req.headers, raw, json, at: Date.now() });
      res.writeHead(state.reply.status, { 'Content-Type': state.reply.body.startsWith('{') ? 'application/json' : 'text/plain' });
      res.end(state.reply.body);
    });
  };
  let server = http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  const stop = () =>
    new Promise<void>((r) => {
      server.close(() => r());
      server.closeAllConnections();
    });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    received,
    get reply() {
      return state.reply;
    },
    set reply(v) {
      state.reply = v;
    },
    down: stop,
    async up() {
      server = http.createServer(handler);
      await new Promise<void>((r, j) => {
        server.once('error', j);
        server.listen(port, '127.0.0.1', () => r());
      });
    },
    close: () => (server.listening ? stop() : Promise.resolve()),
  };
}

export interface Mail {
  from: string;
  to: string[];
  raw: string;
  subject: string;
  at: number;
}

export interface SmtpReceiver {
  url: string;
  mails: Mail[];
  close(): Promise<void>;
}

export async function startSmtpReceiver(): Promise<SmtpReceiver> {
  const mails: Mail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      let raw = '';
      stream.on('data', (d: Buffer) => (raw += d.toString('utf8')));
      stream.on('end', () => {
        const subject = decodeWords(/^Subject: (.*(?:\r?\n[ \t].*)*)/m.exec(raw)?.[1]?.replace(/\r?\n[ \t]/g, ' ') ?? '');
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          subject,
          at: Date.now(),
        });
        callback();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.server.address() as AddressInfo).port;
  return { url: `smtp://127.0.0.1:${port}`, mails, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** RFC 2047 encoded words (`=?UTF-8?Q?…?=`, `=?UTF-8?B?…?=`) as a mail client shows them. */
export function decodeWords(header: string): string {
  return header
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_m, _charset: string, enc: string, text: string) =>
      enc.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_x, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8'),
    );
}
