/**
 * The command line against a real desk on a real Safe (anvil): `sign` rebuilds the Safe
 * transaction and checks it (pins, RPC), asks, signs, reads back the real state; `reject` at a
 * blocked nonce; and against a tampering fake desk every forged field is refused with nothing
 * posted. Also `--help` for every command and the exit codes of the dispatcher.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import request from 'supertest';
import { encodeFunctionData, hashTypedData, parseAbi, type Hex } from 'viem';
import type { Desk } from '../src/app/desk';
import type { RequestView } from '../src/api/views';
import { COMMANDS, runCli } from '../src/cli/index';
import { bufferIo } from '../src/cli/io';
import { encryptKeystore } from '../src/safe/keystore';
import { buildVetoSafeTx, safeTxHash, typedDataFromJson, type TypedDataJson } from '../src/safe/safeTx';
import { createTestDatabase, type TestDatabase } from './helpers/databases';
import { freePort } from './helpers/deskProcess';
import { startFakeDesk, type FakeDesk } from './helpers/fakeDesk';
import { openVetoDesk, settle, startSafeFixture, type SafeFixture } from './helpers/safeFixture';

const ROOT = path.join(__dirname, '..');
const CANCELLED = 1;

async function cli(args: string[], env: Record<string, string> = {}, answers?: string[]) {
  const io = bufferIo({ env, answers });
  const code = await runCli(args, io);
  return { code, out: io.text() };
}

function cliProcess(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', (code) => resolve({ code: code ?? -1, out }));
  });
}

describe('--help and unknown commands', () => {
  const forms = [...Object.keys(COMMANDS).map((c) => [c, '--help']), ['alerts', 'test', '--help'], ['devnet', 'queue', '--help'], ['help', 'sign'], ['sign', '-h'], ['--help']];
  it.each(forms)('%s %s prints usage and exits 0', async (...args) => {
    const r = await cli(args.filter(Boolean) as string[]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^usage: npm run cli -- /);
  });

  it('every command says what it does in the overview; devnet and the dev route are marked devnet-only', async () => {
    const r = await cli(['--help']);
    for (const c of Object.keys(COMMANDS)) expect(r.out).toContain(`  ${c} `);
    expect(r.out).toContain('DEVNET ONLY');
    expect((await cli(['devnet', '--help'])).out).toMatch(/DEVNET ONLY/);
  });

  it('as real processes: --help exits 0, an unknown command or flag exits 2 and says so', async () => {
    const help = await cliProcess(['status', '--help']);
    expect([help.code, help.out]).toEqual([0, expect.stringContaining('usage: npm run cli -- status')]);
    const unknown = await cliProcess(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.out).toContain('unknown command "frobnicate"');
    const flag = await cliProcess(['sign', '--request', '1', '--chian-id', '1']);
    expect(flag.code).toBe(2);
    expect(flag.out).toContain('unknown flag --chian-id');
  });

  it('names a desk that does not answer, with its URL and the error', async () => {
    const port = await freePort();
    const r = await cli(['status', '--desk', `http://127.0.0.1:${port}`]);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`the desk at http://127.0.0.1:${port} did not answer (connect ECONNREFUSED 127.0.0.1:${port})`);
    const viaEnv = await cli(['plan'], { VETO_DESK_URL: `http://127.0.0.1:${port}/` });
    expect(viaEnv.out).toContain(`http://127.0.0.1:${port} did not answer`);
  });
});

describe('sign and reject against a real desk', () => {
  let f: SafeFixture;
  let db: TestDatabase;
  let desk: Desk;
  let dir: string;
  let fake: FakeDesk;
  const trust = () => ['--rpc-url', f.anvil.rpcUrl, '--chain-id', '31337', '--safe', f.safe, '--slasher', f.testbed.slasher];
  const sigCount = () => desk.database.db.vetoSignature.count();
  const view = async (id: bigint) => (await request(desk.url).get(`/api/requests/${id}`).expect(200)).body as RequestView;

  beforeAll(async () => {
    [f, db, fake] = await Promise.all([startSafeFixture(), createTestDatabase('sqlite'), startFakeDesk()]);
    desk = await openVetoDesk(f, db);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'veto-cli-sign-'));
  });
  afterAll(async () => {
    await fake?.close();
    await desk?.stop();
    await db?.drop();
    await f?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  // first, while nothing else is planned: A's veto holds the Safe's next nonce
  it('reject: a veto without quorum blocks one with quorum → status and plan say so → two owners sign the rejection → the waiting veto executes', async () => {
    const a = await f.queue('A');
    const b = await f.queue('B');
    await settle(desk);
    const K = { K0: f.owners[0]!.privateKey, K1: f.owners[1]!.privateKey, K2: f.owners[2]!.privateKey };
    expect((await cli(['sign', '--desk', desk.url, '--request', a.toString(), '--key-env', 'K0', '--yes'], K)).code).toBe(0);
    for (const k of ['K0', 'K1']) expect((await cli(['sign', '--desk', desk.url, '--request', b.toString(), '--key-env', k, '--yes'], K)).code).toBe(0);
    await settle(desk);
    const va = (await view(a)).veto!;
    const vb = (await view(b)).veto!;
    expect(vb).toMatchObject({ status: 'ready', blockedByNonce: va.nonce });
    const n = va.nonce;

    const status = await cli(['status', '--desk', desk.url]);
    expect(status.code).toBe(3);
    expect(status.out).toContain(`BLOCKED by nonce ${n}`);
    expect(status.out).toContain(`npm run cli -- reject --nonce ${n}`);
    expect(status.out).toContain(`Safe nonce ${n} blocks the veto of request #${b}`);
    const plan = await cli(['plan', '--desk', desk.url]);
    expect(plan.code).toBe(0);
    expect(plan.out).toContain(`Committee Safe ${f.safe}`);
    expect(plan.out).toMatch(new RegExp(`${n}\\*\\s+veto\\s+#${a}\\s+collecting\\s+1/2`));
    expect(plan.out).toContain(`nonce ${n} (veto of #${a}) holds back #${b}`);

    const r1 = await cli(['reject', '--desk', desk.url, '--nonce', String(n), '--key-env', 'K1', ...trust(), '--yes'], K);
    expect(r1.code).toBe(0);
    expect(r1.out).toContain(`blocking        the veto of request #${a}`);
    expect(r1.out).toContain(`unblocks        #${b}`);
    expect(r1.out).toContain('data            (empty)   0x');
    expect(r1.out).toContain('accepted: 1 of 2 signatures, rejection collecting');
    const r2 = await cli(['reject', '--desk', desk.url, '--nonce', String(n), '--key-env', 'K2', '--yes'], K);
    expect(r2.code).toBe(0);
    expect(r2.out).toContain('accepted: 2 of 2 signatures');
    await settle(desk);
    await settle(desk);
    expect(await f.slasherStatus(b)).toBe(CANCELLED);
  });

  it('with pins and an RPC: every check passes, it shows what it signs (escaped), then the real state; a keystore signs the second', async () => {
    const id = await f.queue('Drain \x1b[31mRED\x1b[0m\x1b[2K\rVeto window ends: never\u202e');
    await settle(desk);
    const a = await cli(['sign', '--desk', desk.url, '--request', id.toString(), '--key-env', 'K', ...trust(), '--yes'], { K: f.owners[0]!.privateKey });
    expect(a.code).toBe(0);
    expect(a.out).not.toMatch(/[\x1b\r\u202e]/);
    expect(a.out).toContain('description     "Drain RED\\rVeto window ends: never\\u202e"');
    expect(a.out).toContain(`operator        ${f.stranger.address}`);
    expect(a.out).toMatch(/slashes         ≈ 0 % of strategy 0x[0-9a-fA-F]{40}/);
    expect(a.out).toMatch(/veto window     ends at block \d+ \(in \d+ blocks\) \(on chain\)/);
    for (const check of ['chain id 31337: eth_chainId of', "the slasher's vetoCommittee() is the Safe", `${f.owners[0]!.address} is an owner (2 of 3)`, "the Safe's own getTransactionHash", "match the chain's", 'operation       0 (CALL)', 'no refund']) expect(a.out).toContain(check);
    expect(a.out).not.toContain('NOT VERIFIED');
    expect(a.out).not.toContain('FAIL');
    expect(a.out).toContain('accepted: 1 of 2 signatures, veto collecting');

    const file = path.join(dir, 'owner2.json');
    fs.writeFileSync(file, encryptKeystore(f.owners[1]!.privateKey, 'correct horse'));
    const b = await cli(['sign', '--desk', desk.url, '--request', id.toString(), '--keystore', file, '--password-env', 'PW', ...trust(), '--yes'], { PW: 'correct horse' });
    expect(b.code).toBe(0);
    // the desk's answer said "collecting"; the CLI reads back the real state
    expect(b.out).toMatch(/accepted: 2 of 2 signatures, veto (ready|executed)/);
    // (the veto re-planned by the rejection test holds a lower nonce: this one may wait behind it, and says so)
    const v = (await view(id)).veto!;
    if (v.status === 'ready' && v.blockedByNonce !== null) expect(b.out).toContain(`quorum met, but blocked: nonce ${v.blockedByNonce} must execute first`);
    expect(v.signatures.map((s) => s.source)).toEqual(['cli', 'cli']);
  });

  it('asks first: no answer or "n" signs and posts nothing; "y" signs', async () => {
    const id = await f.queue();
    await settle(desk);
    const before = await sigCount();
    const no = await cli(['sign', '--desk', desk.url, '--request', id.toString(), '--key-env', 'K'], { K: f.owners[0]!.privateKey }, ['n']);
    expect(no.code).toBe(1);
    expect(no.out).toContain(`Sign the veto of request ${id} at nonce`);
    expect(no.out).toContain('not signed: no confirmation');
    expect(await sigCount()).toBe(before);
    const yes = await cli(['sign', '--desk', desk.url, '--request', id.toString(), '--key-env', 'K'], { K: f.owners[0]!.privateKey }, ['y']);
    expect(yes.code).toBe(0);
    expect(await sigCount()).toBe(before + 1);
  });

  it('without pins or an RPC it still rebuilds and checks, and says plainly what it could not verify', async () => {
    const id = await f.queue();
    await settle(desk);
    const r = await cli(['sign', '--desk', desk.url, '--request', id.toString(), '--key-env', 'K', '--yes'], { K: f.owners[2]!.privateKey });
    expect(r.code).toBe(0);
    expect(r.out).toContain("NOT VERIFIED (the desk's word):");
    expect(r.out).toContain('the chain id (the desk\'s word; pin it with --chain-id or check it with --rpc-url)');
    expect(r.out).toContain(`that ${f.owners[2]!.address} is an owner (give --rpc-url)`);
    expect(r.out).toContain('as the desk says (NOT VERIFIED');
    expect(r.out).toContain("The desk's typed data equals the rebuilt transaction field by field");
  });

  it('refuses before signing when the chain says no: a non-owner key, a pin the desk contradicts, an RPC on another chain', async () => {
    const id = await f.queue();
    await settle(desk);
    const before = await sigCount();
    const stranger = await cli(['sign', '--desk', desk.url, '--request', id.toString(), '--key-env', 'K', ...trust(), '--yes'], { K: f.stranger.privateKey });
    expect(stranger.code).toBe(4);
    expect(stranger.out).toContain(`${f.stranger.address} is not an owner of ${f.safe}`);
    expect(stranger.out).toContain('REFUSED to sign the veto');
    const chain = await cli(['sign', '--desk', desk.url, '--request', id.toString(), '--key-env', 'K', '--chain-id', '1', '--yes'], { K: f.owners[0]!.privateKey });
    expect(chain.code).toBe(4);
    expect(chain.out).toContain('chain id: the desk says 31337, pinned by --chain-id says 1');
    const safe = await cli(['sign', '--desk', desk.url, '--request', id.toString(), '--key-env', 'K', '--yes'], { K: f.owners[0]!.privateKey, VETO_DESK_SAFE: f.contracts.multiSendCallOnlyAddress });
    expect(safe.code).toBe(4);
    expect(safe.out).toContain('pinned by VETO_DESK_SAFE');
    const bad = await cli(['sign', '--desk', desk.url, '--request', id.toString(), '--key-env', 'K', '--chain-id', 'one'], { K: f.owners[0]!.privateKey });
    expect(bad.code).toBe(2);
    expect(await sigCount()).toBe(before);
  });

  it('--nonces 2 signs the same veto at the next nonce too, shows and reports each', async () => {
    const id = await f.queue();
    await settle(desk);
    const v = (await view(id)).veto!;
    const next = safeTxHash({ chainId: 31337, safe: f.safe }, buildVetoSafeTx(f.testbed.slasher, id, BigInt(v.nonce + 1)));
    const r = await cli(['sign', '--desk', desk.url, '--request', id.toString(), '--key-env', 'K', '--nonces', '2', ...trust(), '--yes'], { K: f.owners[0]!.privateKey });
    expect(r.code).toBe(0);
    expect(r.out).toContain(`also at nonce   ${v.nonce + 1}   safeTxHash ${next}`);
    expect(r.out).toContain(`the Safe's own getTransactionHash at nonce ${v.nonce + 1} equals ${next}`);
    expect(r.out).toContain('accepted: 1 of 2 signatures');
    // today's desk matches a signature against the planned nonce only: the extra one is reported, not fatal
    expect(r.out).toMatch(new RegExp(`nonce ${v.nonce + 1}: (accepted|the desk did not take it: [A-Z_]+)`));
    expect((await cli(['sign', '--request', '1', '--nonces', '6'])).code).toBe(2);
  });

  describe('a desk that tampers with the Safe transaction', () => {
    let id: bigint;
    let honest: RequestView;
    let health: unknown;
    beforeAll(async () => {
      id = await f.queue('the fake desk serves this one');
      await settle(desk);
      honest = await view(id);
      health = (await request(desk.url).get('/api/health')).body;
    });
    beforeEach(() => {
      fake.posts.length = 0;
      fake.routes.clear();
      fake.routes.set('/api/health', [200, health]);
    });

    /** serves the request with its veto's typed data changed — and, like a careful attacker, the safeTxHash recomputed to match */
    function serve(tamper: (t: TypedDataJson) => TypedDataJson, hash?: Hex) {
      const typedData = tamper(JSON.parse(JSON.stringify(honest.veto!.typedData)) as TypedDataJson);
      let h = hash;
      if (!h) {
        try {
          h = hashTypedData(typedDataFromJson(typedData));
        } catch {
          h = honest.veto!.safeTxHash;
        }
      }
      fake.routes.set(`/api/requests/${id}`, [200, { ...honest, veto: { ...honest.veto, typedData, safeTxHash: h } }]);
    }
    const addOwner = encodeFunctionData({ abi: parseAbi(['function addOwnerWithThreshold(address owner, uint256 threshold)']), args: [f ? f.stranger.address : '0x0000000000000000000000000000000000000001', 1n] });
    const cases: [string, (t: TypedDataJson) => TypedDataJson, RegExp][] = [
      ['another chain id', (t) => ({ ...t, domain: { ...t.domain, chainId: 1 } }), /domain\.chainId: the desk says 1, rebuilt 31337 {2}<- a signature for another chain/],
      ['DELEGATECALL', (t) => ({ ...t, message: { ...t.message, operation: 1 as 0 } }), /message\.operation: .*DELEGATECALL/],
      ['1000 ETH value', (t) => ({ ...t, message: { ...t.message, value: '1000000000000000000000' } }), /message\.value: the desk says 1000000000000000000000, rebuilt 0/],
      ['addOwnerWithThreshold data', (t) => ({ ...t, message: { ...t.message, data: addOwner } }), /message\.data: .*calls addOwnerWithThreshold\(address,uint256\)/],
      ['gas price and refund receiver', (t) => ({ ...t, message: { ...t.message, gasPrice: '1000000000', refundReceiver: '0x000000000000000000000000000000000000dEaD' } }), /message\.gasPrice[\s\S]*message\.refundReceiver/],
      ['an extra domain field', (t) => ({ ...t, domain: { ...t.domain, name: 'Safe' } as TypedDataJson['domain'] }), /domain\.name: the desk says Safe, rebuilt \(no such field\)/],
    ];

    it.each(cases)('refuses %s: exit 4, nothing posted', async (_name, tamper, expected) => {
      serve(tamper);
      const r = await cli(['sign', '--desk', fake.url, '--request', id.toString(), '--key-env', 'K', '--yes'], { K: f.owners[0]!.privateKey });
      expect(r.code).toBe(4);
      expect(r.out).toContain(`REFUSED to sign the veto of request ${id}`);
      expect(r.out).toMatch(expected);
      expect(r.out).toContain('nothing was signed or sent');
      expect(r.out).not.toContain('signing veto');
      expect(fake.posts).toEqual([]);
    });

    it('refuses the issue\'s whole attack at once, and a safeTxHash that is not the rebuilt one', async () => {
      serve((t) => ({ ...t, domain: { ...t.domain, chainId: 1 }, message: { ...t.message, to: f.safe, operation: 1 as 0, value: '1000000000000000000000', data: addOwner, gasPrice: '1', refundReceiver: f.stranger.address } }));
      const all = await cli(['sign', '--desk', fake.url, '--request', id.toString(), '--key-env', 'K', '--yes'], { K: f.owners[0]!.privateKey });
      expect(all.code).toBe(4);
      for (const field of ['domain.chainId', 'message.to', 'message.value', 'message.operation', 'message.data', 'message.gasPrice', 'message.refundReceiver']) expect(all.out).toContain(`${field}: the desk says`);
      serve((t) => t, `0x${'ab'.repeat(32)}`);
      const hash = await cli(['sign', '--desk', fake.url, '--request', id.toString(), '--key-env', 'K', '--yes'], { K: f.owners[0]!.privateKey });
      expect(hash.code).toBe(4);
      expect(hash.out).toContain(`The desk's safeTxHash 0x${'ab'.repeat(32)} is not the rebuilt one ${honest.veto!.safeTxHash}`);
      // a desk that lies consistently about the chain (health and typed data) is caught by a pin, or by the RPC
      fake.routes.set('/api/health', [200, { ...(health as object), chainId: 1 }]);
      serve((t) => ({ ...t, domain: { ...t.domain, chainId: 1 } }));
      const pinned = await cli(['sign', '--desk', fake.url, '--request', id.toString(), '--key-env', 'K', '--chain-id', '31337', '--yes'], { K: f.owners[0]!.privateKey });
      expect(pinned.code).toBe(4);
      const rpc = await cli(['sign', '--desk', fake.url, '--request', id.toString(), '--key-env', 'K', '--yes'], { K: f.owners[0]!.privateKey, RPC_URL: f.anvil.rpcUrl });
      expect(rpc.code).toBe(4);
      expect(rpc.out).toContain('chain id: the RPC');
      expect(rpc.out).toContain('is on chain 31337, the desk says 1');
      expect(fake.posts).toEqual([]);
    });

    it('refuses a tampered rejection the same way', async () => {
      const offer = (await request(desk.url).get('/api/safe/rejections/' + honest.veto!.nonce)).body as { typedData: TypedDataJson; safeTxHash: Hex };
      const typedData = { ...offer.typedData, message: { ...offer.typedData.message, data: addOwner } };
      fake.routes.set(`/api/safe/rejections/${honest.veto!.nonce}`, [200, { ...offer, typedData, safeTxHash: hashTypedData(typedDataFromJson(typedData)) }]);
      const r = await cli(['reject', '--desk', fake.url, '--nonce', String(honest.veto!.nonce), '--key-env', 'K', '--yes'], { K: f.owners[0]!.privateKey });
      expect(r.code).toBe(4);
      expect(r.out).toMatch(/message\.data: .*calls addOwnerWithThreshold/);
      expect(fake.posts).toEqual([]);
    });

    it('posts { signature, source: "cli", safeTxHash } for an honest transaction', async () => {
      serve((t) => t);
      const r = await cli(['sign', '--desk', fake.url, '--request', id.toString(), '--key-env', 'K', '--yes'], { K: f.owners[0]!.privateKey });
      expect(r.code).toBe(0);
      expect(fake.posts).toEqual([{ path: `/api/requests/${id}/veto/signatures`, body: { signature: expect.stringMatching(/^0x[0-9a-f]{130}$/), source: 'cli', safeTxHash: honest.veto!.safeTxHash } }]);
    });

    it('refuses plain http:// to a desk that is not on this machine; --insecure-http overrides it with a warning', async () => {
      const r = await cli(['sign', '--desk', 'http://desk.example:8080', '--request', id.toString(), '--key-env', 'K', '--yes'], { K: f.owners[0]!.privateKey });
      expect(r.code).toBe(2);
      expect(r.out).toContain('refusing plain http:// to desk.example:8080');
      const viaEnv = await cli(['status'], { VETO_DESK_URL: 'http://10.1.2.3' });
      expect(viaEnv.code).toBe(2);
      serve((t) => t);
      // 0.0.0.0 reaches this machine but is not a loopback name: only the override lets it through
      const insecure = await cli(['sign', '--desk', `http://0.0.0.0:${fake.port}`, '--insecure-http', '--request', id.toString(), '--key-env', 'K', '--yes'], { K: f.owners[0]!.privateKey });
      expect(insecure.out).toContain(`WARNING: --insecure-http: talking to 0.0.0.0:${fake.port} over plain http://`);
      expect(insecure.code).toBe(0);
      expect(fake.posts).toHaveLength(1);
    });
  });
});
