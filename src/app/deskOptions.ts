/** What a desk is started with and what it hands back (the composition root's interface). */
import type { Server } from 'node:http';
import type { Address } from 'viem';
import type { AlertingOptions, Alerting } from '../alerts/alerting';
import type { HttpSecurityOptions } from '../api/app';
import type { ServerLimits } from '../api/server';
import type { HealthView } from '../api/views';
import type { SlasherFacts } from '../chain/slasherFacts';
import type { AlertsConfig, SchedulerConfig } from '../config/config';
import type { Ingestor } from '../ingest/ingestor';
import type { Logger } from '../lib/logger';
import type { Metrics } from '../lib/metrics';
import type { ImpactRunner } from '../requests/impact';
import type { RequestReadModelStage } from '../requests/readModel';
import type { DeskVetoOptions, VetoService } from '../safe';
import type { Scheduler } from '../scheduler/scheduler';
import type { SenderOptions } from '../sender/sender';
import type { Database, DatabaseTarget } from '../store/database';
import type { DevAccountView, DevRequestsApi } from './web';

export interface DeskOptions {
  rpcUrls: string[];
  slasher: Address;
  database: DatabaseTarget;
  port: number;
  /** undefined: the slasher's deployment block (or 0) */
  startBlock?: number;
  confirmations: number;
  avs?: Address;
  pollIntervalMs: number;
  reorgDepth: number;
  maxLogRange: number;
  /** the provider's calls per second; undefined: learnt from its HTTP 429s */
  rpcMaxCallsPerSecond?: number;
  logger: Logger;
  metrics?: Metrics;
  webDir?: string;
  /** unix seconds; injectable for tests */
  now?: () => number;
  /** false: do not follow the chain on a timer (tests call `ingestor.sync()` themselves) */
  follow?: boolean;
  /** bind address; default 127.0.0.1 (main passes HOST) */
  host?: string;
  /** PUBLIC_URL: the origin sign-in messages must name (undefined: loopback names of the port) */
  publicUrl?: string;
  /** TRUST_PROXY, rate limits (default DEFAULT_RATE_LIMIT; false: none), stream caps */
  http?: Omit<HttpSecurityOptions, 'https'>;
  /** header, request and keep-alive timeouts, connection cap (default SERVER_LIMITS) */
  serverLimits?: Partial<ServerLimits>;
  /** the committee veto (executor key, Safe contract networks) */
  vetoes?: DeskVetoOptions;
  /** alert channels and reminder lead times (absent: alerts are recorded, not sent) */
  alerts?: AlertsConfig & Pick<AlertingOptions, 'retry' | 'dispatchIntervalMs' | 'planIntervalMs' | 'sendTimeoutMs'>;
  /** only on the embedded devnet, the seeded owners' keys offered by the page's dev signer */
  devAccounts?: DevAccountView[];
  /** only on the embedded devnet: practice slashing requests queued from the board (POST /api/dev/requests) */
  devRequests?: DevRequestsApi;
  /** seconds per slot of the chain when known otherwise (the embedded devnet's interval); default: known chains' slot */
  slotSeconds?: number;
  /** deadline timers (absent: defaults, no slasher key) */
  scheduler?: Partial<SchedulerConfig> & {
    /** node-cron expression of the timer tick (default every 5 s) */
    cronExpression?: string;
    /** test hook, see SenderOptions.afterRecord */
    afterRecord?: SenderOptions['afterRecord'];
  };
}

export interface Desk {
  url: string;
  port: number;
  server: Server;
  ingestor: Ingestor;
  facts: SlasherFacts;
  chainId: number;
  database: Database;
  metrics: Metrics;
  /** the alert outbox; `enqueueAlert` is the entry point for the Safe and timer work */
  alerting: Alerting;
  /** the committee's vetoes: signatures, nonce plan, execution */
  vetoes: VetoService;
  /** governance's fulfil Safe transactions (when the slasher role is a Safe); `fulfilState(id)` for decisions */
  fulfils: VetoService;
  /** deadline timers */
  scheduler: Scheduler;
  /** what open requests' slashes take, read after each ingest pass that moved it */
  impact: ImpactRunner;
  /** the request views every stage starts from (kept until a fact they are made of changes) */
  readModel: RequestReadModelStage;
  health(): Promise<HealthView>;
  stop(): Promise<void>;
}

