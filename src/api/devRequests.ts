/**
 * Practice on the embedded devnet: `POST /api/dev/requests` queues a new slashing request (sent
 * by the devnet's keeper, the slasher role) and `GET /api/dev/operators` lists the operators it
 * may name. Only when the desk runs its own devnet, like the dev signer; every other desk answers
 * 404 NOT_FOUND.
 */
import type { Express } from 'express';
import { getAddress, type Address, type Hex } from 'viem';
import { DeskError } from '../errors';
import { DEV_DESCRIPTION_MAX_CHARS, devRequestInputSchema } from './schemas/inputs';
import type { DevOperatorsView, DevRequestQueuedView } from './views';

export { DEV_DESCRIPTION_MAX_CHARS };

export interface DevRequestsApi {
  /** the devnet's seeded operators (checksummed); the first is the default */
  operators: Address[];
  queue(input: { operator?: Address; percent?: number; description?: string }): Promise<{ requestId: bigint; txHash: Hex; block: bigint }>;
}

const notHere = () => new DeskError('NOT_FOUND', 'no practice requests: this desk does not run the embedded local devnet');

export function registerDevRequestRoutes(app: Express, api: DevRequestsApi | undefined): void {
  app.get('/api/dev/operators', (_req, res) => {
    if (!api) throw notHere();
    const body: DevOperatorsView = { operators: api.operators };
    res.json(body);
  });

  app.post('/api/dev/requests', async (req, res) => {
    if (!api) throw notHere();
    const parsed = devRequestInputSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message));
      throw new DeskError('BAD_REQUEST', `bad practice request: ${issues.join('; ')} (operator: one of GET /api/dev/operators; percent: 1–100; description: up to ${DEV_DESCRIPTION_MAX_CHARS} characters)`);
    }
    const { operator, percent, description } = parsed.data;
    if (operator !== undefined && !api.operators.some((o) => o.toLowerCase() === operator.toLowerCase())) {
      throw new DeskError('BAD_REQUEST', `operator ${operator} is not one of the devnet's operators: ${api.operators.join(', ')}`);
    }
    const sent = await api.queue({ ...(operator ? { operator: getAddress(operator) } : {}), ...(percent !== undefined ? { percent } : {}), ...(description !== undefined ? { description } : {}) });
    const queued: DevRequestQueuedView = { requestId: sent.requestId.toString(), txHash: sent.txHash, block: Number(sent.block) };
    res.status(201).json(queued);
  });
}
