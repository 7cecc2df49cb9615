/** The chaos day's options and figures, its fulfil budget, and the emulated database restart. */
import { Client } from 'pg';
import { POSTGRES_ADMIN_URL, type TestDatabase } from './databases';
import type { FaultCounts, FaultRates } from './rpcProxy';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface ChaosOptions {
  seed: number;
  /** SIGKILLs of the desk process */
  kills: number;
  /** slashing requests over the day */
  requests: number;
  /** share of them the committee vetoes (the rest are let pass and fulfilled) */
  vetoShare: number;
  /** veto window, blocks (a block a second) */
  window: number;
  /** a start-up kill: this long after the spawn, ms, drawn uniformly */
  upMs: [number, number];
  /**
   * the share of kills that wait until the desk is the actor (holds the lease) and then hit it
   * within `workingMs`; the others land at a random point from the spawn (start-up, migrations,
   * first sync). Without it, on a loaded machine most lives end before the desk can act at all.
   */
  workingShare: number;
  workingMs: [number, number];
  /** one RPC stall of this length */
  stallMs: number;
  /** reorgs of depth 1–10 */
  reorgs: number;
  /** the database goes away once for this long (0: never) */
  databaseOutageMs: number;
  rates: FaultRates;
  log?: (line: string) => void;
}

export interface ChaosReport {
  seed: number;
  seconds: number;
  requests: { vetoed: number; letPass: number };
  kills: number;
  /** the desk exited by itself (e.g. no database at start) and was started again */
  selfExits: number;
  /** kills that hit the desk before it served its first answer (start-up, migrations, first sync) */
  killedInStartup: number;
  /** kills that hit the desk while it held the lease (the actor at work) */
  killedWhileActing: number;
  /** spawn → first /api/health answer, ms: median and max */
  startupMs: { median: number; max: number };
  reorgs: number[];
  stallMs: number;
  databaseOutageMs: number;
  rpc: FaultCounts;
  signaturesPosted: number;
  /** problems found: empty when nothing was lost, duplicated or late */
  problems: string[];
  lost: number;
  duplicated: number;
  late: number;
  /** blocks from window end to the fulfil's block: max */
  worstFulfilLagBlocks: number;
  /** blocks left in the window when the veto landed: min */
  tightestVetoMarginBlocks: number;
}

/**
 * Emulates a PostgreSQL restart for one database without touching the shared server: new
 * connections are refused, every session of it is ended, and after `ms` it accepts again.
 */
export async function databaseOutage(db: TestDatabase, ms: number): Promise<void> {
  const name = new URL(db.url).pathname.slice(1);
  const admin = new Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
    await sleep(ms);
  } finally {
    await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
    await admin.end();
  }
}

/** how many blocks after its window end a fulfil may land: the longest outage and a margin */
export function fulfilSlackBlocks(o: Pick<ChaosOptions, 'stallMs' | 'upMs'>): number {
  return Math.ceil(o.stallMs / 1000) + 60;
}
