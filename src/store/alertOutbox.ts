/**
 * The alert outbox in the database (tables Alert and AlertDelivery; prisma/schema.prisma
 * "alerts"). It imports only the alert *types* from alerts/ (erased at run time) and no transport.
 */
import crypto from 'node:crypto';
import type { Db } from './database';
import type { Alert, AlertDraft, AlertKind, AlertSeverity } from '../alerts/types';

export type DeliveryState = 'pending' | 'delivered' | 'failed';

export interface DueDelivery {
  alert: Alert;
  channel: string;
  attempts: number;
  nextAttemptAt: Date;
}

export interface AlertListItem {
  id: string;
  dedupKey: string;
  kind: string;
  severity: string;
  action: string;
  requestId?: string;
  title: string;
  seenAt: string;
  createdAt: string;
  deliveries: { channel: string; state: DeliveryState; attempts: number; nextAttemptAt: string | null; lastError: string | null; deliveredAt: string | null; latencyMs: number | null }[];
}

type AlertRow = {
  id: string; dedupKey: string; chainId: number; slasher: string; requestId: string | null; kind: string; severity: string; action: string;
  incidentKey: string; title: string; text: string; data: string; seenAt: Date; createdAt: Date;
};

function toAlert(r: AlertRow): Alert {
  return {
    id: r.id,
    dedupKey: r.dedupKey,
    chainId: r.chainId,
    slasher: r.slasher as `0x${string}`,
    ...(r.requestId !== null ? { requestId: r.requestId } : {}),
    kind: r.kind as AlertKind,
    severity: r.severity as AlertSeverity,
    action: r.action as 'trigger' | 'resolve',
    incidentKey: r.incidentKey,
    title: r.title,
    text: r.text,
    data: JSON.parse(r.data) as Record<string, unknown>,
    seenAt: r.seenAt,
    createdAt: r.createdAt,
  };
}

const isUniqueViolation = (e: unknown) => (e as { code?: string })?.code === 'P2002' || /unique constraint/i.test(String((e as Error)?.message));

export function createOutbox(db: Db, scope: { chainId: number; slasher: string }) {
  const slasher = scope.slasher;
  return {
    /** every dedup key of this slasher's alerts */
    async knownKeys(): Promise<Set<string>> {
      const rows = await db.alert.findMany({ where: { chainId: scope.chainId, slasher }, select: { dedupKey: true } });
      return new Set(rows.map((r) => r.dedupKey));
    },

    /** health incidents per kind: the open one (trigger without resolve) and how many there were */
    /** Health incidents of the given kinds: the open one's key and how many were opened. */
    async incidents(kinds: readonly string[]): Promise<Map<string, { open: string | null; count: number }>> {
      const rows = await db.alert.findMany({
        where: { chainId: scope.chainId, slasher, requestId: null, kind: { in: [...kinds] } },
        select: { kind: true, action: true, incidentKey: true },
      });
      const out = new Map<string, { open: string | null; count: number }>();
      const resolved = new Set(rows.filter((r) => r.action === 'resolve').map((r) => r.incidentKey));
      for (const r of rows) {
        if (r.action !== 'trigger') continue;
        const e = out.get(r.kind) ?? { open: null, count: 0 };
        e.count++;
        if (!resolved.has(r.incidentKey)) e.open = r.incidentKey;
        out.set(r.kind, e);
      }
      return out;
    },

    /** Inserts the alert and one pending delivery per channel, unless its dedup key exists. */
    async insertIfAbsent(d: AlertDraft, channels: string[], seenAt: Date, now: Date): Promise<Alert | null> {
      const id = crypto.randomUUID();
      try {
        const row = await db.alert.create({
          data: {
            id,
            dedupKey: d.dedupKey,
            chainId: scope.chainId,
            slasher,
            requestId: d.requestId ?? null,
            kind: d.kind,
            severity: d.severity,
            action: d.action,
            incidentKey: d.incidentKey,
            title: d.title,
            text: d.text,
            data: JSON.stringify(d.data, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)),
            seenAt,
            createdAt: now,
            deliveries: { create: channels.map((channel) => ({ channel, state: 'pending', nextAttemptAt: now })) },
          },
        });
        return toAlert(row);
      } catch (e) {
        if (isUniqueViolation(e)) return null;
        throw e;
      }
    },

    /** pending deliveries due now, of the channels this desk can send to */
    async due(now: Date, channels: string[], limit: number): Promise<DueDelivery[]> {
      const rows = await db.alertDelivery.findMany({
        where: { state: 'pending', channel: { in: channels }, nextAttemptAt: { lte: now }, alert: { chainId: scope.chainId, slasher } },
        include: { alert: true },
        orderBy: [{ nextAttemptAt: 'asc' }],
        take: limit,
      });
      return rows.map((r) => ({ alert: toAlert(r.alert), channel: r.channel, attempts: r.attempts, nextAttemptAt: r.nextAttemptAt }));
    },

    /** Optimistic claim: moves the row's next attempt to `leaseUntil` only if nobody else did. */
    async claim(d: DueDelivery, leaseUntil: Date): Promise<boolean> {
      const r = await db.alertDelivery.updateMany({
        where: { alertId: d.alert.id, channel: d.channel, state: 'pending', nextAttemptAt: d.nextAttemptAt },
        data: { nextAttemptAt: leaseUntil },
      });
      return r.count === 1;
    },

    async delivered(d: DueDelivery, at: Date): Promise<void> {
      await db.alertDelivery.update({
        where: { alertId_channel: { alertId: d.alert.id, channel: d.channel } },
        data: { state: 'delivered', attempts: d.attempts + 1, deliveredAt: at, lastError: null },
      });
    },

    async attemptFailed(d: DueDelivery, error: string, next: Date | null): Promise<void> {
      await db.alertDelivery.update({
        where: { alertId_channel: { alertId: d.alert.id, channel: d.channel } },
        data: { state: next ? 'pending' : 'failed', attempts: d.attempts + 1, lastError: error.slice(0, 500), ...(next ? { nextAttemptAt: next } : {}) },
      });
    },

    async countsByChannel(): Promise<{ channel: string; state: string; n: number }[]> {
      const rows = await db.alertDelivery.groupBy({ by: ['channel', 'state'], where: { alert: { chainId: scope.chainId, slasher } }, _count: { _all: true } });
      return rows.map((r) => ({ channel: r.channel, state: r.state, n: r._count._all }));
    },

    async list(filter: { state?: DeliveryState; kind?: string; requestId?: string; limit: number }): Promise<AlertListItem[]> {
      const rows = await db.alert.findMany({
        where: {
          chainId: scope.chainId,
          slasher,
          ...(filter.kind ? { kind: filter.kind } : {}),
          ...(filter.requestId ? { requestId: filter.requestId } : {}),
          ...(filter.state ? { deliveries: { some: { state: filter.state } } } : {}),
        },
        include: { deliveries: { orderBy: { channel: 'asc' } } },
        orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
        take: filter.limit,
      });
      return rows.map((r) => ({
        id: r.id,
        dedupKey: r.dedupKey,
        kind: r.kind,
        severity: r.severity,
        action: r.action,
        ...(r.requestId !== null ? { requestId: r.requestId } : {}),
        title: r.title,
        seenAt: r.seenAt.toISOString(),
        createdAt: r.createdAt.toISOString(),
        deliveries: r.deliveries.map((d) => ({
          channel: d.channel,
          state: d.state as DeliveryState,
          attempts: d.attempts,
          nextAttemptAt: d.state === 'pending' ? d.nextAttemptAt.toISOString() : null,
          lastError: d.lastError,
          deliveredAt: d.deliveredAt?.toISOString() ?? null,
          latencyMs: d.deliveredAt ? d.deliveredAt.getTime() - r.seenAt.getTime() : null,
        })),
      }));
    },
  };
}

export type Outbox = ReturnType<typeof createOutbox>;
