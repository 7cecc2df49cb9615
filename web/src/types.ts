/**
 * The desk's API shapes as the page uses them: names for the types generated from the desk's
 * OpenAPI document (`api.gen.ts`, `npm run gen:web-types`). Not imported from the server: the page
 * only knows the desk through HTTP, and the document is the contract between them.
 */
import type { components } from './api.gen';

type Schemas = components['schemas'];

export type Hex = `0x${string}`;
export type RequestStatus = Schemas['RequestStatus'];
/** in the order the board shows them */
export const REQUEST_STATUSES = ['in_veto_window', 'fulfillable', 'vetoed', 'fulfilled', 'lapsed'] as const satisfies readonly RequestStatus[];
// every status of the document is listed above
const allStatuses: Exclude<RequestStatus, (typeof REQUEST_STATUSES)[number]> extends never ? true : false = true;
void allStatuses;

export type TypedDataJson = Schemas['TypedData'];
/** a request's Safe transaction: the committee's veto or governance's fulfil */
export type SafeTxView = Schemas['VetoView'];
export type WayOut = Schemas['WayOut'];
export type BlockedView = Schemas['Blocked'];
export type RejectionView = Schemas['RejectionView'];
export type NextAction = Schemas['NextAction'];
export type RequestView = Schemas['RequestView'];
export type ImpactView = Schemas['ImpactView'];
export type HealthView = Schemas['HealthView'];
export type RpcHealth = Schemas['RpcHealth'];
export type DevQueued = Schemas['DevRequestQueued'];
export type TimelineEntry = Schemas['TimelineEntry'];
export type Note = Schemas['Note'];
export type SessionView = Schemas['SiweSession'];
export type StrategyToken = Schemas['StrategyTokens']['strategies'][number];
export type DevAccount = Schemas['DevAccounts']['accounts'][number];
export type SafeExecutionCall = Schemas['SafeExecutionCall'];
