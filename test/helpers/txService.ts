/**
 * A local stand-in for the Safe Transaction Service HTTP API: the endpoints api-kit 5 calls
 * (DOMAIN.md §3) with the shapes, status codes and checks of the real service — checksummed
 * addresses in paths, the contractTransactionHash recomputed, every signature recovered and
 * checked against the Safe's owners on chain, DRF-style error bodies, `{count,next,previous,results}`
 * paging. It can throttle (429) to exercise the desk's backoff. Test-only.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { getAddress, isAddress, type Address, type Hex, type PublicClient } from 'viem';
import { safeAbi, safeTxHash, type SafeTx } from '../../src/safe/safeTx';
import { parseSignature, recoverSigner } from '../../src/safe/signature';

interface Confirmation {
  owner: Address;
  submissionDate: string;
  transactionHash: null;
  signature: Hex;
  signatureType: 'EOA' | 'ETH_SIGN';
}

interface StoredTx {
  safe: Address;
  tx: SafeTx;
  safeTxHash: Hex;
  proposer: Address;
  origin: string | null;
  submissionDate: string;
  confirmations: Confirmation[];
}

export interface TxServiceStandIn {
  /** base URL ending in /api, as api-kit's txServiceUrl wants */
  url: string;
  transactions: Map<string, StoredTx>;
  /** every request answered: "METHOD /path STATUS" */
  log: string[];
  /** answer the next n requests with 429 */
  throttleNext(n: number): void;
  stop(): Promise<void>;
}

export async function startTxServiceStandIn(o: { publicClient: PublicClient; chainId: number }): Promise<TxServiceStandIn> {
  const transactions = new Map<string, StoredTx>();
  const log: string[] = [];
  let throttle = 0;
  const app = express();
  app.use(express.json());
  app.use((req, res, next) => {
    res.on('finish', () => log.push(`${req.method} ${req.path} ${res.statusCode}`));
    if (throttle > 0) {
      throttle--;
      res.status(429).json({ detail: 'Request was throttled. Expected available in 1 second.' });
      return;
    }
    next();
  });

  const checksummed = (raw: string, res: express.Response): Address | null => {
    if (!isAddress(raw, { strict: false }) || getAddress(raw) !== raw) {
      res.status(422).json({ code: 1, message: 'Checksum address validation failed', arguments: [raw] });
      return null;
    }
    return raw as Address;
  };
  const owners = async (safe: Address) => (await o.publicClient.readContract({ address: safe, abi: safeAbi, functionName: 'getOwners' })).map((a) => getAddress(a));
  const nonce = async (safe: Address) => Number(await o.publicClient.readContract({ address: safe, abi: safeAbi, functionName: 'nonce' }));

  /** Recovers and checks an owner signature the way the service does; null + response on failure. */
  async function checkSignature(safe: Address, hash: Hex, signature: unknown, res: express.Response): Promise<Confirmation | null> {
    let owner: Address;
    let v: number;
    try {
      const parsed = parseSignature(signature);
      v = parsed.v;
      owner = await recoverSigner(hash, parsed);
    } catch {
      res.status(400).json({ signature: ['Signature is not valid'] });
      return null;
    }
    if (!(await owners(safe)).includes(owner)) {
      res.status(422).json({ nonFieldErrors: [`Signer=${owner} is not an owner`] });
      return null;
    }
    return { owner, submissionDate: new Date().toISOString(), transactionHash: null, signature: (signature as string).toLowerCase() as Hex, signatureType: v > 30 ? 'ETH_SIGN' : 'EOA' };
  }

  async function view(t: StoredTx) {
    const safeNonce = await nonce(t.safe);
    const executed = safeNonce > Number(t.tx.nonce);
    return {
      safe: t.safe,
      to: t.tx.to,
      value: t.tx.value.toString(),
      data: t.tx.data,
      operation: t.tx.operation,
      gasToken: t.tx.gasToken,
      safeTxGas: t.tx.safeTxGas.toString(),
      baseGas: t.tx.baseGas.toString(),
      gasPrice: t.tx.gasPrice.toString(),
      refundReceiver: t.tx.refundReceiver,
      nonce: t.tx.nonce.toString(),
      executionDate: null,
      submissionDate: t.submissionDate,
      modified: t.submissionDate,
      blockNumber: null,
      transactionHash: null,
      safeTxHash: t.safeTxHash,
      proposer: t.proposer,
      proposedByDelegate: null,
      executor: null,
      isExecuted: executed,
      isSuccessful: null,
      ethGasPrice: null,
      maxFeePerGas: null,
      maxPriorityFeePerGas: null,
      gasUsed: null,
      fee: null,
      origin: t.origin,
      dataDecoded: null,
      confirmationsRequired: Number(await o.publicClient.readContract({ address: t.safe, abi: safeAbi, functionName: 'getThreshold' })),
      confirmations: t.confirmations,
      trusted: true,
      signatures: null,
    };
  }

  app.get('/api/v1/about/', (_req, res) => {
    res.json({ name: 'Safe Transaction Service', version: 'stand-in', api_version: 'v1', secure: false, host: 'localhost', headers: [], settings: {} });
  });

  app.get('/api/v1/safes/:safe/', async (req, res) => {
    const safe = checksummed(req.params.safe, res);
    if (!safe) return;
    res.json({ address: safe, nonce: String(await nonce(safe)), threshold: Number(await o.publicClient.readContract({ address: safe, abi: safeAbi, functionName: 'getThreshold' })), owners: await owners(safe), masterCopy: null, modules: [], fallbackHandler: null, guard: null, version: '1.4.1' });
  });

  app.post('/api/v2/safes/:safe/multisig-transactions/', async (req, res) => {
    const safe = checksummed(req.params.safe, res);
    if (!safe) return;
    const b = req.body as Record<string, unknown>;
    const required = ['to', 'value', 'operation', 'safeTxGas', 'baseGas', 'gasPrice', 'nonce', 'contractTransactionHash', 'sender', 'signature'];
    const missing = required.filter((k) => b[k] === undefined || b[k] === null);
    if (missing.length) {
      res.status(400).json(Object.fromEntries(missing.map((k) => [k, ['This field is required.']])));
      return;
    }
    const tx: SafeTx = {
      to: getAddress(String(b.to)),
      value: BigInt(String(b.value)),
      data: ((b.data as string | null) ?? '0x') as Hex,
      operation: Number(b.operation) as 0 | 1,
      safeTxGas: BigInt(String(b.safeTxGas)),
      baseGas: BigInt(String(b.baseGas)),
      gasPrice: BigInt(String(b.gasPrice)),
      gasToken: getAddress(String(b.gasToken ?? '0x0000000000000000000000000000000000000000')),
      refundReceiver: getAddress(String(b.refundReceiver ?? '0x0000000000000000000000000000000000000000')),
      nonce: BigInt(String(b.nonce)),
    };
    const hash = safeTxHash({ chainId: o.chainId, safe }, tx);
    if (hash.toLowerCase() !== String(b.contractTransactionHash).toLowerCase()) {
      res.status(422).json({ nonFieldErrors: [`Contract-transaction-hash=${String(b.contractTransactionHash)} does not match provided contract-tx-hash=${hash}`] });
      return;
    }
    if (Number(tx.nonce) < (await nonce(safe))) {
      res.status(422).json({ nonFieldErrors: [`Tx with nonce=${tx.nonce} for safe=${safe} already executed in tx-hash=…`] });
      return;
    }
    const confirmation = await checkSignature(safe, hash, b.signature, res);
    if (!confirmation) return;
    if (getAddress(String(b.sender)) !== confirmation.owner) {
      res.status(422).json({ nonFieldErrors: [`Signer=${confirmation.owner} is not the sender=${String(b.sender)}`] });
      return;
    }
    const existing = transactions.get(hash.toLowerCase());
    if (existing) {
      if (!existing.confirmations.some((c) => c.owner === confirmation.owner)) existing.confirmations.push(confirmation);
    } else {
      transactions.set(hash.toLowerCase(), { safe, tx, safeTxHash: hash, proposer: confirmation.owner, origin: (b.origin as string | undefined) ?? null, submissionDate: new Date().toISOString(), confirmations: [confirmation] });
    }
    res.status(201).end();
  });

  app.post('/api/v1/multisig-transactions/:hash/confirmations/', async (req, res) => {
    const t = transactions.get(req.params.hash.toLowerCase());
    if (!t) {
      res.status(404).json({ detail: 'Not found.' });
      return;
    }
    const confirmation = await checkSignature(t.safe, t.safeTxHash, (req.body as { signature?: unknown }).signature, res);
    if (!confirmation) return;
    if (!t.confirmations.some((c) => c.owner === confirmation.owner)) t.confirmations.push(confirmation);
    res.status(201).json({ signature: confirmation.signature });
  });

  app.get('/api/v2/multisig-transactions/:hash/', async (req, res) => {
    const t = transactions.get(req.params.hash.toLowerCase());
    if (!t) {
      res.status(404).json({ detail: 'Not found.' });
      return;
    }
    res.json(await view(t));
  });

  app.get('/api/v2/safes/:safe/multisig-transactions/', async (req, res) => {
    const safe = checksummed(req.params.safe, res);
    if (!safe) return;
    let list = await Promise.all([...transactions.values()].filter((t) => t.safe === safe).map(view));
    if (req.query.executed !== undefined) list = list.filter((t) => String(t.isExecuted) === String(req.query.executed));
    if (req.query.nonce__gte !== undefined) list = list.filter((t) => Number(t.nonce) >= Number(req.query.nonce__gte));
    list.sort((a, b) => Number(b.nonce) - Number(a.nonce));
    const limit = Number(req.query.limit ?? 100);
    const offset = Number(req.query.offset ?? 0);
    const page = list.slice(offset, offset + limit);
    const base = `${url}/v2/safes/${safe}/multisig-transactions/`;
    res.json({
      count: list.length,
      next: offset + limit < list.length ? `${base}?limit=${limit}&offset=${offset + limit}` : null,
      previous: offset > 0 ? `${base}?limit=${limit}&offset=${Math.max(0, offset - limit)}` : null,
      results: page,
    });
  });

  app.use((_req, res) => {
    res.status(404).json({ detail: 'Not found.' });
  });

  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
  return {
    url,
    transactions,
    log,
    throttleNext: (n) => {
      throttle = n;
    },
    stop: () => new Promise<void>((r) => {
      server.close(() => r());
      server.closeAllConnections();
    }),
  };
}
