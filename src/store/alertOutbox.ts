/**
 * The alert outbox in the database (tables Alert and AlertDelivery; prisma/schema.prisma
 * "alerts"). It knows an alert by its columns only: what kinds and severities mean is alerts/'s.
 */
import crypto from 'node:crypto';
import { columnTime, insertRows, txSql } from './bulk';
import type { Database } from './database';
import { inList } from './modelRows';

/** An alert before it is stored, as the outbox needs it (alerts/types.ts AlertDraft is one). */
export interface OutboxDraft {
  dedupKey: string;
  kind: string;
  severity: string;
  action: 'trigger' | 'resolve';
  incidentKey: string;
  requestId?: string;
  title: string;
  text: string;
  data: Record<string, unknown>;
}

/** A stored alert: the draft with its id, scope and times. */
export type StoredAlert<D extends OutboxDraft = OutboxDraft> = D & { id: string; chainId: number; slasher: `0x${string}`; createdAt: Date; seenAt: Date };

type Alert = StoredAlert;
type AlertDraft = OutboxDraft;

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
    kind: r.kind,
    severity: r.severity,
    action: r.action as 'trigger' | 'resolve',
    incidentKey: r.incidentKey,
    title: r.title,
    text: r.text,
    data: JSON.parse(r.data) as Record<string, unknown>,
    seenAt: r.seenAt,
    createdAt: r.createdAt,
  };
}


/** the JSON column: bigints (wads, magnitudes) as decimal strings */
const serializeData = (data: Record<string, unknown>) => JSON.stringify(data, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));

/** One alert for `insertMany`: the draft, the channels it is routed to, when the desk saw it. */
export interface AlertInsert {
  draft: AlertDraft;
  channels: string[];
  seenAt: Date;
}

const ALERT_COLUMNS = ['id', 'dedupKey', 'chainId', 'slasher', 'requestId', 'kind', 'severity', 'action', 'incidentKey', 'title', 'text', 'data', 'seenAt', 'createdAt'] as const;
const DELIVERY_COLUMNS = ['alertId', 'channel', 'state', 'attempts', 'nextAttemptAt'] as const;

/**
 * Alerts per statement and per transaction in `insertMany`. 100 × 14 parameters is far under both
 * databases' limits; what bounds it is the event loop: a chunk of 100 alerts and their deliveries
 * holds it ~10–25 ms (synchronous SQLite, Prisma's parameter handling), 200 twice that, and the
 * total time barely changes.
 */
const INSERT_CHUNK = 100;

export function createOutbox(database: Pick<Database, 'db' | 'kind' | 'queryRows'>, scope: { chainId: number; slasher: string }) {
  const { db, kind, queryRows } = database;
  const slasher = scope.slasher;
  const param = (n: number) => (kind === 'postgresql' ? `$${n}` : '?');
  return {
    /** every dedup key of this slasher's alerts */
    async knownKeys(): Promise<Set<string>> {
      const rows = await db.alert.findMany({ where: { chainId: scope.chainId, slasher }, select: { dedupKey: true } });
      return new Set(rows.map((r) => r.dedupKey));
    },

    /** health incidents per kind: the open one (trigger without resolve) and how many there were */
    /** Health incidents of the given kinds: the open one's key and how many were opened. */
    async incidents(kinds: readonly string[]): Promise<Map<string, { open: string | null; count: number }>> {
      // raw SQL: read on every alert pass (see modelRows.ts)
      const rows = (
        await queryRows(`SELECT "kind", "action", "incidentKey" FROM "Alert" WHERE "chainId" = ${param(1)} AND "slasher" = ${param(2)} AND "requestId" IS NULL AND ${inList(kind, 'kind', 3, 'text')}`, scope.chainId, slasher, JSON.stringify([...kinds]))
      ).map((r) => ({ kind: r[0] as string, action: r[1] as string, incidentKey: r[2] as string }));
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
      const [alert] = await this.insertMany([{ draft: d, channels, seenAt }], now);
      return alert ?? null;
    },

    /**
     * `insertIfAbsent` for many alerts (a backfill plans thousands in one pass): inserts those
     * whose dedup key does not exist yet, with one pending delivery per channel, and returns
     * them in input order (a key repeated in the input counts once, the first wins). Plain
     * multi-row statements, INSERT_CHUNK alerts per transaction, yielding to the event loop
     * between chunks: synchronous SQLite would otherwise stall the ingest, the API and the
     * timers for as long as the whole batch takes (~6 ms an alert through the model API).
     */
    async insertMany(items: readonly AlertInsert[], now: Date): Promise<Alert[]> {
      const byKey = new Map<string, AlertInsert>();
      for (const it of items) if (!byKey.has(it.draft.dedupKey)) byKey.set(it.draft.dedupKey, it);
      // every transaction takes its keys in the same (sorted) order: two desks on one PostgreSQL
      // database inserting overlapping batches wait for each other instead of deadlocking
      const keys = [...byKey.keys()].sort();
      const at = columnTime(kind, now);
      const inserted = new Map<string, Alert>();
      for (let i = 0; i < keys.length; i += INSERT_CHUNK) {
        if (i > 0) await new Promise<void>((resolve) => setImmediate(resolve));
        const chunk = keys.slice(i, i + INSERT_CHUNK).map((key) => {
          const { draft: d, channels, seenAt } = byKey.get(key)!;
          const data = serializeData(d.data);
          const alert: Alert = {
            id: crypto.randomUUID(),
            dedupKey: d.dedupKey,
            chainId: scope.chainId,
            slasher: slasher as `0x${string}`,
            ...(d.requestId !== undefined ? { requestId: d.requestId } : {}),
            kind: d.kind,
            severity: d.severity,
            action: d.action,
            incidentKey: d.incidentKey,
            title: d.title,
            text: d.text,
            data: JSON.parse(data) as Record<string, unknown>, // as toAlert reads it back
            seenAt,
            createdAt: now,
          };
          return { alert, channels: [...new Set(channels)], data };
        });
        const fresh = await db.$transaction(async (tx) => {
          const values = chunk.flatMap(({ alert: a, data }) => [a.id, a.dedupKey, a.chainId, slasher, a.requestId ?? null, a.kind, a.severity, a.action, a.incidentKey, a.title, a.text, data, columnTime(kind, a.seenAt), at]);
          let n = 0;
          const tuples = chunk.map(() => `(${ALERT_COLUMNS.map(() => param(++n)).join(', ')})`);
          const rows = await tx.$queryRawUnsafe<{ id: string; dedupKey: string }[]>(
            `INSERT INTO "Alert" (${ALERT_COLUMNS.map((c) => `"${c}"`).join(', ')}) VALUES ${tuples.join(', ')} ON CONFLICT ("dedupKey") DO NOTHING RETURNING "id", "dedupKey"`,
            ...values,
          );
          const won = new Set(rows.map((r) => r.id)); // a key another desk inserted meanwhile is not ours
          const ours = chunk.filter((c) => won.has(c.alert.id));
          await insertRows(txSql(tx, kind), 'AlertDelivery', DELIVERY_COLUMNS, ours.flatMap(({ alert, channels }) => channels.map((channel) => [alert.id, channel, 'pending', 0, at])));
          return ours;
        });
        for (const c of fresh) inserted.set(c.alert.dedupKey, c.alert);
      }
      return [...byKey.keys()].flatMap((key) => inserted.get(key) ?? []);
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
      // raw SQL: read for every health answer and metrics scrape (see modelRows.ts)
      const rows = await queryRows(
        `SELECT d."channel", d."state", COUNT(*) FROM "AlertDelivery" d JOIN "Alert" a ON a."id" = d."alertId" WHERE a."chainId" = ${param(1)} AND a."slasher" = ${param(2)} GROUP BY d."channel", d."state"`,
        scope.chainId,
        slasher,
      );
      return rows.map((r) => ({ channel: r[0] as string, state: r[1] as string, n: Number(r[2]) }));
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
