/** `GET /api/alerts`: the alert outbox and the delivery state of every alert per channel. */
import type { Express } from 'express';
import { z } from 'zod';
import { DeskError } from '../errors';
import type { AlertListItem, DeliveryState } from '../store/alertOutbox';

export interface AlertsApi {
  list(filter: { state?: DeliveryState; kind?: string; requestId?: string; limit: number }): Promise<AlertListItem[]>;
}

const querySchema = z.object({
  state: z.enum(['pending', 'delivered', 'failed']).optional(),
  kind: z.string().regex(/^[a-z0-9_]{1,64}$/).optional(),
  requestId: z.string().regex(/^\d{1,78}$/).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export function registerAlertRoutes(app: Express, alerts: AlertsApi): void {
  app.get('/api/alerts', async (req, res) => {
    const q = querySchema.safeParse(req.query);
    if (!q.success) {
      const issue = q.error.issues[0]!;
      throw new DeskError('BAD_REQUEST', `${String(issue.path[0] ?? 'query')}: ${issue.message} (state: pending|delivered|failed; limit: 1-1000)`);
    }
    res.json({ alerts: await alerts.list(q.data) });
  });
}
