/** `POST /api/requests/:id/veto/signatures`: an owner's signature over the request's veto. */
import type { Express } from 'express';
import { getAddress, isAddress } from 'viem';
import { z } from 'zod';
import { DeskError } from '../errors';
import type { VetoView } from '../safe/vetoView';
import { parseRequestId } from './requests';

/** What the routes need from the veto service (src/safe/vetoService.ts). */
export interface VetoApi {
  submitSignature(requestId: string, input: { signature: unknown; source: 'http' | 'cli'; safe?: `0x${string}` }): Promise<VetoView>;
}

const bodySchema = z
  .object({
    signature: z.string().max(200),
    /** who submitted: `cli` from `npm run cli -- sign`, else `http` */
    source: z.enum(['http', 'cli']).optional(),
    /** optional: the Safe the signer believes they signed for (sharper diagnosis) */
    safe: z.string().refine((s) => isAddress(s, { strict: false })).optional(),
  })
  .strict();

export function registerVetoRoutes(app: Express, vetoes: VetoApi | undefined): void {
  app.post('/api/requests/:id/veto/signatures', async (req, res) => {
    const id = parseRequestId(req.params.id);
    if (!vetoes) throw new DeskError('VETO_NOT_AVAILABLE', 'this desk runs without a veto service');
    const parsed = bodySchema.safeParse(req.body);
    if (!parsed.success) {
      const missing = typeof (req.body as { signature?: unknown } | undefined)?.signature !== 'string';
      throw new DeskError(
        missing ? 'SIGNATURE_MALFORMED' : 'BAD_REQUEST',
        missing ? 'body must be JSON { "signature": "0x…" } (65-byte hex)' : `bad body: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`,
      );
    }
    const view = await vetoes.submitSignature(id.toString(), {
      signature: parsed.data.signature,
      source: parsed.data.source ?? 'http',
      ...(parsed.data.safe ? { safe: getAddress(parsed.data.safe) } : {}),
    });
    res.status(201).json(view);
  });
}
