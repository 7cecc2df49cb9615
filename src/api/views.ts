/**
 * What the HTTP API returns besides the request views (src/requests/views.ts, re-exported here for
 * the API's clients), as types inferred from the zod schemas in `./schemas/` — the one source of
 * these shapes, of the OpenAPI document and of the web page's types.
 */
import type { z } from 'zod';
import type * as h from './schemas/health';
import type * as w from './schemas/web';

export * from '../requests/views';

export type HealthView = z.infer<typeof h.healthViewSchema>;
/** The RPC as the desk last found it. Endpoints are shown redacted. */
export type RpcHealthView = z.infer<typeof h.rpcHealthViewSchema>;
/** A Safe desk's execution facts: who sends execTransaction (executor null = the desk never sends) and what it last read of the Safe. */
export type SafeExecutionView = z.infer<typeof h.safeExecutionViewSchema>;
export type ErrorView = z.infer<typeof h.errorViewSchema>;

export type AlertListView = z.infer<typeof w.alertListSchema>;
export type NoteListView = z.infer<typeof w.noteListSchema>;
export type StrategyTokensView = z.infer<typeof w.strategyTokensSchema>;
export type DevAccountsView = z.infer<typeof w.devAccountsSchema>;
export type DevOperatorsView = z.infer<typeof w.devOperatorsSchema>;
export type NoteView = z.infer<typeof w.noteViewSchema>;
export type TimelineEntry = z.infer<typeof w.timelineEntrySchema>;
export type TimelineView = z.infer<typeof w.timelineViewSchema>;
export type SiweNonceView = z.infer<typeof w.siweNonceSchema>;
export type SiweSessionView = z.infer<typeof w.siweSessionSchema>;
export type StrategyTokenView = z.infer<typeof w.strategyTokenSchema>;
export type SafeExecutionCallView = z.infer<typeof w.safeExecutionCallSchema>;
export type DevAccountView = z.infer<typeof w.devAccountSchema>;
export type DevRequestQueuedView = z.infer<typeof w.devRequestQueuedSchema>;
