/** `POST /api/requests/:id/veto/signatures`: an owner's signature over the request's veto. */
import type { Express } from 'express';
import { getAddress, isAddress } from 'viem';
import { z } from 'zod';
import { DeskError } from '../errors';
import type { VetoView } from '../safe/vetoView';
import type { BatchView, RejectionView, SafePlanView } from '../safe/vetoService';
import { parseRequestId } from './requests';

/** What the routes need from the veto service (src/safe/vetoService.ts). */
export interface VetoApi {
  /** `safeTxHash`: what the signer says it signed (optional; lets the intake tell which nonce) */
  submitSignature(requestId: string, input: { signature: unknown; source: 'http' | 'cli'; safe?: `0x${string}`; safeTxHash?: `0x${string}` }): Promise<VetoView>;
  rejectionView(nonce: number): Promise<RejectionView>;
  submitRejectionSignature(nonce: number, input: { signature: unknown; source: 'http' | 'cli'; safeTxHash?: `0x${string}` }): Promise<RejectionView>;
  plan(): Promise<SafePlanView>;
  proposeBatch(requestIds: string[]): Promise<BatchView>;
  batchView(nonce: number): Promise<BatchView>;
  submitBatchSignature(nonce: number, input: { signature: unknown; source: 'http' | 'cli' }): Promise<BatchView>;
}

const batchBodySchema = z.object({ requestIds: z.array(z.string().regex(/^\d{1,78}$/)).min(2).max(50) }).strict();

function parseNonce(raw: string): number {
  if (!/^\d{1,15}$/.test(raw)) throw new DeskError('BAD_REQUEST', `nonce must be a decimal integer, got ${JSON.stringify(raw.slice(0, 40))}`);
  return Number(raw);
}

/** 0x + 32 bytes: the safeTxHash the signer computed itself (the CLI sends it; the intake may match the nonce by it) */
const safeTxHashField = z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'must be 0x followed by 64 hex digits');

const rejectionBodySchema = z.object({ signature: z.string().max(200), source: z.enum(['http', 'cli']).optional(), safeTxHash: safeTxHashField.optional() }).strict();

const bodySchema = z
  .object({
    signature: z.string().max(200),
    /** who submitted: `cli` from `npm run cli -- sign`, else `http` */
    source: z.enum(['http', 'cli']).optional(),
    /** optional: the Safe the signer believes they signed for (sharper diagnosis) */
    safe: z.string().refine((s) => isAddress(s, { strict: false })).optional(),
    /** optional: the safeTxHash the signer computed (which nonce it signed) */
    safeTxHash: safeTxHashField.optional(),
  })
  .strict();

/**
 * `{ signature, source?, safe?, safeTxHash? }` of a request's signature route (veto or fulfil).
 *
 * @throws DeskError SIGNATURE_MALFORMED (no signature string), BAD_REQUEST (anything else off)
 */
export function parseSignatureBody(body: unknown): { signature: string; source: 'http' | 'cli'; safe?: `0x${string}`; safeTxHash?: `0x${string}` } {
  const parsed = bodySchema.safeParse(body);
  if (!parsed.success) {
    const missing = typeof (body as { signature?: unknown } | undefined)?.signature !== 'string';
    throw new DeskError(
      missing ? 'SIGNATURE_MALFORMED' : 'BAD_REQUEST',
      missing ? 'body must be JSON { "signature": "0x…" } (65-byte hex)' : `bad body: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`,
    );
  }
  return {
    signature: parsed.data.signature,
    source: parsed.data.source ?? 'http',
    ...(parsed.data.safe ? { safe: getAddress(parsed.data.safe) } : {}),
    ...(parsed.data.safeTxHash ? { safeTxHash: parsed.data.safeTxHash.toLowerCase() as `0x${string}` } : {}),
  };
}

export function registerVetoRoutes(app: Express, vetoes: VetoApi | undefined): void {
  app.post('/api/requests/:id/veto/signatures', async (req, res) => {
    const id = parseRequestId(req.params.id);
    if (!vetoes) throw new DeskError('VETO_NOT_AVAILABLE', 'this desk runs without a veto service');
    res.status(201).json(await vetoes.submitSignature(id.toString(), parseSignatureBody(req.body)));
  });

  app.get('/api/safe/plan', async (_req, res) => {
    if (!vetoes) throw new DeskError('VETO_NOT_AVAILABLE', 'this desk runs without a veto service');
    res.json(await vetoes.plan());
  });

  app.get('/api/safe/rejections/:nonce', async (req, res) => {
    const nonce = parseNonce(req.params.nonce);
    if (!vetoes) throw new DeskError('VETO_NOT_AVAILABLE', 'this desk runs without a veto service');
    res.json(await vetoes.rejectionView(nonce));
  });

  app.post('/api/safe/rejections/:nonce/signatures', async (req, res) => {
    const nonce = parseNonce(req.params.nonce);
    if (!vetoes) throw new DeskError('VETO_NOT_AVAILABLE', 'this desk runs without a veto service');
    const parsed = rejectionBodySchema.safeParse(req.body);
    if (!parsed.success) {
      const missing = typeof (req.body as { signature?: unknown } | undefined)?.signature !== 'string';
      throw new DeskError(missing ? 'SIGNATURE_MALFORMED' : 'BAD_REQUEST', missing ? 'body must be JSON { "signature": "0x…" } (65-byte hex)' : `bad body: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
    }
    const { signature, source, safeTxHash } = parsed.data;
    res.status(201).json(await vetoes.submitRejectionSignature(nonce, { signature, source: source ?? 'http', ...(safeTxHash ? { safeTxHash: safeTxHash.toLowerCase() as `0x${string}` } : {}) }));
  });

  app.post('/api/safe/batches', async (req, res) => {
    if (!vetoes) throw new DeskError('VETO_NOT_AVAILABLE', 'this desk runs without a veto service');
    const parsed = batchBodySchema.safeParse(req.body);
    if (!parsed.success) throw new DeskError('BAD_REQUEST', 'body must be JSON { "requestIds": ["<decimal id>", …] } with 2 to 50 ids');
    res.status(201).json(await vetoes.proposeBatch(parsed.data.requestIds));
  });

  app.get('/api/safe/batches/:nonce', async (req, res) => {
    const nonce = parseNonce(req.params.nonce);
    if (!vetoes) throw new DeskError('VETO_NOT_AVAILABLE', 'this desk runs without a veto service');
    res.json(await vetoes.batchView(nonce));
  });

  app.post('/api/safe/batches/:nonce/signatures', async (req, res) => {
    const nonce = parseNonce(req.params.nonce);
    if (!vetoes) throw new DeskError('VETO_NOT_AVAILABLE', 'this desk runs without a veto service');
    const parsed = rejectionBodySchema.safeParse(req.body);
    if (!parsed.success) throw new DeskError('SIGNATURE_MALFORMED', 'body must be JSON { "signature": "0x…" } (65-byte hex)');
    res.status(201).json(await vetoes.submitBatchSignature(nonce, { signature: parsed.data.signature, source: parsed.data.source ?? 'http' }));
  });
}
