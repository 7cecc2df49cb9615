/**
 * `GET /api/requests/:id/veto/execution` and `…/fulfil/execution`: the execTransaction call that
 * executes a request's Safe transaction whose threshold is met, for a member to send from their
 * own wallet when the desk does not.
 */
import type { Express } from 'express';
import { DeskError } from '../errors';
import type { SafeExecutionCallView } from './views';
import { parseRequestId } from './requests';

export interface SafeExecutionApi {
  executionCall(requestId: string, kind: 'veto' | 'fulfil'): Promise<SafeExecutionCallView>;
}

export function registerSafeExecutionRoutes(app: Express, api: SafeExecutionApi | undefined): void {
  app.get('/api/requests/:id/veto/execution', async (req, res) => {
    const id = parseRequestId(req.params.id);
    if (!api) throw new DeskError('VETO_NOT_AVAILABLE', 'this desk runs without a veto service');
    res.json(await api.executionCall(id.toString(), 'veto'));
  });

  app.get('/api/requests/:id/fulfil/execution', async (req, res) => {
    const id = parseRequestId(req.params.id);
    if (!api) throw new DeskError('FULFIL_NOT_AVAILABLE', 'this desk plans no fulfil Safe transactions');
    res.json(await api.executionCall(id.toString(), 'fulfil'));
  });
}
