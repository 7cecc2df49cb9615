/**
 * The request as the desk sees it — its deadlines, its Safe proposals (veto, governance's fulfil,
 * rejections, batches), the next action — in the shapes every consumer reads: the Safe desks, the
 * scheduler, alerts and the HTTP API. The types are inferred from the zod schemas in `schemas.ts`
 * (the one source of these shapes, also of the OpenAPI document and the web page's types).
 */
import type { z } from 'zod';
import type { RequestStatus } from '../domain/types';
import type { ProposalStatus, SignatureSource } from '../store/vetoStore';
import type * as s from './schemas';

export type Hex = `0x${string}`;
export type TypedDataJson = z.infer<typeof s.typedDataSchema>;
export type VetoWindowEndView = z.infer<typeof s.vetoWindowEndSchema>;
export type StrategyDeadlineView = z.infer<typeof s.strategyDeadlineSchema>;
export type DeadlinesView = z.infer<typeof s.deadlinesSchema>;
export type ChainEventRef = z.infer<typeof s.chainEventRefSchema>;
export type RequestView = z.infer<typeof s.requestViewSchema>;
export type ImpactView = z.infer<typeof s.impactSchema>;
/** The scheduler's next step for a request. */
export type NextActionView = z.infer<typeof s.nextActionSchema>;
/** One entry of a request's action history. */
export type ActionView = z.infer<typeof s.actionSchema>;
export type RequestListView = z.infer<typeof s.requestListSchema>;
export type VetoSignatureView = z.infer<typeof s.vetoSignatureSchema>;
/** One way past a blocking nonce. */
export type WayOutView = z.infer<typeof s.wayOutSchema>;
export type BlockedView = z.infer<typeof s.blockedSchema>;
export type VetoView = z.infer<typeof s.vetoViewSchema>;
/** `GET/POST /api/safe/rejections/:nonce`: a rejection at a blocking nonce. */
export type RejectionView = z.infer<typeof s.rejectionViewSchema>;
/** `POST /api/safe/batches`, `GET /api/safe/batches/:nonce`: one Safe transaction vetoing several requests. */
export type BatchView = z.infer<typeof s.batchViewSchema>;
/** `GET /api/safe/plan`: the Safe nonces in use and how each blocked nonce resolves. */
export type SafePlanView = z.infer<typeof s.safePlanViewSchema>;

/** The schemas' enums are the domain's and the store's, both ways. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameEnums: [Same<RequestStatus, RequestView['status']>, Same<ProposalStatus, VetoView['status']>, Same<SignatureSource, VetoSignatureView['source']>] = [true, true, true];
void sameEnums;

/** A page of `GET /api/requests`. */
export type RequestListPage = RequestListView;

/** What the API needs from the store; implemented outside `api/`. */
export interface RequestReadModel {
  listRequests(filter: { status?: RequestStatus[]; sort?: 'impact' }): Promise<RequestView[]>;
  /** one page in the API's order (open first, then by deadline; or largest slash first); see requests/paging.ts */
  pageRequests(filter: { status?: RequestStatus[]; sort?: 'impact'; limit: number; cursor?: string }): Promise<RequestListPage>;
  getRequest(requestId: bigint): Promise<RequestView | null>;
  /** the chain's timestamps (unix seconds) of these blocks, where the desk kept them */
  blockTimes?(numbers: number[]): Promise<Map<number, number>>;
}
