import express from 'express';
import type { Logger } from '../lib/logger';
import type { Metrics } from '../lib/metrics';
import { errorHandler, notFound } from './errors';
import { httpLog } from './httpLog';
import { openApiDocument } from './openapi';
import { registerRequestRoutes } from './requests';
import type { ResponseCache } from './responseCache';
import type { HealthView, RequestReadModel } from './views';
import { serveWeb } from './web';
import { registerVetoRoutes, type VetoApi } from './veto';
import { registerFulfilRoutes, type FulfilApi } from './fulfil';
import { registerAlertRoutes, type AlertsApi } from './alerts';
import { registerEventRoutes, withSignatureEvents, type DeskEvents } from './events';
import { registerSiweRoutes, type SiweApi } from './siwe';
import { registerNoteRoutes, type NotesRepository } from './notes';
import { registerTimelineRoutes } from './timeline';
import { registerStrategyRoutes, type StrategiesApi } from './strategies';
import { registerDevSignerRoutes, type DevAccountView } from './devSigner';
import { registerDevRequestRoutes, type DevRequestsApi } from './devRequests';
import { registerSafeExecutionRoutes, type SafeExecutionApi } from './safeExecution';
import { rateLimit, type RateLimitOptions } from './rateLimit';
import { securityHeaders } from './securityHeaders';
import { writeGuard } from './writeGuard';
import { queryGuard } from './queryGuard';

/** What the web UI needs besides the read model; each part is optional. */
export interface WebServices {
  siwe?: SiweApi;
  notes?: NotesRepository;
  strategies?: StrategiesApi;
  /** execTransaction calls for a member's wallet (veto, and fulfil when governance is a Safe) */
  safeExecution?: SafeExecutionApi;
  /** only on the embedded devnet: the seeded owners' keys for the dev signer */
  devAccounts?: DevAccountView[];
  /** only on the embedded devnet: queue practice slashing requests */
  devRequests?: DevRequestsApi;
  /** when the desk planned each Safe transaction of a request (by safeTxHash), for its timeline */
  proposedAt?: (requestId: string) => Promise<Map<string, string>>;
}

export interface AppDependencies {
  readModel: RequestReadModel;
  health: () => Promise<HealthView>;
  metrics: Metrics;
  logger: Logger;
  /** built UI to serve at `/`; ignored when absent or missing */
  webDir?: string;
  /** the committee veto service; absent: no veto routes */
  vetoes?: VetoApi;
  /** governance's fulfil Safe desk; absent: the fulfil routes answer 404 FULFIL_NOT_AVAILABLE */
  fulfils?: FulfilApi;
  /** the alert outbox; absent: /api/alerts lists nothing */
  alerts?: AlertsApi;
  /** live updates for the page (GET /api/events) */
  events?: DeskEvents;
  /** sign-in, notes, token symbols, dev signer, Safe execution calls */
  web?: WebServices;
  /** what a public port needs; absent: no rate limit, no proxy trusted, plain-http headers */
  security?: HttpSecurityOptions;
  /** answers of the request routes kept between polls; absent: computed for every call */
  responses?: ResponseCache;
}

export interface HttpSecurityOptions {
  /** express `trust proxy` (TRUST_PROXY): where the client address and scheme come from */
  trustProxy?: boolean | number | string[];
  /** per client address; false: none */
  rateLimit?: Pick<RateLimitOptions, 'readsPerMinute' | 'writesPerMinute' | 'nowMs'> | false;
  /** served over TLS (PUBLIC_URL https): HSTS */
  https?: boolean;
  /** PUBLIC_URL: the origin the desk's page is served from, beside this host (writes from other pages are refused) */
  publicUrl?: string;
  /** caps on open GET /api/events streams */
  eventStreams?: { maxStreams?: number; maxStreamsPerClient?: number };
}

/** Any bigint that slips into a response is written as a decimal string, never a 500. */
function jsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

/**
 * The desk's HTTP app: the JSON API under `/api`, Prometheus metrics at `/metrics`, and the UI
 * at `/` when `webDir` exists. Routes only translate HTTP to read-model calls and back.
 *
 * @example
 * const app = createApp({ readModel, health, metrics, logger });
 * app.listen(config.port);
 */
export function createApp(deps: AppDependencies): express.Express {
  const { readModel, metrics, logger } = deps;
  const app = express();
  const security = deps.security ?? {};
  app.disable('x-powered-by');
  app.set('json replacer', jsonReplacer);
  app.set('trust proxy', security.trustProxy ?? false);

  app.use(securityHeaders({ https: security.https === true }));
  app.use(httpLog(logger, metrics));
  // before the body parser: a refused request costs no parsing
  if (security.rateLimit) app.use(rateLimit(security.rateLimit));
  app.use('/api', writeGuard({ publicUrl: security.publicUrl }), queryGuard);
  app.use(express.json({ limit: '64kb' }));
  const responses = deps.responses;
  app.use('/api', (req, res, next) => {
    res.set('Cache-Control', 'no-store');
    // sign-in writes nothing a kept answer shows: an anonymous caller must not empty the cache at will
    if (responses && req.method !== 'GET' && req.method !== 'HEAD' && !req.path.startsWith('/siwe/')) {
      // whatever this call wrote is done before its answer ends: a read sent after it is computed afresh
      const end = res.end.bind(res) as (...a: unknown[]) => express.Response;
      res.end = ((...a: unknown[]) => {
        // a refused call changed nothing
        if (res.statusCode < 400) responses.invalidate();
        return end(...a);
      }) as typeof res.end;
    }
    next();
  });

  app.get('/api/health', async (_req, res) => {
    const view = await readHealth(deps.health, logger);
    res.status(view.status === 'error' ? 503 : 200).json(view);
  });
  registerRequestRoutes(app, readModel, responses ? { cache: responses, replacer: jsonReplacer } : undefined);
  // always served (the OpenAPI document lists it): without a veto service it answers 409 VETO_NOT_AVAILABLE
  registerVetoRoutes(app, deps.vetoes && deps.events ? withSignatureEvents(deps.vetoes, deps.events) : deps.vetoes);
  registerFulfilRoutes(app, deps.fulfils);
  // always served (the OpenAPI document lists it): without an outbox there are no alerts
  const alerts = deps.alerts ?? { list: async () => [] };
  registerAlertRoutes(app, alerts);
  // web UI: always served; without their services they answer 404 / empty
  registerEventRoutes(app, deps.events, security.eventStreams);
  registerSiweRoutes(app, deps.web?.siwe);
  registerNoteRoutes(app, { notes: deps.web?.notes, siwe: deps.web?.siwe, readModel, events: deps.events });
  registerTimelineRoutes(app, { readModel, alerts, proposedAt: deps.web?.proposedAt });
  registerStrategyRoutes(app, deps.web?.strategies);
  registerSafeExecutionRoutes(app, deps.web?.safeExecution);
  registerDevSignerRoutes(app, deps.web?.devAccounts);
  registerDevRequestRoutes(app, deps.web?.devRequests);
  app.get('/api/openapi.json', (_req, res) => {
    res.json(openApiDocument);
  });
  app.get('/metrics', async (_req, res) => {
    const text = await metrics.registry.metrics();
    res.set('Content-Type', metrics.registry.contentType).send(text);
  });
  app.use('/api', notFound);

  serveWeb(app, deps.webDir);
  app.use(notFound);
  app.use(errorHandler(logger));
  return app;
}

/** Health must answer even when computing it fails: that is itself an `error` status. */
async function readHealth(health: () => Promise<HealthView>, logger: Logger): Promise<HealthView> {
  try {
    return await health();
  } catch (err) {
    logger.error({ err }, 'health check failed');
    return {
      status: 'error',
      chainId: null,
      headBlock: null,
      indexedBlock: null,
      lagBlocks: null,
      problems: ['health check failed (see the desk log)'],
    };
  }
}
