/**
 * Committee vetoes through a real 2-of-3 Safe 1.4.1 on anvil, on SQLite and PostgreSQL: two
 * owners sign over HTTP (EIP-712 and eth_sign) → vetoed on chain within 2 blocks; an unsigned
 * request holds no nonce; a partly signed one blocks a ready one and the way out is offered;
 * every bad signature refused with its code and nothing stored; decoded revert reasons; a member
 * executing from their own wallet is noticed; a signed veto of a request a reorg replaced or removed
 * is never handed out as a call; a crash between "recorded" and "mined" never sends twice.
 */
import Safe from '@safe-global/protocol-kit';
import request from 'supertest';
import { encodeFunctionData, getAddress, keccak256, parseAbi, type Hex } from 'viem';
import type { Desk } from '../src/app/desk';
import { createLogger } from '../src/lib/logger';
import { createDevClients } from '../src/devnet/devnet';
import { execSafeTransaction } from '../src/devnet/safe';
import { safeAbi, vetoCallData } from '../src/safe/safeTx';
import type { RequestView, VetoView } from '../src/api/views';
import { DB_KINDS, createTestDatabase, type TestDatabase } from './helpers/databases';
import { WINDOW, signEthSignVeto, signTypedVeto, startSafeFixture, type SafeFixture, openVetoDesk, settle } from './helpers/safeFixture';

const logger = createLogger('silent');
const CANCELLED = 1; // V3 SlashingStatus: Requested, Cancelled, Completed



async function veto(desk: Desk, id: bigint): Promise<VetoView> {
  const res = await request(desk.url).get(`/api/requests/${id}`).expect(200);
  const view = res.body as RequestView;
  expect(view.veto).toBeDefined();
  return view.veto!;
}

const post = (desk: Desk, id: bigint, body: unknown) => request(desk.url).post(`/api/requests/${id}/veto/signatures`).send(body as object);

describe.each(DB_KINDS)('committee veto through the Safe on %s', (kind) => {
  let f: SafeFixture;
  let db: TestDatabase;
  let desk: Desk;
  beforeAll(async () => {
    f = await startSafeFixture();
    db = await createTestDatabase(kind);
    desk = await openVetoDesk(f, db);
  });
  afterAll(async () => {
    await desk?.stop();
    await db?.drop();
    await f?.stop();
  });

  it('proposes a veto whose safeTxHash is the Safe contract’s own', async () => {
    const id = await f.queue();
    await settle(desk);
    const v = await veto(desk, id);
    const nonce = await f.publicClient.readContract({ address: f.safe, abi: safeAbi, functionName: 'nonce' });
    const onchain = await f.publicClient.readContract({
      address: f.safe,
      abi: safeAbi,
      functionName: 'getTransactionHash',
      args: [f.testbed.slasher, 0n, vetoCallData(id), 0, 0n, 0n, 0n, '0x0000000000000000000000000000000000000000', '0x0000000000000000000000000000000000000000', nonce],
    });
    expect(v).toMatchObject({ safe: getAddress(f.safe), nonce: Number(nonce), safeTxHash: onchain, threshold: 2, signatures: [], status: 'collecting', executionTxHash: null });
    expect(v.typedData.domain).toEqual({ chainId: 31337, verifyingContract: getAddress(f.safe) });
    expect(v.typedData.message).toMatchObject({ to: getAddress(f.testbed.slasher), data: vetoCallData(id), value: '0', operation: 0, nonce: String(nonce) });
    // out of the way of the next tests: its window closes unsigned; nothing was ever stored for it
    await f.mine(WINDOW + 1);
    await settle(desk);
    const closed = (await request(desk.url).get(`/api/requests/${id}`).expect(200)).body as RequestView;
    expect(closed.veto).toBeUndefined();
    expect(await desk.database.db.vetoProposal.count({ where: { requestId: id.toString() } })).toBe(0);
  });

  it('an unsigned request holds no nonce: the veto signed after a let-pass executes at once', async () => {
    const a = await f.queue('A: let pass (nobody signs)');
    const b = await f.queue('B: vetoed');
    await settle(desk);
    const va = await veto(desk, a);
    const vb = await veto(desk, b);
    expect(vb.nonce).toBe(va.nonce); // both served at the Safe's nonce: neither holds it
    await post(desk, b, { signature: await signTypedVeto(f.owners[0]!.privateKey, vb.typedData), safeTxHash: vb.safeTxHash }).expect(201);
    // the first signature fixed B's nonce: A is now served at the next one
    expect((await veto(desk, a)).nonce).toBe(vb.nonce + 1);
    await post(desk, b, { signature: await signTypedVeto(f.owners[1]!.privateKey, vb.typedData) }).expect(201);
    await desk.vetoes.idle();
    expect(await f.slasherStatus(b)).toBe(CANCELLED);
    expect(await f.slasherStatus(a)).toBe(0);
    expect((await veto(desk, b)).status).toBe('executed');
    await f.mine(WINDOW + 1);
    await settle(desk);
  });

  it('a partly signed veto blocks a ready one: said at once with the ways out; signing the blocker lands both', async () => {
    const a = await f.queue('A: one signature only');
    const b = await f.queue('B');
    await settle(desk);
    const va = await veto(desk, a);
    await post(desk, a, { signature: await signTypedVeto(f.owners[0]!.privateKey, va.typedData) }).expect(201);
    const vb = await veto(desk, b);
    expect(vb.nonce).toBe(va.nonce + 1);
    await post(desk, b, { signature: await signTypedVeto(f.owners[0]!.privateKey, vb.typedData) }).expect(201);
    await post(desk, b, { signature: await signTypedVeto(f.owners[1]!.privateKey, vb.typedData) }).expect(201);
    await desk.vetoes.idle();
    const blocked = await veto(desk, b);
    expect(blocked).toMatchObject({ status: 'ready', blockedByNonce: va.nonce, statusReason: expect.stringContaining(`nonce ${va.nonce}`) });
    expect(blocked.statusReason).not.toMatch(/threshold not met/);
    expect(blocked.blocked).toMatchObject({ nonce: va.nonce, blockingRequestId: a.toString(), holders: [{ kind: 'veto', requestIds: [a.toString()], signers: [f.owners[0]!.address], missing: 1 }] });
    expect(blocked.blocked!.waysOut.map((w) => w.kind)).toEqual(['sign_blocking', 'sign_rejection', 'sign_here']);
    const full = (await request(desk.url).get(`/api/requests/${b}`).expect(200)).body as RequestView;
    expect(full.nextAction).toMatchObject({ kind: 'unblock_veto', actor: 'owners' });
    const alerts = (await request(desk.url).get('/api/alerts?kind=veto_blocked').expect(200)).body.alerts as { requestId: string; severity: string; title: string }[];
    expect(alerts).toEqual([expect.objectContaining({ requestId: b.toString(), severity: 'critical', title: expect.stringContaining(`nonce ${va.nonce}`) })]);
    expect(await f.slasherStatus(b)).toBe(0);
    // way out: the blocking veto gets its second signature → both execute back to back
    const way = blocked.blocked!.waysOut.find((w) => w.kind === 'sign_blocking')!;
    const blocker = (await request(desk.url).get(way.href).expect(200)).body as VetoView;
    expect(blocker.safeTxHash).toBe(va.safeTxHash);
    await post(desk, a, { signature: await signTypedVeto(f.owners[2]!.privateKey, blocker.typedData), safeTxHash: blocker.safeTxHash }).expect(201);
    await desk.vetoes.idle();
    await settle(desk);
    expect(await f.slasherStatus(a)).toBe(CANCELLED);
    expect(await f.slasherStatus(b)).toBe(CANCELLED);
    expect((await veto(desk, b)).status).toBe('executed');
  });

  it('agrees with protocol-kit: same safeTxHash, and a protocol-kit signature is accepted', async () => {
    const id = await f.queue();
    await settle(desk);
    const v = await veto(desk, id);
    const kit = await Safe.init({ provider: f.anvil.rpcUrl, signer: f.owners[2]!.privateKey, safeAddress: f.safe, contractNetworks: f.contractNetworks });
    const tx = await kit.createTransaction({ transactions: [{ to: f.testbed.slasher, value: '0', data: vetoCallData(id) }], options: { nonce: v.nonce } });
    expect(await kit.getTransactionHash(tx)).toBe(v.safeTxHash);
    const signed = await kit.signTransaction(tx, 'eth_signTypedData_v4' as Parameters<typeof kit.signTransaction>[1]);
    const signature = signed.getSignature(f.owners[2]!.address.toLowerCase())!.data as Hex;
    const res = await post(desk, id, { signature }).expect(201);
    expect((res.body as VetoView).signatures.map((s) => s.signer)).toEqual([f.owners[2]!.address]);
    await f.mine(WINDOW + 1);
    await settle(desk);
  });

  it('two owners sign over HTTP → vetoed on chain within 2 blocks of the second signature; bad signatures refused, nothing stored', async () => {
    const id = await f.queue();
    await settle(desk);
    const v = await veto(desk, id);
    const [o1, o2] = f.owners as [SafeFixture['owners'][number], SafeFixture['owners'][number]];
    const stored = await desk.database.db.vetoSignature.count();
    const refused = async (body: unknown, status: number, code: string) => {
      const res = await post(desk, id, body).expect(status);
      expect(res.body.error.code).toBe(code);
      expect(typeof res.body.error.message).toBe('string');
    };
    await refused({ signature: '0x1234' }, 400, 'SIGNATURE_MALFORMED');
    await refused({ signature: 'zz' }, 400, 'SIGNATURE_MALFORMED');
    await refused({}, 400, 'SIGNATURE_MALFORMED');
    await refused({ signature: `0x${'11'.repeat(64)}1d` }, 400, 'SIGNATURE_MALFORMED'); // v = 29
    await refused({ signature: `0x${'11'.repeat(64)}00` }, 422, 'SIGNER_IS_CONTRACT');
    await refused({ signature: await signTypedVeto(f.stranger.privateKey, v.typedData) }, 403, 'SIGNER_NOT_OWNER');
    await refused({ signature: await signTypedVeto(o1.privateKey, { ...v.typedData, domain: { ...v.typedData.domain, chainId: 1 } }) }, 422, 'SIGNATURE_WRONG_CHAIN');
    await refused({ signature: await signTypedVeto(o1.privateKey, { ...v.typedData, message: { ...v.typedData.message, nonce: String(v.nonce + 3) } }) }, 422, 'SIGNATURE_WRONG_NONCE');
    await refused({ signature: await signTypedVeto(o1.privateKey, { ...v.typedData, domain: { ...v.typedData.domain, verifyingContract: f.keeperAccount.address } }) }, 422, 'SIGNATURE_WRONG_SAFE');
    await refused({ signature: `0x${'ab'.repeat(65)}`, extra: 1 }, 400, 'BAD_REQUEST');
    const big = await request(desk.url).post(`/api/requests/${id}/veto/signatures`).set('Content-Type', 'application/json').send(`{"signature":"${'a'.repeat(70_000)}"}`).expect(413);
    expect(big.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await desk.database.db.vetoSignature.count()).toBe(stored);

    const first = await post(desk, id, { signature: await signTypedVeto(o1.privateKey, v.typedData) }).expect(201);
    expect((first.body as VetoView).signatures).toEqual([{ signer: o1.address, source: 'http', submittedAt: expect.any(String) }]);
    expect((first.body as VetoView).status).toBe('collecting');
    await refused({ signature: await signTypedVeto(o1.privateKey, v.typedData) }, 409, 'SIGNATURE_DUPLICATE');
    expect(await desk.database.db.vetoSignature.count()).toBe(stored + 1);

    const before = await f.publicClient.getBlockNumber();
    await post(desk, id, { signature: await signEthSignVeto(o2.privateKey, v.safeTxHash) }).expect(201);
    await desk.vetoes.idle();
    expect(await f.slasherStatus(id)).toBe(CANCELLED);
    const after = await veto(desk, id);
    expect(after.status).toBe('executed');
    const receipt = await f.publicClient.getTransactionReceipt({ hash: after.executionTxHash! });
    expect(receipt.blockNumber - before).toBeLessThanOrEqual(2n);
    expect(getAddress(receipt.from)).toBe(f.executor.address);
    await desk.ingestor.sync();
    const view = (await request(desk.url).get(`/api/requests/${id}`).expect(200)).body as RequestView;
    expect(view.status).toBe('vetoed');
    expect(view.cancelled?.txHash).toBe(after.executionTxHash);
    // a signature for a request already vetoed is refused
    const late = await post(desk, id, { signature: await signTypedVeto(f.owners[2]!.privateKey, v.typedData) }).expect(409);
    expect(late.body.error.code).toBe('VETO_WINDOW_CLOSED');
  });

  it('refuses a request whose window has closed, and records a decoded revert when the chain says so', async () => {
    const closed = await f.queue();
    await f.mine(WINDOW + 1);
    await settle(desk);
    // well formed (r = 1 is on the curve) but from nobody: the closed window is what refuses it
    const res = await post(desk, closed, { signature: `0x${'00'.repeat(31)}01${'11'.repeat(32)}1b` }).expect(409);
    expect(res.body.error.code).toBe('VETO_WINDOW_CLOSED');

    // the desk's view is stale (no sync) when the window passes: execution is simulated, the
    // slasher's VetoPeriodPassed decoded and shown, nothing sent; it is simulated again at the
    // next block (one revert may be a node's), and fails once the desk reads the window closed
    const id = await f.queue();
    await settle(desk);
    const v = await veto(desk, id);
    await post(desk, id, { signature: await signTypedVeto(f.owners[0]!.privateKey, v.typedData) }).expect(201);
    await f.mine(WINDOW + 1);
    const nonceBefore = await f.publicClient.getTransactionCount({ address: f.executor.address });
    await post(desk, id, { signature: await signTypedVeto(f.owners[1]!.privateKey, v.typedData) }).expect(201);
    await desk.vetoes.idle();
    const refused = await veto(desk, id);
    expect(refused.status).toBe('ready');
    expect(refused.statusReason).toContain('VetoPeriodPassed');
    expect(await f.publicClient.getTransactionCount({ address: f.executor.address })).toBe(nonceBefore);
    await settle(desk);
    const failed = await veto(desk, id);
    expect(failed.status).toBe('failed');
    expect(failed.statusReason).toContain('did not land before the window closed');
    expect(failed.statusReason).toContain('VetoPeriodPassed');
    expect(await f.publicClient.getTransactionCount({ address: f.executor.address })).toBe(nonceBefore);
  });

  it('notices a member executing the veto from their own wallet', async () => {
    const id = await f.queue();
    await settle(desk);
    const v = await veto(desk, id);
    // one owner signed through the desk; two others execute from a wallet
    await post(desk, id, { signature: await signTypedVeto(f.owners[0]!.privateKey, v.typedData) }).expect(201);
    const { txHash } = await execSafeTransaction(f.keeper, f.publicClient, {
      safe: f.safe,
      to: f.testbed.slasher,
      data: vetoCallData(id),
      nonce: BigInt(v.nonce),
      ownerPrivateKeys: [f.owners[1]!.privateKey, f.owners[2]!.privateKey],
    });
    await settle(desk);
    const after = await veto(desk, id);
    expect(after).toMatchObject({ status: 'executed', executionTxHash: txHash });
    // an unsigned veto executed from a wallet: the request shows it
    const other = await f.queue();
    await settle(desk);
    const vo = await veto(desk, other);
    const { txHash: tx2 } = await execSafeTransaction(f.keeper, f.publicClient, { safe: f.safe, to: f.testbed.slasher, data: vetoCallData(other), nonce: BigInt(vo.nonce), ownerPrivateKeys: [f.owners[1]!.privateKey, f.owners[2]!.privateKey] });
    await settle(desk);
    const view = (await request(desk.url).get(`/api/requests/${other}`).expect(200)).body as RequestView;
    expect(view).toMatchObject({ status: 'vetoed', cancelled: { txHash: tx2 } });
  });

  it('re-plans when a lower nonce is used by another Safe transaction; stale proposals are set aside', async () => {
    const id = await f.queue();
    await settle(desk);
    const v = await veto(desk, id);
    await post(desk, id, { signature: await signTypedVeto(f.owners[0]!.privateKey, v.typedData) }).expect(201);
    // the committee uses nonce v.nonce for something else (a no-op call to itself)
    await execSafeTransaction(f.keeper, f.publicClient, { safe: f.safe, to: f.safe, data: '0x', nonce: BigInt(v.nonce), ownerPrivateKeys: [f.owners[1]!.privateKey, f.owners[2]!.privateKey] });
    await settle(desk);
    const replanned = await veto(desk, id);
    expect(replanned.nonce).toBe(v.nonce + 1);
    expect(replanned.signatures).toEqual([]);
    expect(replanned.superseded).toEqual([{ nonce: v.nonce, safeTxHash: v.safeTxHash, reason: expect.stringContaining('was used by another transaction'), signatures: 1 }]);
    // the owner whose signature went void is asked, by name, to sign again
    expect(replanned.signAgain).toEqual({ signers: [f.owners[0]!.address], lostNonce: v.nonce });
    const asked = (await request(desk.url).get('/api/alerts?kind=veto_sign_again').expect(200)).body.alerts as { requestId: string; title: string }[];
    expect(asked).toEqual([expect.objectContaining({ requestId: id.toString(), title: expect.stringContaining(f.owners[0]!.address) })]);
    // the old signature is now a wrong-nonce signature
    const res = await post(desk, id, { signature: await signTypedVeto(f.owners[0]!.privateKey, v.typedData) }).expect(422);
    expect(res.body.error.code).toBe('SIGNATURE_WRONG_NONCE');
    await f.mine(WINDOW + 1);
    await settle(desk);
  });

  it('an owner removed from the Safe: their signature is set aside (never executed)', async () => {
    const b = await f.queue('B');
    await settle(desk);
    const [o1, o2, o3] = f.owners as [SafeFixture['owners'][number], SafeFixture['owners'][number], SafeFixture['owners'][number]];
    const vb = await veto(desk, b);
    await post(desk, b, { signature: await signTypedVeto(o3.privateKey, vb.typedData) }).expect(201);
    const vb1 = await veto(desk, b);
    // the committee removes owner 3 at a later nonce (threshold stays 2): B's nonce stays free
    const safeNonce = Number(await f.publicClient.readContract({ address: f.safe, abi: safeAbi, functionName: 'nonce' }));
    expect(vb1.nonce).toBe(safeNonce);
    await post(desk, b, { signature: await signTypedVeto(o1.privateKey, vb1.typedData) }).expect(201);
    await desk.vetoes.idle();
    // (B executed already with o3 + o1: the removal goes at the next nonce)
    expect(await f.slasherStatus(b)).toBe(CANCELLED);
    const c = await f.queue('C');
    await settle(desk);
    const vc = await veto(desk, c);
    await post(desk, c, { signature: await signTypedVeto(o3.privateKey, vc.typedData) }).expect(201);
    await execSafeTransaction(f.keeper, f.publicClient, {
      safe: f.safe,
      to: f.safe,
      data: encodeFunctionData({ abi: parseAbi(['function removeOwner(address prevOwner, address owner, uint256 _threshold)']), functionName: 'removeOwner', args: [o2.address, o3.address, 2n] }),
      nonce: BigInt(vc.nonce),
      ownerPrivateKeys: [o1.privateKey, o2.privateKey],
    });
    await settle(desk);
    const moved = await veto(desk, c);
    expect(moved.nonce).toBe(vc.nonce + 1);
    expect(moved.superseded[0]).toMatchObject({ nonce: vc.nonce, reason: expect.stringContaining(`nonce ${vc.nonce} was used`) });
    // owner 3 can no longer sign, and is not asked to
    expect(moved.signAgain).toBeNull();
    const refused = await post(desk, c, { signature: await signTypedVeto(o3.privateKey, moved.typedData) }).expect(403);
    expect(refused.body.error.code).toBe('SIGNER_NOT_OWNER');
    await post(desk, c, { signature: await signTypedVeto(o1.privateKey, moved.typedData) }).expect(201);
    await post(desk, c, { signature: await signTypedVeto(o2.privateKey, moved.typedData) }).expect(201);
    await desk.vetoes.idle();
    expect(await f.slasherStatus(c)).toBe(CANCELLED);
    // put owner 3 back for the other tests
    await execSafeTransaction(f.keeper, f.publicClient, {
      safe: f.safe,
      to: f.safe,
      data: encodeFunctionData({ abi: parseAbi(['function addOwnerWithThreshold(address owner, uint256 _threshold)']), functionName: 'addOwnerWithThreshold', args: [o3.address, 2n] }),
      ownerPrivateKeys: [o1.privateKey, o2.privateKey],
    });
    await settle(desk);
  });

  it('a reorg that puts another request under the id sets the signed proposal aside', async () => {
    const snapshot = await f.publicClient.request({ method: 'evm_snapshot' } as never) as string;
    const x = await f.queue('branch A');
    await f.mine(2);
    await settle(desk);
    const vx = await veto(desk, x);
    await post(desk, x, { signature: await signTypedVeto(f.owners[0]!.privateKey, vx.typedData) }).expect(201);
    await f.publicClient.request({ method: 'evm_revert', params: [snapshot] } as never);
    const y = await f.queue('branch B: another request, same id');
    expect(y).toBe(x);
    await f.mine(3);
    await settle(desk);
    const vy = await veto(desk, y);
    expect(vy.signatures).toEqual([]);
    expect(vy.status).toBe('collecting');
    expect(vy.superseded).toEqual([{ nonce: vx.nonce, safeTxHash: vx.safeTxHash, reason: expect.stringContaining('reorg'), signatures: 1 }]);
    await f.mine(WINDOW + 1);
    await settle(desk);
  });

  /** A desk without EXECUTOR_PRIVATE_KEY on a database of its own, a request queued and its veto signed by two owners: `body` runs, then the desk stops. */
  async function withUnsentQuorum(extra: Parameters<typeof openVetoDesk>[3], body: (quiet: Desk, id: bigint) => Promise<void>): Promise<void> {
    const db2 = await createTestDatabase(kind);
    const quiet = await openVetoDesk(f, db2, {}, extra);
    try {
      const id = await f.queue();
      await settle(quiet);
      const v = await veto(quiet, id);
      await post(quiet, id, { signature: await signTypedVeto(f.owners[0]!.privateKey, v.typedData) }).expect(201);
      await post(quiet, id, { signature: await signTypedVeto(f.owners[1]!.privateKey, v.typedData) }).expect(201);
      await quiet.vetoes.idle();
      await body(quiet, id);
    } finally {
      await quiet.stop();
      await db2.drop();
    }
    await settle(desk);
  }

  it('a second desk on the database reads the Safe again when the first ingested its threshold change (it never saw the log)', async () => {
    const second = await openVetoDesk(f, db, {}, {});
    const [o1, o2, o3] = f.owners as [SafeFixture['owners'][number], SafeFixture['owners'][number], SafeFixture['owners'][number]];
    const changeThreshold = (to: bigint, signers: SafeFixture['owners']) =>
      execSafeTransaction(f.keeper, f.publicClient, { safe: f.safe, to: f.safe, data: encodeFunctionData({ abi: parseAbi(['function changeThreshold(uint256 _threshold)']), functionName: 'changeThreshold', args: [to] }), ownerPrivateKeys: signers.map((o) => o.privateKey) });
    const threshold = async (d: Desk, id: bigint) => (await veto(d, id)).threshold;
    try {
      const id = await f.queue('read by two desks');
      await settle(desk);
      await settle(second);
      expect([await threshold(desk, id), await threshold(second, id)]).toEqual([2, 2]);
      await changeThreshold(3n, [o1, o2]);
      // the first desk ingests the block with the Safe's ChangedThreshold log; the second finds
      // nothing left to ingest
      await settle(desk);
      await settle(second);
      expect(await desk.ingestor.sync()).toMatchObject({ indexedBlock: Number(await f.publicClient.getBlockNumber({ cacheTime: 0 })) });
      expect([await threshold(desk, id), await threshold(second, id)]).toEqual([3, 3]);
      await changeThreshold(2n, [o1, o2, o3]);
      await settle(desk);
      await settle(second);
      expect([await threshold(desk, id), await threshold(second, id)]).toEqual([2, 2]);
    } finally {
      await second.stop();
      // the other tests run on a 2-of-3 Safe, whatever failed here
      if ((await f.publicClient.readContract({ address: f.safe, abi: safeAbi, functionName: 'getThreshold' })) !== 2n) await changeThreshold(2n, [o1, o2, o3]);
    }
    await f.mine(WINDOW + 1);
    await settle(desk);
  });

  it('without a key, the signed veto of a request a reorg replaced or removed is never handed out to a member’s wallet', async () => {
    const db2 = await createTestDatabase(kind);
    const quiet = await openVetoDesk(f, db2, {}, {});
    const snapshot = (await f.rpc('evm_snapshot')) as string;
    try {
      const id = await f.queue('signed, then reorged away');
      await f.mine(2);
      await settle(quiet);
      const v = await veto(quiet, id);
      for (const o of f.owners.slice(0, 2)) await post(quiet, id, { signature: await signTypedVeto(o.privateKey, v.typedData) }).expect(201);
      await quiet.vetoes.idle();
      expect((await veto(quiet, id)).status).toBe('ready');
      await request(quiet.url).get(`/api/requests/${id}/veto/execution`).expect(200);
      const signedFor = ((await request(quiet.url).get(`/api/requests/${id}`).expect(200)).body as RequestView).queuedTxHash;

      // another branch: the same id names a later request (same call data, another queue transaction)
      await f.rpc('evm_revert', [snapshot]);
      const again = (await f.rpc('evm_snapshot')) as string;
      expect(await f.queue('another request under the same id')).toBe(id);
      await f.mine(4);
      // the ingest has seen the reorg; the Safe desk's pass may or may not have set the proposal
      // aside yet: either way the call is refused, never handed out
      await quiet.ingestor.sync();
      const early = await request(quiet.url).get(`/api/requests/${id}/veto/execution`);
      expect(early.status).toBe(409);
      expect(['VETO_NOT_AVAILABLE', 'SAFE_TX_NOT_READY']).toContain(early.body.error.code);
      // what the route asks of the Safe desk for the proposal signed before the reorg
      await expect(quiet.vetoes.executionHold(id.toString(), signedFor)).rejects.toMatchObject({ code: 'VETO_NOT_AVAILABLE', message: expect.stringContaining('is now the one queued in') });
      await settle(quiet);
      const after = await request(quiet.url).get(`/api/requests/${id}/veto/execution`).expect(409);
      expect(after.body.error).toMatchObject({ code: 'SAFE_TX_NOT_READY', message: expect.stringContaining('nobody has signed') });
      expect((await veto(quiet, id)).superseded).toEqual([expect.objectContaining({ safeTxHash: v.safeTxHash, signatures: 2 })]);

      // a branch where no request has the id at all
      await f.rpc('evm_revert', [again]);
      await f.mine(8);
      await settle(quiet);
      await request(quiet.url).get(`/api/requests/${id}`).expect(404);
      await expect(quiet.vetoes.executionHold(id.toString(), signedFor)).rejects.toMatchObject({ code: 'VETO_NOT_AVAILABLE', message: expect.stringContaining("not in the desk's index") });
      expect((await request(quiet.url).get(`/api/requests/${id}/veto/execution`)).status).toBeGreaterThanOrEqual(400);
    } finally {
      await quiet.stop();
      await db2.drop();
    }
    await settle(desk);
  });

  it('without EXECUTOR_PRIVATE_KEY never sends and says so in /api/health', async () => {
    await withUnsentQuorum({}, async (quiet, id) => {
      expect((await veto(quiet, id)).status).toBe('ready');
      expect(await f.slasherStatus(id)).toBe(0);
      const health = (await request(quiet.url).get('/api/health').expect(200)).body;
      expect(health.vetoExecution).toMatchObject({ executor: null, sends: false, threshold: 2, note: expect.stringContaining('EXECUTOR_PRIVATE_KEY') });
      await f.mine(WINDOW + 1);
      await settle(quiet);
      // it had its threshold: a failure with its real cause, never "threshold not met"
      const missed = await veto(quiet, id);
      expect(missed.status).toBe('failed');
      expect(missed.statusReason).toContain('EXECUTOR_PRIVATE_KEY');
      expect(missed.statusReason).not.toMatch(/before the threshold was met/);
    });
  });

  it('without a key, under CONFIRMATIONS: a member’s wallet is refused the veto call until the request is buried, then vetoes with it', async () => {
    await withUnsentQuorum({ confirmations: 3 }, async (quiet, id) => {
      // a reorg could still put another request under this id: the desk's own key would wait too
      const early = await request(quiet.url).get(`/api/requests/${id}/veto/execution`).expect(409);
      expect(early.body.error).toMatchObject({ code: 'SAFE_TX_NOT_READY', message: expect.stringContaining('CONFIRMATIONS') });
      await f.mine(3);
      await settle(quiet);
      const call = (await request(quiet.url).get(`/api/requests/${id}/veto/execution`).expect(200)).body as { to: Hex; data: Hex };
      const { wallet } = createDevClients(f.anvil.rpcUrl, f.stranger.privateKey);
      const receipt = await f.publicClient.waitForTransactionReceipt({ hash: await wallet.sendTransaction({ to: call.to, data: call.data }) });
      expect(receipt.status).toBe('success');
      expect(await f.slasherStatus(id)).toBe(CANCELLED);
    });
  });
});

describe.each(DB_KINDS)('exactly-once veto execution across a crash on %s', (kind) => {
  let f: SafeFixture;
  beforeAll(async () => {
    f = await startSafeFixture();
  });
  afterAll(async () => {
    await f?.stop();
  });

  it.each([
    ['recorded, never broadcast', false],
    ['broadcast, receipt never read', true],
  ])('crash after the action is %s → one send after restart', async (_label, broadcast) => {
    const db = await createTestDatabase(kind);
    let crashed: Desk | undefined;
    try {
      crashed = await openVetoDesk(
        f,
        db,
        { executorPrivateKey: f.executor.privateKey },
        {
          scheduler: {
            afterRecord: async (action) => {
              if (broadcast) await f.publicClient.sendRawTransaction({ serializedTransaction: action.rawTx as Hex });
              throw new Error('simulated kill -9');
            },
          },
        },
      );
      const id = await f.queue();
      await settle(crashed);
      const v = await veto(crashed, id);
      const nonceBefore = await f.publicClient.getTransactionCount({ address: f.executor.address });
      await post(crashed, id, { signature: await signTypedVeto(f.owners[0]!.privateKey, v.typedData) }).expect(201);
      await post(crashed, id, { signature: await signTypedVeto(f.owners[2]!.privateKey, v.typedData) }).expect(201);
      await crashed.vetoes.idle();
      const actions = await crashed.database.db.sentTx.findMany({ where: { purpose: 'safe_veto' } });
      expect(actions).toHaveLength(1);
      expect(actions[0]!.txHash).toBe(keccak256(actions[0]!.rawTx as Hex));
      await crashed.stop();
      crashed = undefined;

      const restarted = await openVetoDesk(f, db);
      try {
        await settle(restarted);
        await settle(restarted);
        expect(await f.slasherStatus(id)).toBe(CANCELLED);
        const after = await veto(restarted, id);
        expect(after.status).toBe('executed');
        expect(after.executionTxHash).toBe(actions[0]!.txHash);
        expect(await f.publicClient.getTransactionCount({ address: f.executor.address })).toBe(nonceBefore + 1);
        const rows = await restarted.database.db.sentTx.findMany({ where: { purpose: 'safe_veto' } });
        expect(rows.map((r) => r.status)).toEqual(['mined']);
      } finally {
        await restarted.stop();
      }
    } finally {
      await crashed?.stop();
      await db.drop();
    }
  });
});
