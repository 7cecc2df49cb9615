/** `GET /api/alerts`: the alert outbox and the delivery state of every alert per channel. */
import type { Express } from 'express';
import { DeskError } from '../errors';
import type { AlertListItem, DeliveryState } from '../store/alertOutbox';
import { alertsQuerySchema } from './schemas/inputs';
import type { AlertListView } from './views';

export interface AlertsApi {
  list(filter: { state?: DeliveryState; kind?: string; requestId?: string; limit: number }): Promise<AlertListItem[]>;
}

export function registerAlertRoutes(app: Express, alerts: AlertsApi): void {
  app.get('/api/alerts', async (req, res) => {
    const q = alertsQuerySchema.safeParse(req.query);
    if (!q.success) {
      const issue = q.error.issues[0]!;
      throw new DeskError('BAD_REQUEST', `${String(issue.path[0] ?? 'query')}: ${issue.message} (state: pending|delivered|failed; limit: 1-1000)`);
    }
    const body: AlertListView = { alerts: await alerts.list(q.data) };
    res.json(body);
  });
}
