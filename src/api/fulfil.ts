/**
 * Governance's fulfil Safe transaction of a request (the slasher role is a Safe):
 * `GET /api/requests/:id/fulfil` and `POST /api/requests/:id/fulfil/signatures`, checked like
 * veto signatures.
 */
import type { Express } from 'express';
import { DeskError } from '../errors';
import type { VetoView } from '../requests/views';
import { parseRequestId } from './requests';
import { parseSignatureBody } from './veto';

/** What the routes need from the governance Safe desk (src/safe/vetoService.ts, purpose fulfil). */
export interface FulfilApi {
  /** @throws DeskError FULFIL_NOT_AVAILABLE when the request has no fulfil proposal */
  view(requestId: string): Promise<VetoView>;
  submitSignature(requestId: string, input: { signature: unknown; source: 'http' | 'cli'; safe?: `0x${string}`; safeTxHash?: `0x${string}` }): Promise<VetoView>;
}

const NO_SERVICE = 'this desk runs without a governance Safe desk: fulfils are not planned as Safe transactions';

export function registerFulfilRoutes(app: Express, fulfils: FulfilApi | undefined): void {
  app.get('/api/requests/:id/fulfil', async (req, res) => {
    const id = parseRequestId(req.params.id);
    if (!fulfils) throw new DeskError('FULFIL_NOT_AVAILABLE', NO_SERVICE);
    res.json(await fulfils.view(id.toString()));
  });

  app.post('/api/requests/:id/fulfil/signatures', async (req, res) => {
    const id = parseRequestId(req.params.id);
    if (!fulfils) throw new DeskError('FULFIL_NOT_AVAILABLE', NO_SERVICE);
    res.status(201).json(await fulfils.submitSignature(id.toString(), parseSignatureBody(req.body)));
  });
}
