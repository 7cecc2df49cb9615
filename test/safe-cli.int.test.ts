/**
 * `npm run cli -- sign`: owners sign a request's veto from the command line (a key in an
 * environment variable, or a v3 keystore) against a running desk → executed on chain.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import request from 'supertest';
import { startDesk, type Desk } from '../src/app/desk';
import { createLogger } from '../src/lib/logger';
import { run } from '../src/cli/sign';
import { decryptKeystore, encryptKeystore } from '../src/safe/keystore';
import type { RequestView } from '../src/api/views';
import { DB_KINDS, createTestDatabase, type TestDatabase } from './helpers/databases';
import { startSafeFixture, type SafeFixture } from './helpers/safeFixture';

const CANCELLED = 1;

describe.each(DB_KINDS)('sign CLI on %s', (kind) => {
  let f: SafeFixture;
  let db: TestDatabase;
  let desk: Desk;
  let dir: string;
  beforeAll(async () => {
    f = await startSafeFixture();
    db = await createTestDatabase(kind);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'veto-cli-'));
    desk = await startDesk({
      rpcUrls: [f.anvil.rpcUrl], slasher: f.testbed.slasher, database: db.target, port: 0, host: '127.0.0.1', confirmations: 0,
      pollIntervalMs: 60_000, reorgDepth: 64, maxLogRange: 10_000, logger: createLogger('silent'), follow: false,
      vetoes: { executorPrivateKey: f.executor.privateKey },
    });
  });
  afterAll(async () => {
    await desk?.stop();
    await db?.drop();
    await f?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('round-trips a v3 keystore and refuses a wrong password', () => {
    const json = encryptKeystore(f.owners[0]!.privateKey, 'pw');
    expect(decryptKeystore(json, 'pw')).toBe(f.owners[0]!.privateKey);
    expect(() => decryptKeystore(json, 'nope')).toThrow(/password/);
  });

  it('one owner signs with a key from the environment (real process), one with a keystore → executed', async () => {
    const id = await f.queue();
    await desk.ingestor.sync();
    await desk.vetoes.reconcile();

    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'sign', '--yes', '--desk', desk.url, '--request', id.toString(), '--key-env', 'OWNER_KEY'], {
      cwd: path.join(__dirname, '..'),
      env: { ...process.env, OWNER_KEY: f.owners[0]!.privateKey, NODE_OPTIONS: '' },
    });
    expect(stdout).toContain('accepted: 1 of 2 signatures, veto collecting');

    const file = path.join(dir, 'owner3.json');
    fs.writeFileSync(file, encryptKeystore(f.owners[2]!.privateKey, 'correct horse'));
    const lines: string[] = [];
    const code = await run(['--yes', '--desk', desk.url, '--request', id.toString(), '--keystore', file, '--password-env', 'KS_PASSWORD'], { env: { KS_PASSWORD: 'correct horse' }, out: (s) => lines.push(s) });
    expect(code).toBe(0);
    expect(lines.join('')).toContain('accepted: 2 of 2 signatures');
    await desk.vetoes.idle();
    expect(await f.slasherStatus(id)).toBe(CANCELLED);
    const view = (await request(desk.url).get(`/api/requests/${id}`).expect(200)).body as RequestView;
    expect(view.veto).toMatchObject({ status: 'executed', signatures: [{ signer: f.owners[0]!.address, source: 'cli' }, { signer: f.owners[2]!.address, source: 'cli' }] });
  });

  it('reports a refusal and exits 1 (a non-owner key)', async () => {
    const id = await f.queue();
    await desk.ingestor.sync();
    await desk.vetoes.reconcile();
    const code = await run(['--yes', '--desk', desk.url, '--request', id.toString()], { env: { SIGNER_PRIVATE_KEY: f.stranger.privateKey }, out: () => undefined });
    expect(code).toBe(1);
    expect(await desk.database.db.vetoSignature.count({ where: { signer: f.stranger.address } })).toBe(0);
  });
});
