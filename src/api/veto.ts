/**
 * The committee's veto routes: a request's veto (to sign, at its nonce or a chosen one), owner
 * signatures, the Safe's nonce plan, rejections at a blocking nonce, batch vetoes.
 */
import type { Express } from 'express';
import { getAddress } from 'viem';
import { z } from 'zod';
import { DeskError } from '../errors';
import type { VetoView } from '../requests/views';
import type { BatchView, RejectionView, SafePlanView } from '../requests/views';
import { parseRequestId } from './requests';
import { batchProposalInputSchema, requestIdInputSchema, safeSignatureInputSchema, signatureInputSchema } from './schemas/inputs';

type Source = 'http' | 'cli';
type Hash = `0x${string}`;

/** What the routes need from the veto desk (src/safe/safeDesk.ts). */
export interface VetoApi {
  view(requestId: string): Promise<VetoView>;
  viewAt(requestId: string, nonce: number): Promise<VetoView>;
  submitSignature(requestId: string, input: { signature: unknown; source: Source; safe?: Hash; safeTxHash?: Hash }): Promise<VetoView>;
  rejectionView(nonce: number): Promise<RejectionView>;
  submitRejectionSignature(nonce: number, input: { signature: unknown; source: Source; safeTxHash?: Hash }): Promise<RejectionView>;
  plan(): Promise<SafePlanView>;
  proposeBatch(requestIds: string[]): Promise<BatchView>;
  batchView(nonce: number, requestIds?: string[]): Promise<BatchView>;
  submitBatchSignature(nonce: number, input: { signature: unknown; source: Source; safeTxHash?: Hash; requestIds?: string[] }): Promise<BatchView>;
}

/** Safe nonces are small numbers; the desk bounds them further (the plan's range) before any work. */
export function parseNonce(raw: unknown): number {
  if (typeof raw !== 'string' || !/^\d{1,12}$/.test(raw)) throw new DeskError('BAD_REQUEST', `nonce must be a decimal integer, got ${JSON.stringify(String(raw).slice(0, 40))}`);
  return Number(raw);
}

function badBody(body: unknown, issues: z.core.$ZodIssue[]): DeskError {
  const missing = typeof (body as { signature?: unknown } | undefined)?.signature !== 'string';
  return new DeskError(
    missing ? 'SIGNATURE_MALFORMED' : 'BAD_REQUEST',
    missing ? 'body must be JSON { "signature": "0x…" } (65-byte hex)' : `bad body: ${issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`,
  );
}

/**
 * `{ signature, source?, safe?, safeTxHash? }` of a request's signature route (veto or fulfil).
 *
 * @throws DeskError SIGNATURE_MALFORMED (no signature string), BAD_REQUEST (anything else off)
 */
export function parseSignatureBody(body: unknown): { signature: string; source: Source; safe?: Hash; safeTxHash?: Hash } {
  const parsed = signatureInputSchema.safeParse(body);
  if (!parsed.success) throw badBody(body, parsed.error.issues);
  return {
    signature: parsed.data.signature,
    source: parsed.data.source ?? 'http',
    ...(parsed.data.safe ? { safe: getAddress(parsed.data.safe) } : {}),
    ...(parsed.data.safeTxHash ? { safeTxHash: parsed.data.safeTxHash.toLowerCase() as Hash } : {}),
  };
}

function parseOtherBody(body: unknown) {
  const parsed = safeSignatureInputSchema.safeParse(body);
  if (!parsed.success) throw badBody(body, parsed.error.issues);
  return {
    signature: parsed.data.signature,
    source: parsed.data.source ?? ('http' as const),
    ...(parsed.data.safeTxHash ? { safeTxHash: parsed.data.safeTxHash.toLowerCase() as Hash } : {}),
    ...(parsed.data.requestIds ? { requestIds: parsed.data.requestIds } : {}),
  };
}

function need(vetoes: VetoApi | undefined): VetoApi {
  if (!vetoes) throw new DeskError('VETO_NOT_AVAILABLE', 'this desk runs without a veto service');
  return vetoes;
}

export function registerVetoRoutes(app: Express, vetoes: VetoApi | undefined): void {
  app.get('/api/requests/:id/veto', async (req, res) => {
    const id = parseRequestId(req.params.id).toString();
    const v = need(vetoes);
    res.json(req.query.nonce !== undefined ? await v.viewAt(id, parseNonce(req.query.nonce)) : await v.view(id));
  });

  app.post('/api/requests/:id/veto/signatures', async (req, res) => {
    const id = parseRequestId(req.params.id);
    res.status(201).json(await need(vetoes).submitSignature(id.toString(), parseSignatureBody(req.body)));
  });

  app.get('/api/safe/plan', async (_req, res) => {
    res.json(await need(vetoes).plan());
  });

  app.get('/api/safe/rejections/:nonce', async (req, res) => {
    const nonce = parseNonce(req.params.nonce);
    res.json(await need(vetoes).rejectionView(nonce));
  });

  app.post('/api/safe/rejections/:nonce/signatures', async (req, res) => {
    const nonce = parseNonce(req.params.nonce);
    const v = need(vetoes);
    const { requestIds: _ignored, ...body } = parseOtherBody(req.body);
    res.status(201).json(await v.submitRejectionSignature(nonce, body));
  });

  app.post('/api/safe/batches', async (req, res) => {
    const v = need(vetoes);
    const parsed = batchProposalInputSchema.safeParse(req.body);
    if (!parsed.success) throw new DeskError('BAD_REQUEST', 'body must be JSON { "requestIds": ["<decimal id>", …] } with 2 to 50 ids');
    res.status(201).json(await v.proposeBatch(parsed.data.requestIds));
  });

  app.get('/api/safe/batches/:nonce', async (req, res) => {
    const nonce = parseNonce(req.params.nonce);
    const v = need(vetoes);
    const ids = typeof req.query.requestIds === 'string' ? req.query.requestIds.split(',') : undefined;
    if (ids && (ids.length > 50 || !ids.every((x) => requestIdInputSchema.safeParse(x).success))) throw new DeskError('BAD_REQUEST', 'requestIds must be up to 50 comma-separated decimal ids');
    res.json(await v.batchView(nonce, ids));
  });

  app.post('/api/safe/batches/:nonce/signatures', async (req, res) => {
    const nonce = parseNonce(req.params.nonce);
    res.status(201).json(await need(vetoes).submitBatchSignature(nonce, parseOtherBody(req.body)));
  });
}
