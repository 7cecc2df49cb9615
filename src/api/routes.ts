/**
 * Every route of the HTTP API, with the schemas of what it takes and returns and the error codes
 * it answers: the table `openapi.ts` generates the OpenAPI document from. The schemas are the ones
 * the routes validate with and the views' types come from, so the document cannot drift from them.
 * `app.test.ts` checks that this table lists exactly the routes the app serves.
 */
import type { z } from 'zod';
import { requestListSchema, requestViewSchema, vetoViewSchema, rejectionViewSchema, batchViewSchema, safePlanViewSchema } from '../requests/schemas';
import { errorViewSchema, healthViewSchema } from './schemas/health';
import * as input from './schemas/inputs';
import * as web from './schemas/web';

export interface RouteSpec {
  method: 'get' | 'post';
  /** OpenAPI form: `/api/requests/{id}` */
  path: string;
  operationId: string;
  summary: string;
  /** path parameters, in the order of the path */
  pathParams?: Record<string, z.ZodType>;
  /** each property is one query parameter */
  query?: z.ZodObject;
  /** arrays repeated or comma-separated (`?status=a,b&status=c`) */
  arrayQuery?: { name: string; schema: z.ZodType; description: string };
  body?: { schema: z.ZodType; required: boolean };
  ok: { status: 200 | 201 | 204; description: string; schema?: z.ZodType; contentType?: string };
  /** error status → the codes it carries, in words; every one answers `Error` */
  errors?: Record<number, string>;
  /** for statuses other than errors that answer another shape (health's 503) */
  alsoAnswers?: Record<number, { description: string; schema: z.ZodType }>;
}

const id = { id: input.requestIdInputSchema };
const nonce = { nonce: input.nonceParamSchema };
const SIGNATURE_422 = 'SIGNATURE_WRONG_CHAIN, SIGNATURE_WRONG_SAFE, SIGNATURE_WRONG_NONCE, SIGNATURE_WRONG_REQUEST, SIGNER_IS_CONTRACT, NONCE_OUT_OF_RANGE';
const NOT_DEVNET = 'NOT_FOUND: not the embedded devnet';

export const routes: readonly RouteSpec[] = [
  {
    method: 'get', path: '/api/health', operationId: 'getHealth', summary: 'Indexer and chain health',
    ok: { status: 200, description: 'ok, degraded or starting', schema: healthViewSchema },
    alsoAnswers: { 503: { description: 'error', schema: healthViewSchema } },
  },
  {
    method: 'get', path: '/api/requests', operationId: 'listRequests', summary: 'Slashing requests, a page at a time (open first, then by deadline; or sort=impact), optionally filtered by status; ETag / If-None-Match → 304',
    arrayQuery: { name: 'status', schema: input.statusQuerySchema, description: 'repeat the parameter or separate values with commas' },
    query: input.requestsQuerySchema,
    ok: { status: 200, description: 'matching requests', schema: requestListSchema },
    errors: { 400: 'INVALID_STATUS_FILTER: unknown status value; BAD_REQUEST: sort is not "impact", limit outside 1–1000, or a cursor this desk did not hand out' },
  },
  {
    method: 'get', path: '/api/requests/{id}', operationId: 'getRequest', summary: 'One slashing request by id', pathParams: id,
    ok: { status: 200, description: 'the request', schema: requestViewSchema },
    errors: { 400: 'BAD_REQUEST: id is not a non-negative decimal integer', 404: 'REQUEST_NOT_FOUND' },
  },
  {
    method: 'get', path: '/api/alerts', operationId: 'listAlerts', summary: 'Alerts, newest first, with their delivery state per channel', query: input.alertsQuerySchema,
    ok: { status: 200, description: 'alerts', schema: web.alertListSchema },
    errors: { 400: 'BAD_REQUEST: bad filter' },
  },
  {
    method: 'get', path: '/api/requests/{id}/veto', operationId: 'getVeto', pathParams: id, query: input.vetoQuerySchema,
    summary: "The request's veto: the proposal to sign now (or the one that executed); with `nonce`, the same veto at that Safe nonce (the ways out of a blocked nonce point here)",
    ok: { status: 200, description: 'the veto', schema: vetoViewSchema },
    errors: { 400: 'BAD_REQUEST', 404: 'REQUEST_NOT_FOUND', 409: 'VETO_NOT_AVAILABLE', 422: 'NONCE_OUT_OF_RANGE, SIGNATURE_WRONG_NONCE (a used nonce)' },
  },
  {
    method: 'post', path: '/api/requests/{id}/veto/signatures', operationId: 'submitVetoSignature', pathParams: id,
    summary: "An owner's signature over the request's veto (EIP-712 v=27/28 or eth_sign v=31/32)",
    body: { schema: input.signatureInputSchema, required: true },
    ok: { status: 201, description: 'stored; the updated veto', schema: vetoViewSchema },
    errors: {
      400: 'SIGNATURE_MALFORMED, BAD_REQUEST', 403: 'SIGNER_NOT_OWNER', 404: 'REQUEST_NOT_FOUND',
      409: 'SIGNATURE_DUPLICATE, VETO_WINDOW_CLOSED, VETO_NOT_AVAILABLE (also: set aside while the signature was checked)', 413: 'PAYLOAD_TOO_LARGE', 422: SIGNATURE_422, 503: 'SAFE_READ_FAILED, RPC_UNAVAILABLE',
    },
  },
  {
    method: 'get', path: '/api/requests/{id}/fulfil', operationId: 'getFulfil', pathParams: id,
    summary: "Governance's fulfil Safe transaction of the request (when the slasher role is a Safe): typed data to sign, signatures, status",
    ok: { status: 200, description: 'the fulfil proposal', schema: vetoViewSchema },
    errors: { 400: 'BAD_REQUEST: the id is not a decimal integer', 404: 'REQUEST_NOT_FOUND; FULFIL_NOT_AVAILABLE (the slasher role is not a Safe, or no fulfil is planned for this request)' },
  },
  {
    method: 'post', path: '/api/requests/{id}/fulfil/signatures', operationId: 'submitFulfilSignature', pathParams: id,
    summary: "A governance owner's signature over the request's fulfil (EIP-712 v=27/28 or eth_sign v=31/32); the desk executes it once the window has passed",
    body: { schema: input.signatureInputSchema, required: true },
    ok: { status: 201, description: 'stored; the updated fulfil', schema: vetoViewSchema },
    errors: {
      400: 'SIGNATURE_MALFORMED, BAD_REQUEST', 403: 'SIGNER_NOT_OWNER (e.g. a committee owner: the message names the Safe they own)', 404: 'REQUEST_NOT_FOUND, FULFIL_NOT_AVAILABLE',
      409: 'SIGNATURE_DUPLICATE, FULFIL_CLOSED (the request is vetoed, fulfilled or lapsed, the fulfil is settled, or it was set aside while the signature was checked)', 413: 'PAYLOAD_TOO_LARGE', 422: SIGNATURE_422, 503: 'SAFE_READ_FAILED, RPC_UNAVAILABLE',
    },
  },
  {
    method: 'get', path: '/api/safe/plan', operationId: 'getSafePlan', summary: 'The committee Safe nonce plan: vetoes and rejections by nonce, blocked nonces explained',
    ok: { status: 200, description: 'the plan', schema: safePlanViewSchema },
    errors: { 409: 'VETO_NOT_AVAILABLE', 503: 'SAFE_READ_FAILED, RPC_UNAVAILABLE' },
  },
  {
    method: 'get', path: '/api/safe/rejections/{nonce}', operationId: 'getRejection', pathParams: nonce,
    summary: 'The rejection Safe transaction at a nonce (to = Safe, value 0, empty data), with its signatures and what it unblocks',
    ok: { status: 200, description: 'the rejection (status collecting and no signatures until one is stored)', schema: rejectionViewSchema },
    errors: { 400: 'BAD_REQUEST', 409: 'VETO_NOT_AVAILABLE, REJECTION_NOT_NEEDED (the nonce is used; an executed or failed rejection there is shown)' },
  },
  {
    method: 'post', path: '/api/safe/rejections/{nonce}/signatures', operationId: 'submitRejectionSignature', pathParams: nonce,
    summary: "An owner's signature over the rejection at a blocking nonce; the desk executes it at quorum",
    body: { schema: input.safeSignatureInputSchema, required: true },
    ok: { status: 201, description: 'stored; the updated rejection', schema: rejectionViewSchema },
    errors: {
      400: 'SIGNATURE_MALFORMED, BAD_REQUEST', 403: 'SIGNER_NOT_OWNER',
      409: 'SIGNATURE_DUPLICATE, REJECTION_NOT_NEEDED (the nonce blocks no veto with quorum, is used, or the rejection is settled or was set aside while the signature was checked), VETO_NOT_AVAILABLE',
      422: 'SIGNATURE_WRONG_CHAIN, SIGNATURE_WRONG_NONCE, SIGNER_IS_CONTRACT, NONCE_OUT_OF_RANGE (beyond the last planned nonce + 5: refused before any work)',
    },
  },
  {
    method: 'post', path: '/api/safe/batches', operationId: 'proposeBatchVeto',
    summary: 'Propose one Safe transaction vetoing several requests (MultiSend) at the nonce the desk serves; it holds no nonce until signed; idempotent for the same set',
    body: { schema: input.batchProposalInputSchema, required: true },
    ok: { status: 201, description: 'the batch', schema: batchViewSchema },
    errors: { 400: 'BAD_REQUEST', 404: 'REQUEST_NOT_FOUND', 409: 'BATCH_NOT_AVAILABLE (no MultiSendCallOnly address), VETO_WINDOW_CLOSED, VETO_NOT_AVAILABLE' },
  },
  {
    method: 'get', path: '/api/safe/batches/{nonce}', operationId: 'getBatchVeto', pathParams: nonce, query: input.batchQuerySchema,
    summary: 'The batch veto at a nonce (the one of `requestIds`, or the only one there, or the one with the most signatures), with its signatures',
    ok: { status: 200, description: 'the batch', schema: batchViewSchema },
    errors: { 400: 'BAD_REQUEST', 409: 'BATCH_NOT_AVAILABLE, BATCH_AMBIGUOUS (several at the nonce, none with the most signatures: name its requestIds), VETO_NOT_AVAILABLE' },
  },
  {
    method: 'post', path: '/api/safe/batches/{nonce}/signatures', operationId: 'submitBatchSignature', pathParams: nonce,
    summary: "An owner's signature over the batch veto; the desk executes it at quorum. With `requestIds`, a batch nobody had signed that was dropped (at most 20 unsigned are kept) is proposed again at the same nonce first",
    body: { schema: input.safeSignatureInputSchema, required: true },
    ok: { status: 201, description: 'stored; the updated batch', schema: batchViewSchema },
    errors: { 400: 'SIGNATURE_MALFORMED, BAD_REQUEST', 403: 'SIGNER_NOT_OWNER', 404: 'REQUEST_NOT_FOUND (proposing it again)', 409: 'SIGNATURE_DUPLICATE, BATCH_NOT_AVAILABLE, BATCH_AMBIGUOUS, VETO_NOT_AVAILABLE, VETO_WINDOW_CLOSED (proposing it again)', 422: 'SIGNATURE_WRONG_CHAIN, SIGNATURE_WRONG_NONCE, SIGNER_IS_CONTRACT' },
  },
  {
    method: 'get', path: '/api/events', operationId: 'streamEvents',
    summary: 'Server-Sent Events for the page: `health` after every ingest pass, `requests` when requests/vetoes/actions changed (re-fetch), `notes` when a note was written; `: ping` comments keep the stream open',
    ok: { status: 200, description: 'an endless text/event-stream; each `data:` is JSON', contentType: 'text/event-stream' },
    errors: { 503: 'SERVICE_BUSY (too many open streams; Retry-After)' },
  },
  {
    method: 'post', path: '/api/siwe/nonce', operationId: 'siweNonce',
    summary: 'Start a Sign-In with Ethereum (EIP-4361): a single-use nonce, bound to this browser by an HttpOnly cookie for 10 minutes',
    ok: { status: 201, description: 'the nonce to put in the message', schema: web.siweNonceSchema },
    errors: { 404: 'NOT_FOUND: sign-in is not available on this desk' },
  },
  {
    method: 'post', path: '/api/siwe/verify', operationId: 'siweVerify',
    summary: 'Check the signed EIP-4361 message (domain = this host, chain id, nonce, time bounds, EOA signature) and set the session cookie (HttpOnly, SameSite=Strict, 12 h)',
    body: { schema: input.siweVerifyInputSchema, required: true },
    ok: { status: 200, description: 'signed in', schema: web.siweSessionSchema },
    errors: { 400: 'SIWE_MESSAGE_INVALID: not EIP-4361, another domain or chain, expired', 401: 'SIWE_NONCE_INVALID (unknown, expired or used), SIWE_SIGNATURE_INVALID', 404: 'NOT_FOUND: sign-in is not available on this desk' },
  },
  {
    method: 'get', path: '/api/siwe/me', operationId: 'siweMe', summary: 'Who this browser is signed in as, and whether that address is a current committee owner',
    ok: { status: 200, description: 'the session (nulls when not signed in)', schema: web.siweSessionSchema },
    errors: { 404: 'NOT_FOUND: sign-in is not available on this desk' },
  },
  {
    method: 'post', path: '/api/siwe/logout', operationId: 'siweLogout', summary: 'End the session',
    ok: { status: 204, description: 'signed out' },
    errors: { 404: 'NOT_FOUND: sign-in is not available on this desk' },
  },
  {
    method: 'get', path: '/api/requests/{id}/notes', operationId: 'listNotes', pathParams: id, summary: "The committee's decision notes and evidence links on a request, oldest first",
    ok: { status: 200, description: 'notes', schema: web.noteListSchema },
    errors: { 400: 'BAD_REQUEST' },
  },
  {
    method: 'post', path: '/api/requests/{id}/notes', operationId: 'addNote', pathParams: id, summary: 'Write a note: needs a SIWE session of a current committee owner (read on chain now)',
    body: { schema: input.noteInputSchema, required: true },
    ok: { status: 201, description: 'stored', schema: web.noteViewSchema },
    errors: { 400: 'NOTE_INVALID, BAD_REQUEST', 401: 'NOT_SIGNED_IN', 403: 'NOT_AN_OWNER', 404: 'REQUEST_NOT_FOUND; NOT_FOUND (notes are not available on this desk)', 503: 'SAFE_READ_FAILED' },
  },
  {
    method: 'get', path: '/api/requests/{id}/timeline', operationId: 'getTimeline', pathParams: id,
    summary: 'Everything that happened to a request, oldest first: queued, veto proposal and signatures (with source), re-plans, executions, cancel/fulfil, desk actions, alerts and their deliveries',
    ok: { status: 200, description: 'the timeline', schema: web.timelineViewSchema },
    errors: { 400: 'BAD_REQUEST', 404: 'REQUEST_NOT_FOUND' },
  },
  {
    method: 'get', path: '/api/requests/{id}/veto/execution', operationId: 'getVetoExecution', pathParams: id,
    summary: "The execTransaction call that executes the request's veto (threshold met), for a member to send from their wallet",
    ok: { status: 200, description: 'the call', schema: web.safeExecutionCallSchema },
    errors: { 400: 'BAD_REQUEST', 409: 'VETO_NOT_AVAILABLE (no Safe at the committee address, executed, failed, the request gone from the index or its id reused by a later request), VETO_WINDOW_CLOSED, SAFE_TX_NOT_READY (nobody signed yet, below threshold, a lower nonce first, or the request under too few CONFIRMATIONS)', 503: 'SAFE_READ_FAILED' },
  },
  {
    method: 'get', path: '/api/requests/{id}/fulfil/execution', operationId: 'getFulfilExecution', pathParams: id,
    summary: "The execTransaction call that executes governance's fulfil Safe transaction (threshold met), when the slasher role is a Safe",
    ok: { status: 200, description: 'the call', schema: web.safeExecutionCallSchema },
    errors: { 400: 'BAD_REQUEST', 404: 'FULFIL_NOT_AVAILABLE (the slasher role is no Safe, executed, the request gone from the index or its id reused by a later request)', 409: 'FULFIL_CLOSED, SAFE_TX_NOT_READY (nobody signed yet, below threshold, a lower nonce first, or held as the desk\'s own key is: the window runs, the request lapsed without FULFIL_AFTER_LAPSE, its history is still being read, a gap longer than DEALLOCATION_DELAY is unread)', 503: 'SAFE_READ_FAILED' },
  },
  {
    method: 'get', path: '/api/strategies', operationId: 'getStrategyTokens', query: input.strategiesQuerySchema,
    summary: "Each strategy's underlying token and ERC-20 symbol, when readable (cached); a strategy no stored request names is answered unknown (token and symbol null) without reading the chain",
    ok: { status: 200, description: 'tokens', schema: web.strategyTokensSchema },
    errors: { 400: 'BAD_REQUEST' },
  },
  {
    method: 'get', path: '/api/dev/accounts', operationId: 'getDevAccounts', summary: "Embedded devnet only: the seeded committee owners' public anvil keys for the page's dev signer",
    ok: { status: 200, description: 'the dev accounts', schema: web.devAccountsSchema },
    errors: { 404: NOT_DEVNET },
  },
  {
    method: 'get', path: '/api/dev/operators', operationId: 'getDevOperators', summary: 'Embedded devnet only: the seeded operators a practice request may name (the first is the default)',
    ok: { status: 200, description: 'the operators', schema: web.devOperatorsSchema },
    errors: { 404: NOT_DEVNET },
  },
  {
    method: 'post', path: '/api/dev/requests', operationId: 'queueDevRequest',
    summary: "Embedded devnet only: queue a practice slashing request, sent by the devnet's keeper (the slasher role) and mined before the answer",
    body: { schema: input.devRequestInputSchema, required: false },
    ok: { status: 201, description: 'queued', schema: web.devRequestQueuedSchema },
    errors: { 400: 'BAD_REQUEST: unknown field, wrong type, percent outside 1–100, description over 500 characters, or an operator the devnet does not have', 404: NOT_DEVNET },
  },
  {
    method: 'get', path: '/api/openapi.json', operationId: 'getOpenApi', summary: 'This document, generated from the schemas the routes validate with',
    ok: { status: 200, description: 'OpenAPI 3.1 document', contentType: 'application/json' },
  },
  {
    method: 'get', path: '/metrics', operationId: 'getMetrics', summary: 'Prometheus metrics (vetodesk_*)',
    ok: { status: 200, description: 'Prometheus text exposition format', contentType: 'text/plain' },
  },
];

/** Every error answers this shape. */
export const errorSchema = errorViewSchema;
