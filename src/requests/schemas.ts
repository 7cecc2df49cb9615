/**
 * The request as the desk sees it, as zod schemas: the one source of these shapes. The TypeScript
 * types (`views.ts`) are inferred from them, the OpenAPI document (`src/api/openapi.ts`) is
 * generated from them, and the web page's types are generated from that document. A schema with
 * an `id` becomes a named component of the document (`#/components/schemas/<id>`).
 * Plain JSON: block numbers are numbers, ids/wads/magnitudes are decimal strings, addresses are
 * checksummed.
 */
import { z } from 'zod';
import { REQUEST_STATUSES, type RequestStatus } from '../domain/types';

// ── primitives ──

/** 0x and 20 bytes; the desk writes them checksummed */
export const addressSchema = z.templateLiteral(['0x', z.string().regex(/^[0-9a-fA-F]{40}$/)]).describe('address (checksummed)');
/** 0x and 32 bytes: a transaction hash, a safeTxHash */
export const hash32Schema = z.templateLiteral(['0x', z.string().regex(/^[0-9a-fA-F]{64}$/)]);
/** 0x and any number of bytes */
export const hexDataSchema = z.templateLiteral(['0x', z.string().regex(/^[0-9a-fA-F]*$/)]);
export const decimalSchema = z.string().regex(/^[0-9]+$/).describe('unsigned integer in decimal');
export const signedDecimalSchema = z.string().regex(/^-?[0-9]+$/).describe('integer in decimal');
export const blockSchema = z.number().int().min(0);
export const countSchema = z.number().int().min(0);
/** ISO 8601, as `Date.prototype.toISOString` writes it */
export const isoTimeSchema = z.string().meta({ format: 'date-time' });
const nullableInt = z.number().int().nullable();

export const requestStatusSchema = z
  .enum(REQUEST_STATUSES as readonly RequestStatus[] as [RequestStatus, ...RequestStatus[]])
  .meta({
    id: 'RequestStatus',
    description:
      'in_veto_window: can still be vetoed; vetoed: cancelled by the committee; fulfillable: window over, can be fulfilled; fulfilled: slashed; lapsed: the last useful block has passed',
  });
export const variantSchema = z.enum(['V1', 'V2', 'V3', 'V4']).meta({ id: 'Variant' });
export const proposalStatusSchema = z.enum(['collecting', 'ready', 'executed', 'failed', 'abandoned']);
export const signatureSourceSchema = z.enum(['http', 'cli', 'tx-service']);

// ── Safe transactions ──

const typeField = z.object({ name: z.string(), type: z.string() });

export const typedDataSchema = z
  .object({
    domain: z.object({ chainId: z.number().int(), verifyingContract: addressSchema }),
    types: z.object({ EIP712Domain: z.array(typeField), SafeTx: z.array(typeField).readonly() }),
    primaryType: z.literal('SafeTx'),
    message: z.object({
      to: addressSchema,
      value: decimalSchema,
      data: hexDataSchema,
      operation: z.union([z.literal(0), z.literal(1)]),
      safeTxGas: decimalSchema,
      baseGas: decimalSchema,
      gasPrice: decimalSchema,
      gasToken: addressSchema,
      refundReceiver: addressSchema,
      nonce: decimalSchema,
    }),
  })
  .meta({ id: 'TypedData', description: 'EIP-712 typed data of a Safe transaction (eth_signTypedData_v4) as JSON; uint256 values as decimal strings: what an owner signs' });

export const vetoSignatureSchema = z
  .object({
    signer: addressSchema,
    source: signatureSourceSchema,
    submittedAt: isoTimeSchema,
    stale: z.string().optional().describe('set when the signature no longer counts (the signer stopped being an owner)'),
  })
  .meta({ id: 'SafeTxSignature' });

export const wayOutSchema = z
  .object({
    kind: z
      .enum(['sign_blocking', 'sign_rejection', 'sign_here'])
      .describe('sign_blocking: sign the proposal holding the blocking nonce (it then executes first); sign_rejection: sign the rejection at that nonce (it only fills the nonce); sign_here: sign this same veto (or fulfil) again at that nonce'),
    nonce: countSchema,
    requestId: z.string().nullable().describe('the request whose proposal to sign (sign_blocking, sign_here)'),
    missing: countSchema.describe('signatures still needed that way'),
    href: z.string().describe('where to GET the typed data to sign (POST the signature to the same resource\'s signatures route)'),
    words: z.string(),
  })
  .meta({ id: 'WayOut', description: 'one way past a blocking nonce' });

const holderKindSchema = z
  .enum(['veto', 'fulfil', 'rejection', 'batch'])
  .describe("the desk's own call (veto on the committee's Safe, fulfil on governance's), a rejection filling the nonce, or a batch of calls");

export const blockedSchema = z
  .object({
    nonce: countSchema.describe('the lowest nonce nothing can execute at'),
    blockingRequestId: z.string().nullable().describe('the request whose proposal holds that nonce: one with quorum held back first, else one without quorum (null: nobody holds it)'),
    holders: z.array(z.object({ kind: holderKindSchema, requestIds: z.array(decimalSchema), signers: z.array(addressSchema), missing: countSchema, held: z.string().nullable() })),
    blocksLeft: nullableInt.describe('blocks left before this proposal can no longer land (window end for a veto)'),
    waysOut: z.array(wayOutSchema),
  })
  .meta({ id: 'Blocked', description: 'it has its signatures but waits behind a Safe nonce nothing can execute at: why, and the ways out' });

const otherProposal = { nonce: countSchema, safeTxHash: hash32Schema, signatures: countSchema };

export const vetoViewSchema = z
  .object({
    safe: addressSchema,
    nonce: countSchema.describe('Safe nonce of this proposal: fixed by its first signature; an unsigned one is served at the lowest nonce no signed proposal holds'),
    safeTxHash: hash32Schema,
    typedData: typedDataSchema,
    threshold: countSchema,
    signatures: z.array(vetoSignatureSchema),
    status: proposalStatusSchema,
    statusReason: z.string().nullable().describe('why failed / abandoned, or what a ready proposal waits for, in words'),
    executionTxHash: hash32Schema.nullable(),
    blockedByNonce: nullableInt.describe('the lower Safe nonce that must execute first, when this proposal has quorum but waits'),
    blocked: blockedSchema.nullable(),
    signAgain: z
      .object({ signers: z.array(addressSchema), lostNonce: countSchema })
      .nullable()
      .describe('owners whose signatures went void when another transaction took the nonce they signed at: they must sign this proposal again'),
    alternatives: z.array(z.object({ ...otherProposal, status: proposalStatusSchema })).describe('the same call signed at other nonces (a signer covered the next few), lowest first'),
    superseded: z.array(z.object({ ...otherProposal, reason: z.string() })).describe('earlier proposals for this request set aside, and why (their signatures never execute)'),
  })
  .meta({
    id: 'VetoView',
    description: "a request's Safe transaction: the committee's veto (to = slasher, data = cancelSlashingRequest(id)) or governance's fulfil (data = fulfillSlashingRequest(id))",
  });

const safeTxCommon = {
  safe: addressSchema,
  nonce: countSchema,
  safeTxHash: hash32Schema,
  typedData: typedDataSchema,
  threshold: countSchema,
  signatures: z.array(vetoSignatureSchema),
  status: proposalStatusSchema,
  statusReason: z.string().nullable(),
  executionTxHash: hash32Schema.nullable(),
};

export const rejectionViewSchema = z
  .object({
    ...safeTxCommon,
    blocking: z.object({ requestId: decimalSchema, status: z.string(), signatures: countSchema }).nullable().describe('the first signed proposal without quorum at this nonce (null: none, a gap)'),
    unblocks: z.array(decimalSchema).describe('requests whose ready proposals wait behind this nonce'),
  })
  .meta({ id: 'RejectionView', description: 'a rejection at a blocking Safe nonce: to = the Safe itself, value 0, empty data, operation call; executing it consumes the nonce' });

export const batchViewSchema = z
  .object({
    ...safeTxCommon,
    requestIds: z.array(decimalSchema),
    to: addressSchema.describe('MultiSendCallOnly, called with DELEGATECALL (operation 1)'),
    operation: z.literal(1),
  })
  .meta({ id: 'BatchView', description: 'one committee Safe transaction vetoing several requests: DELEGATECALL into MultiSendCallOnly, one cancelSlashingRequest per id' });

export const safePlanViewSchema = z
  .object({
    safe: addressSchema,
    safeNonce: countSchema,
    threshold: countSchema,
    servedNonce: countSchema.describe('the lowest nonce no signed proposal holds: where every unsigned request is served'),
    entries: z.array(
      z.object({
        nonce: countSchema,
        kind: holderKindSchema,
        requestId: z.string().nullable(),
        requestIds: z.array(decimalSchema).optional().describe('batch: the requests it vetoes'),
        status: z.string(),
        signatures: countSchema,
        safeTxHash: hash32Schema,
        holds: z.boolean().describe("holds its nonce (signed, and its request's lowest signed proposal)"),
      }),
    ),
    blocked: z.array(
      z.object({
        nonce: countSchema,
        blockingRequestId: z.string().nullable(),
        waiting: z.array(decimalSchema),
        explanation: z.string(),
        rejection: z.string().describe('path of the rejection at this nonce'),
        waysOut: z.array(wayOutSchema),
      }),
    ),
  })
  .meta({ id: 'SafePlan', description: 'the Safe nonces in use: a nonce is held only by a signed proposal (an unsigned request is served at `servedNonce` and holds none); each blocked nonce with the ways past it' });

// ── the request ──

export const strategyDeadlineSchema = z
  .object({
    strategy: addressSchema,
    lastUsefulBlock: nullableInt.describe('null = unbounded'),
    currentMagnitude: decimalSchema,
    remainingMagnitude: decimalSchema,
    pendingDeallocation: z.object({ effectBlock: blockSchema, diff: signedDecimalSchema }).nullable(),
  })
  .meta({ id: 'StrategyDeadline' });

export const deadlinesSchema = z.object({
  blockTimeSeconds: z.number(),
  blocksUntilWindowEnd: nullableInt,
  blocksUntilLastUseful: nullableInt,
  registrationBound: nullableInt.describe(
    'R = deregisterBlock + DEALLOCATION_DELAY, null while registered. An operator that left before the membership history the desk searched gets an upper bound that still lies before that request; one that never joined gets 0',
  ),
  strategies: z.array(strategyDeadlineSchema),
  slashability: z
    .enum(['read', 'pending', 'untracked'])
    .describe(
      "read: the operator set's slashability was read at slashabilityReadAtBlock; pending: not read yet (lastUsefulBlock shows unbounded until the ingest pass that stored the request ends); untracked: not read, because the AVS is unknown or the request is vetoed or fulfilled (its L no longer matters)",
    ),
  slashabilityReadAtBlock: nullableInt,
});

export const vetoWindowEndSchema = z
  .object({
    block: blockSchema.optional().describe('V3/V4: first block at which a fulfil is allowed'),
    timestamp: z.number().int().min(0).optional().describe('V1/V2: first unix second at which a fulfil is allowed'),
    estimatedAt: isoTimeSchema.describe('wall-clock time of the window end'),
    estimated: z.boolean().describe('true when `estimatedAt` comes from the observed block time rather than a known timestamp'),
  })
  .describe('block for V3/V4 windows, timestamp (unix seconds) for V1/V2');

export const chainEventRefSchema = z.object({ block: blockSchema, txHash: hash32Schema });

export const nextActionSchema = z
  .object({
    kind: z
      .enum(['fulfil', 'execute_veto', 'collect_veto_signatures', 'collect_fulfil_signatures', 'await_confirmations', 'await_fulfil', 'unblock_veto'])
      .describe(
        'fulfil: send the fulfil at dueBlock/dueAt; execute_veto: execute the veto (threshold met); collect_veto_signatures: the veto lacks signatures; collect_fulfil_signatures: governance\'s fulfil lacks signatures; await_confirmations: not yet buried under CONFIRMATIONS blocks; await_fulfil: the fulfil is sent, waiting for it to be mined; unblock_veto: the veto has its signatures but waits behind a Safe nonce nothing can execute at',
      ),
    actor: z.enum(['desk', 'owners', 'nobody']).describe('who carries it out: the desk itself, Safe owners (signatures), or nobody (no key, no Safe: an alert fires)'),
    dueBlock: nullableInt.describe('block at (or after) which it is due; null = now / not block-bound'),
    dueAt: isoTimeSchema.describe('wall-clock estimate of when it is due'),
    estimated: z.boolean().describe('true when `dueAt` is derived from the observed block time'),
    note: z.string().nullable().describe('in words, e.g. why nobody can act or that DRY_RUN holds it back'),
    dryRun: z.boolean().describe('DRY_RUN: the desk computes and alerts but will not send'),
  })
  .meta({ id: 'NextAction', description: "the scheduler's next step for a request" });

export const actionSchema = z
  .object({
    kind: z.string().describe('fulfil_sent | fulfil_bumped | fulfil_landed | fulfil_failed | fulfil_cancelled | veto_executed | veto_escalated | fulfil_no_quorum | no_actor | dry_run | …'),
    txHash: hash32Schema.nullable(),
    blockNumber: nullableInt,
    detail: z.string(),
    at: isoTimeSchema,
  })
  .meta({ id: 'Action', description: 'one entry of a request\'s action history' });

/**
 * What the slash takes, as read from the AllocationManager and the strategies at `readAtBlock`
 * (integers as decimal strings). Open requests are read again whenever their operator set's
 * allocations change; a decided request keeps what was read last.
 */
export const impactSchema = z
  .object({
    readAtBlock: blockSchema,
    atWindowEnd: z.boolean().describe('true: slashableShares are the minimum slashable at the window end (pending deallocations counted); false: now'),
    redistribution: z
      .object({ redistributing: z.boolean().nullable(), recipient: addressSchema.nullable() })
      .describe('where slashed funds go: redistributing to `recipient`, or burned (`redistributing: false`, `recipient` the default burn address); both null: an older core without the getters (unknown)'),
    strategies: z.array(
      z.object({
        strategy: addressSchema,
        token: z.object({ address: addressSchema, symbol: z.string(), decimals: z.number().int() }).nullable().describe("null when the strategy's token could not be read"),
        slashableShares: decimalSchema,
        slashableSharesNow: decimalSchema.describe('slashable now (getAllocatedStake); equals slashableShares when atWindowEnd is false'),
        sharesToSlash: decimalSchema.describe('wadsToSlash × slashableShares / 1e18, rounded down'),
        tokensToSlash: decimalSchema.nullable().describe("sharesToSlash in the token's base units (sharesToUnderlyingView); null when unknown"),
        remainingShares: decimalSchema,
      }),
    ),
  })
  .meta({ id: 'ImpactView' });

export const requestViewSchema = z
  .object({
    requestId: decimalSchema,
    slasher: addressSchema,
    variant: variantSchema,
    operator: addressSchema,
    operatorSetId: countSchema,
    strategies: z.array(addressSchema).nullable().describe("null while not read yet from the slasher's getter (deadlines.slashability is then pending)"),
    wadsToSlash: z.array(decimalSchema).describe('1e18 = 100%'),
    description: z.string(),
    queuedAtBlock: blockSchema,
    queuedTxHash: hash32Schema,
    status: requestStatusSchema,
    vetoWindowEnd: vetoWindowEndSchema,
    lastUsefulBlock: nullableInt.describe('null = unbounded'),
    lastUsefulBlockEstimatedAt: isoTimeSchema.nullable(),
    atRisk: z.boolean().describe('the window ends after the last useful block'),
    confirmed: z.boolean().describe('buried under CONFIRMATIONS blocks'),
    confirmations: countSchema,
    deadlines: deadlinesSchema,
    impact: impactSchema.nullable().describe('what the slash takes and where the funds go; null while unknown (`impactReason` says why)'),
    impactReason: z.string().nullable(),
    cancelled: chainEventRefSchema.optional(),
    fulfilled: chainEventRefSchema.optional(),
    overwrote: countSchema.optional().describe('V4 only: earlier requests this one overwrote under the same id'),
    overwritten: z.boolean().optional().describe('V4: a later request reused this id'),
    lapsed: z
      .object({ block: blockSchema, slashableAgainAtBlock: nullableInt })
      .optional()
      .describe('set when its stake escaped once (it lapsed at `block`); a request never expires on chain, so it can be fulfillable again, and the desk then does not fulfil it unless FULFIL_AFTER_LAPSE is set'),
    veto: vetoViewSchema.optional().describe('the committee\'s veto of this request: the proposal to sign now, or the one that executed'),
    fulfil: vetoViewSchema.optional().describe("governance's fulfil Safe transaction, when the slasher is a Safe"),
    nextAction: nextActionSchema.nullable().optional().describe('what the scheduler will do next for this request; null = nothing left to do'),
    actions: z.array(actionSchema).optional().describe('what the desk decided and did for this request, and what the chain did to it, oldest first'),
  })
  .meta({ id: 'RequestView' });

export const requestListSchema = z
  .object({
    requests: z.array(requestViewSchema),
    nextCursor: z.string().nullable().describe('pass as `cursor` for the page after this one; null on the last page'),
  })
  .meta({ id: 'RequestList' });
