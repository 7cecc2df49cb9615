/**
 * The API's OpenAPI 3.1 description, written by hand next to `views.ts`. `app.test.ts` checks
 * that every route of the app is described here and that responses match these schemas.
 */
import { REQUEST_STATUSES } from '../domain/types';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const nullable = (type: string) => ({ type: [type, 'null'] });
const json = (schema: object) => ({ 'application/json': { schema } });
const errorResponse = (description: string) => ({ description, content: json(ref('Error')) });

const address = {
  type: 'string',
  pattern: '^0x[0-9a-fA-F]{40}$',
  description: 'checksummed address',
};
const txHash = { type: 'string', pattern: '^0x[0-9a-fA-F]{64}$' };
const decimal = { type: 'string', pattern: '^[0-9]+$', description: 'unsigned integer in decimal' };
const signedDecimal = { type: 'string', pattern: '^-?[0-9]+$', description: 'integer in decimal' };
const block = { type: 'integer', minimum: 0 };
const ID_PARAM = [{ name: 'id', in: 'path', required: true, description: 'request id in decimal', schema: decimal }];
/** `{ signature, source?, safe? }`: an owner's signature over a request's veto or fulfil. */
const signatureBody = {
  required: true,
  content: json({
    type: 'object',
    required: ['signature'],
    additionalProperties: false,
    properties: {
      signature: { type: 'string', maxLength: 200, description: '65-byte hex, 0x-prefixed' },
      source: { type: 'string', enum: ['http', 'cli'] },
      safe: { ...address, description: 'optional: the Safe the signer meant (sharper diagnosis)' },
      safeTxHash: { ...txHash, description: 'optional: the safeTxHash the owner signed; names the nonce at once (any nonce from the Safe\'s up to the last planned + 5). Without it, the nonce the desk serves now or one this request is already signed at' },
    },
  }),
};
const otherSignatureBody = (extra: Record<string, unknown> = {}) => ({
  required: true,
  content: json({ type: 'object', required: ['signature'], additionalProperties: false, properties: { signature: { type: 'string', maxLength: 200, description: '65-byte hex, 0x-prefixed' }, source: { type: 'string', enum: ['http', 'cli'] }, safeTxHash: { ...txHash, description: 'optional: what the owner signed (refused when it differs)' }, ...extra } }),
});
const wayOut = {
  type: 'object',
  required: ['kind', 'nonce', 'requestId', 'missing', 'href', 'words'],
  additionalProperties: false,
  properties: {
    kind: { type: 'string', enum: ['sign_blocking', 'sign_rejection', 'sign_here'], description: 'sign the proposal holding the blocking nonce; sign the rejection there; or sign this same proposal again there' },
    nonce: { type: 'integer', minimum: 0 },
    requestId: nullable('string'),
    missing: { type: 'integer', minimum: 0, description: 'signatures still needed that way' },
    href: { type: 'string', description: 'GET it for the typed data; POST the signature to its signatures route' },
    words: { type: 'string' },
  },
};
/** A Safe desk's execution facts (`HealthView.vetoExecution`, `.fulfilExecution`). */
const safeExecution = {
  type: 'object',
  required: ['executor', 'sends', 'safe', 'owners', 'threshold', 'nonce'],
  additionalProperties: false,
  properties: {
    executor: nullable('string'),
    sends: { type: 'boolean' },
    safe: address,
    owners: { type: 'array', items: address },
    threshold: nullable('integer'),
    nonce: nullable('integer'),
    note: { type: 'string' },
    lastError: { type: 'string' },
    txService: {
      type: 'object',
      required: ['url', 'lastError'],
      additionalProperties: false,
      properties: { url: { type: 'string' }, lastError: nullable('string') },
    },
  },
};
const chainEvent = {
  type: 'object',
  required: ['block', 'txHash'],
  additionalProperties: false,
  properties: { block, txHash },
};

const schemas = {
  RequestStatus: {
    type: 'string',
    enum: [...REQUEST_STATUSES],
    description:
      'in_veto_window: can still be vetoed; vetoed: cancelled by the committee; ' +
      'fulfillable: window over, can be fulfilled; fulfilled: slashed; ' +
      'lapsed: the last useful block has passed',
  },
  Variant: { type: 'string', enum: ['V1', 'V2', 'V3', 'V4'] },
  StrategyDeadline: {
    type: 'object',
    required: [
      'strategy',
      'lastUsefulBlock',
      'currentMagnitude',
      'remainingMagnitude',
      'pendingDeallocation',
    ],
    additionalProperties: false,
    properties: {
      strategy: address,
      lastUsefulBlock: { ...nullable('integer'), description: 'null = unbounded' },
      currentMagnitude: decimal,
      remainingMagnitude: decimal,
      pendingDeallocation: {
        oneOf: [
          {
            type: 'object',
            required: ['effectBlock', 'diff'],
            additionalProperties: false,
            properties: { effectBlock: block, diff: signedDecimal },
          },
          { type: 'null' },
        ],
      },
    },
  },
  RequestView: {
    type: 'object',
    required: [
      'requestId', 'slasher', 'variant', 'operator', 'operatorSetId', 'strategies', 'wadsToSlash',
      'description', 'queuedAtBlock', 'queuedTxHash', 'status', 'vetoWindowEnd', 'lastUsefulBlock',
      'lastUsefulBlockEstimatedAt', 'atRisk', 'confirmed', 'confirmations', 'deadlines',
    ],
    additionalProperties: false,
    properties: {
      requestId: decimal,
      slasher: address,
      variant: ref('Variant'),
      operator: address,
      operatorSetId: { type: 'integer', minimum: 0 },
      strategies: { type: ['array', 'null'], items: address, description: "null while not read yet from the slasher's getter (SlashingRequested carries no strategies; a backfill reads them right after storing the requests); deadlines.slashability is then pending" },
      wadsToSlash: { type: 'array', items: decimal, description: '1e18 = 100%' },
      description: { type: 'string' },
      queuedAtBlock: block,
      queuedTxHash: txHash,
      status: ref('RequestStatus'),
      vetoWindowEnd: {
        type: 'object',
        required: ['estimatedAt', 'estimated'],
        additionalProperties: false,
        description: 'block for V3/V4 windows, timestamp (unix seconds) for V1/V2',
        properties: {
          block,
          timestamp: { type: 'integer', minimum: 0 },
          estimatedAt: { type: 'string', format: 'date-time' },
          estimated: { type: 'boolean' },
        },
      },
      lastUsefulBlock: { ...nullable('integer'), description: 'null = unbounded' },
      lastUsefulBlockEstimatedAt: { type: ['string', 'null'], format: 'date-time' },
      atRisk: { type: 'boolean', description: 'the window ends after the last useful block' },
      confirmed: { type: 'boolean', description: 'buried under CONFIRMATIONS blocks' },
      confirmations: { type: 'integer', minimum: 0 },
      deadlines: {
        type: 'object',
        required: [
          'blockTimeSeconds', 'blocksUntilWindowEnd', 'blocksUntilLastUseful', 'registrationBound',
          'strategies', 'slashability', 'slashabilityReadAtBlock',
        ],
        additionalProperties: false,
        properties: {
          blockTimeSeconds: { type: 'number' },
          blocksUntilWindowEnd: nullable('integer'),
          blocksUntilLastUseful: nullable('integer'),
          registrationBound: {
            ...nullable('integer'),
            description:
              'R = deregisterBlock + DEALLOCATION_DELAY, null while registered. An operator that left before the membership history the desk searched (from DEALLOCATION_DELAY + 1 blocks before its oldest open request) gets an upper bound that still lies before that request; one that never joined gets 0',
          },
          slashability: {
            type: 'string',
            enum: ['read', 'pending', 'untracked'],
            description:
              "read: the operator set's slashability was read at slashabilityReadAtBlock; pending: not read yet (lastUsefulBlock shows unbounded until the ingest pass that stored the request ends; no alert or action is taken on it meanwhile); untracked: not read, because the AVS is unknown (set AVS_ADDRESS) or the request is vetoed or fulfilled (its L no longer matters)",
          },
          slashabilityReadAtBlock: nullable('integer'),
          strategies: { type: 'array', items: ref('StrategyDeadline') },
        },
      },
      cancelled: chainEvent,
      fulfilled: chainEvent,
      overwritten: { type: 'boolean', description: 'V4: a later request reused this id' },
      lapsed: {
        type: 'object',
        required: ['block', 'slashableAgainAtBlock'],
        additionalProperties: false,
        description: 'set when its stake escaped once (lapsed at `block`): a request never expires on chain, so it can be fulfillable again; the desk then does not fulfil it unless FULFIL_AFTER_LAPSE=true',
        properties: { block, slashableAgainAtBlock: nullable('integer') },
      },
      veto: ref('VetoView'),
      fulfil: { ...ref('VetoView'), description: "issue 4: governance's fulfil Safe transaction (the slasher role is a Safe): to = slasher, data = fulfillSlashingRequest(id) (or V4's fulfillSlashingRequestAndBurnOrRedistribute(id) with FULFIL_FUNCTION)" },
      nextAction: {
        description: "issue 4: the scheduler's next step for this request; null when nothing is left to do",
        type: ['object', 'null'],
        required: ['kind', 'actor', 'dueBlock', 'dueAt', 'estimated', 'note', 'dryRun'],
        properties: {
          kind: { type: 'string', enum: ['fulfil', 'execute_veto', 'collect_veto_signatures', 'collect_fulfil_signatures', 'await_confirmations', 'await_fulfil', 'unblock_veto'] },
          actor: { type: 'string', enum: ['desk', 'owners', 'nobody'], description: 'nobody: no key and no Safe can do it (alerted)' },
          dueBlock: { ...nullable('integer'), description: 'block at or after which it is due; null = now / not block-bound' },
          dueAt: { type: 'string', format: 'date-time', description: 'wall-clock time it is due (an estimate when `estimated`)' },
          estimated: { type: 'boolean' },
          note: nullable('string'),
          dryRun: { type: 'boolean', description: 'DRY_RUN: the desk computes and alerts but never sends' },
        },
      },
      actions: {
        type: 'array',
        description: 'issue 4: what the desk decided and did, oldest first',
        items: {
          type: 'object',
          required: ['kind', 'txHash', 'blockNumber', 'detail', 'at'],
          properties: {
            kind: { type: 'string', description: 'fulfil_sent | fulfil_bumped | fulfil_landed | fulfil_failed | veto_executed | veto_escalated | fulfil_no_quorum | no_actor | dry_run' },
            txHash: nullable('string'),
            blockNumber: nullable('integer'),
            detail: { type: 'string' },
            at: { type: 'string', format: 'date-time' },
          },
        },
      },
    },
  },
  RequestList: {
    type: 'object',
    required: ['requests', 'nextCursor'],
    additionalProperties: false,
    properties: {
      requests: { type: 'array', items: ref('RequestView') },
      nextCursor: { type: ['string', 'null'], description: 'pass as `cursor` for the next page; null on the last page' },
    },
  },
  // ── safe (issue 3) ──
  RejectionView: {
    type: 'object',
    description: 'a rejection at a blocking Safe nonce: to = the Safe itself, value 0, empty data, operation call; executing it consumes the nonce',
    required: ['safe', 'nonce', 'safeTxHash', 'typedData', 'threshold', 'signatures', 'status', 'statusReason', 'executionTxHash', 'blocking', 'unblocks'],
    properties: {
      safe: address,
      nonce: { type: 'integer', minimum: 0 },
      safeTxHash: txHash,
      typedData: { type: 'object', description: 'EIP-712 typed data an owner signs (eth_signTypedData_v4)' },
      threshold: { type: 'integer', minimum: 0 },
      signatures: { type: 'array', items: { type: 'object', required: ['signer', 'source', 'submittedAt'], properties: { signer: address, source: { type: 'string' }, submittedAt: { type: 'string', format: 'date-time' }, stale: { type: 'string' } } } },
      status: { type: 'string', enum: ['collecting', 'ready', 'executed', 'failed', 'abandoned'] },
      statusReason: nullable('string'),
      executionTxHash: { ...nullable('string'), pattern: '^0x[0-9a-fA-F]{64}$' },
      blocking: { type: ['object', 'null'], description: 'the veto without quorum at this nonce', properties: { requestId: decimal, status: { type: 'string' }, signatures: { type: 'integer' } } },
      unblocks: { type: 'array', items: decimal, description: 'requests whose vetoes have quorum and wait behind this nonce' },
    },
  },
  BatchView: {
    type: 'object',
    description: 'one committee Safe transaction vetoing several requests: DELEGATECALL (operation 1) into MultiSendCallOnly, one cancelSlashingRequest per id',
    required: ['safe', 'nonce', 'requestIds', 'to', 'operation', 'safeTxHash', 'typedData', 'threshold', 'signatures', 'status', 'statusReason', 'executionTxHash'],
    properties: {
      safe: address,
      nonce: { type: 'integer', minimum: 0 },
      requestIds: { type: 'array', items: decimal },
      to: { ...address, description: 'MultiSendCallOnly (SAFE_CONTRACT_NETWORKS multiSendCallOnlyAddress)' },
      operation: { type: 'integer', enum: [1] },
      safeTxHash: txHash,
      typedData: { type: 'object', description: 'EIP-712 typed data an owner signs' },
      threshold: { type: 'integer', minimum: 0 },
      signatures: { type: 'array', items: { type: 'object', properties: { signer: address, source: { type: 'string' }, submittedAt: { type: 'string', format: 'date-time' } } } },
      status: { type: 'string', enum: ['collecting', 'ready', 'executed', 'failed', 'abandoned'] },
      statusReason: nullable('string'),
      executionTxHash: { ...nullable('string'), pattern: '^0x[0-9a-fA-F]{64}$' },
    },
  },
  SafePlan: {
    type: 'object',
    description: 'the Safe nonces in use: a nonce is held only by a signed proposal (an unsigned request is served at `servedNonce` and holds none); each blocked nonce with the ways past it',
    required: ['safe', 'safeNonce', 'threshold', 'servedNonce', 'entries', 'blocked'],
    properties: {
      safe: address,
      safeNonce: { type: 'integer', minimum: 0 },
      threshold: { type: 'integer', minimum: 0 },
      servedNonce: { type: 'integer', minimum: 0, description: 'the lowest nonce no signed proposal holds: where every unsigned request is served' },
      entries: { type: 'array', items: { type: 'object', properties: { nonce: { type: 'integer' }, kind: { type: 'string', enum: ['veto', 'rejection', 'batch'] }, requestId: { ...nullable('string') }, requestIds: { type: 'array', items: decimal, description: 'batch: the requests it vetoes' }, status: { type: 'string' }, signatures: { type: 'integer' }, safeTxHash: txHash, holds: { type: 'boolean', description: 'holds its nonce (signed, and its request\'s lowest signed proposal)' } } } },
      blocked: { type: 'array', items: { type: 'object', properties: { nonce: { type: 'integer' }, blockingRequestId: nullable('string'), waiting: { type: 'array', items: decimal }, explanation: { type: 'string' }, rejection: { type: 'string', description: 'path of the rejection at this nonce' }, waysOut: { type: 'array', items: wayOut } } } },
    },
  },
  VetoView: {
    type: 'object',
    required: ['safe', 'nonce', 'safeTxHash', 'typedData', 'threshold', 'signatures', 'status', 'statusReason', 'executionTxHash', 'blockedByNonce', 'blocked', 'signAgain', 'alternatives', 'superseded'],
    additionalProperties: false,
    description: "a request's Safe transaction: the committee's veto (to = slasher, data = cancelSlashingRequest(id)) or governance's fulfil (data = fulfillSlashingRequest(id))",
    properties: {
      safe: address,
      nonce: { type: 'integer', minimum: 0, description: 'Safe nonce of this proposal: fixed by its first signature; an unsigned one is served at the lowest nonce no signed proposal holds' },
      safeTxHash: txHash,
      typedData: { type: 'object', description: 'EIP-712 typed data to sign (eth_signTypedData_v4); uint256 values as decimal strings' },
      threshold: { type: 'integer', minimum: 0 },
      signatures: {
        type: 'array',
        items: {
          type: 'object',
          required: ['signer', 'source', 'submittedAt'],
          additionalProperties: false,
          properties: {
            signer: address,
            source: { type: 'string', enum: ['http', 'cli', 'tx-service'] },
            submittedAt: { type: 'string', format: 'date-time' },
            stale: { type: 'string', description: 'why this signature no longer counts' },
          },
        },
      },
      status: { type: 'string', enum: ['collecting', 'ready', 'executed', 'failed', 'abandoned'] },
      statusReason: { ...nullable('string'), description: 'decoded revert reason, why abandoned, or what a ready veto waits for' },
      executionTxHash: { oneOf: [txHash, { type: 'null' }] },
      blockedByNonce: { ...nullable('integer'), description: 'a ready veto waits for this lower Safe nonce to execute' },
      blocked: {
        oneOf: [
          {
            type: 'object',
            required: ['nonce', 'blockingRequestId', 'holders', 'blocksLeft', 'waysOut'],
            additionalProperties: false,
            description: 'it has its signatures but waits behind a nonce nothing can execute at',
            properties: {
              nonce: { type: 'integer', minimum: 0 },
              blockingRequestId: nullable('string'),
              holders: { type: 'array', items: { type: 'object', properties: { kind: { type: 'string' }, requestIds: { type: 'array', items: decimal }, signers: { type: 'array', items: address }, missing: { type: 'integer' }, held: nullable('string') } } },
              blocksLeft: nullable('integer'),
              waysOut: { type: 'array', items: wayOut },
            },
          },
          { type: 'null' },
        ],
      },
      signAgain: {
        oneOf: [{ type: 'object', required: ['signers', 'lostNonce'], additionalProperties: false, description: 'owners whose signatures went void when another transaction took their nonce: they must sign this proposal again', properties: { signers: { type: 'array', items: address }, lostNonce: { type: 'integer' } } }, { type: 'null' }],
      },
      alternatives: {
        type: 'array',
        description: 'the same call signed at other nonces (a signer covered the next few), lowest first',
        items: { type: 'object', required: ['nonce', 'safeTxHash', 'status', 'signatures'], additionalProperties: false, properties: { nonce: { type: 'integer' }, safeTxHash: txHash, status: { type: 'string' }, signatures: { type: 'integer' } } },
      },
      superseded: {
        type: 'array',
        description: 'earlier proposals set aside by a re-plan (reorg, nonce used, gap); their signatures are never executed',
        items: {
          type: 'object',
          required: ['nonce', 'safeTxHash', 'reason', 'signatures'],
          additionalProperties: false,
          properties: { nonce: { type: 'integer' }, safeTxHash: txHash, reason: { type: 'string' }, signatures: { type: 'integer' } },
        },
      },
    },
  },
  HealthView: {
    type: 'object',
    required: ['status', 'chainId', 'headBlock', 'indexedBlock', 'lagBlocks'],
    additionalProperties: false,
    properties: {
      status: { type: 'string', enum: ['ok', 'degraded', 'starting', 'error'] },
      chainId: nullable('integer'),
      headBlock: nullable('integer'),
      indexedBlock: nullable('integer'),
      lagBlocks: nullable('integer'),
      variant: nullable('string'),
      slasher: { type: 'string' },
      database: { type: 'string', enum: ['sqlite', 'postgresql'] },
      problems: { type: 'array', items: { type: 'string' } },
      vetoExecution: { ...safeExecution, description: 'who sends veto execTransactions; executor null = the desk never sends (EXECUTOR_PRIVATE_KEY unset)' },
      fulfilExecution: { ...safeExecution, description: "issue 4: governance's fulfil Safe (the slasher role); `note` says why the path is off (an EOA role, not a Safe)" },
      rpc: {
        type: 'object',
        description: 'whether the RPC answers (URLs redacted); while it does not, lagBlocks grows with the time since lastHeadAt',
        required: ['reachable', 'endpoint', 'unreachableSince', 'lastHeadAt', 'endpoints'],
        additionalProperties: false,
        properties: {
          reachable: { type: 'boolean' },
          endpoint: nullable('string'),
          unreachableSince: { ...nullable('string'), format: 'date-time' },
          lastHeadAt: { ...nullable('string'), format: 'date-time' },
          endpoints: {
            type: 'array',
            items: {
              type: 'object',
              required: ['url', 'reachable', 'unreachableSince', 'lastError'],
              additionalProperties: false,
              properties: { url: { type: 'string' }, reachable: nullable('boolean'), unreachableSince: nullable('string'), lastError: nullable('string') },
            },
          },
        },
      },
      alertChannels: { type: 'array', items: { type: 'string' }, description: 'names of the configured alert channels; empty: nobody is told of an alert' },
    },
  },
  Error: {
    type: 'object',
    required: ['error'],
    additionalProperties: false,
    properties: {
      error: {
        type: 'object',
        required: ['code', 'message'],
        additionalProperties: false,
        properties: {
          code: {
            type: 'string',
            description: 'stable machine-readable code',
            examples: [
              'BAD_REQUEST', 'INVALID_STATUS_FILTER', 'NOT_FOUND', 'REQUEST_NOT_FOUND',
              'PAYLOAD_TOO_LARGE', 'RPC_UNAVAILABLE', 'DATABASE_ERROR', 'INTERNAL',
              'FULFIL_NOT_AVAILABLE', 'FULFIL_CLOSED', 'NOT_SIGNED_IN', 'NOT_AN_OWNER', 'SIWE_MESSAGE_INVALID', 'SIWE_NONCE_INVALID', 'SIWE_SIGNATURE_INVALID', 'NOTE_INVALID', 'SAFE_TX_NOT_READY',
            ],
          },
          message: { type: 'string' },
        },
      },
    },
  },
  // ── alerts (issue 5) ──
  AlertDelivery: {
    type: 'object',
    required: ['channel', 'state', 'attempts', 'nextAttemptAt', 'lastError', 'deliveredAt', 'latencyMs'],
    additionalProperties: false,
    properties: {
      channel: { type: 'string' },
      state: { type: 'string', enum: ['pending', 'delivered', 'failed'] },
      attempts: { type: 'integer', minimum: 0 },
      nextAttemptAt: { ...nullable('string'), description: 'while pending: the next attempt (ISO 8601)' },
      lastError: nullable('string'),
      deliveredAt: nullable('string'),
      latencyMs: { ...nullable('integer'), description: 'deliveredAt − seenAt' },
    },
  },
  AlertItem: {
    type: 'object',
    required: ['id', 'dedupKey', 'kind', 'severity', 'action', 'title', 'seenAt', 'createdAt', 'deliveries'],
    additionalProperties: false,
    properties: {
      id: { type: 'string' },
      dedupKey: { type: 'string' },
      kind: { type: 'string', description: 'see README "Alerts" for every kind' },
      severity: { type: 'string', enum: ['info', 'warning', 'critical'] },
      action: { type: 'string', enum: ['trigger', 'resolve'] },
      requestId: { ...decimal, description: 'absent for desk-health alerts' },
      title: { type: 'string' },
      seenAt: { type: 'string', description: 'when the desk saw what the alert is about' },
      createdAt: { type: 'string' },
      deliveries: { type: 'array', items: ref('AlertDelivery') },
    },
  },
  AlertList: {
    type: 'object',
    required: ['alerts'],
    additionalProperties: false,
    properties: { alerts: { type: 'array', items: ref('AlertItem') } },
  },
  // ── web UI (issue 6) ──
  Note: {
    type: 'object',
    required: ['id', 'requestId', 'author', 'body', 'links', 'createdAt'],
    additionalProperties: false,
    properties: {
      id: { type: 'integer' },
      requestId: decimal,
      author: { ...address, description: 'the committee owner who wrote it (signed in with Ethereum)' },
      body: { type: 'string', maxLength: 4000 },
      links: { type: 'array', maxItems: 10, items: { type: 'string', format: 'uri', description: 'http(s) evidence link' } },
      createdAt: { type: 'string', format: 'date-time' },
    },
  },
  NoteList: {
    type: 'object',
    required: ['notes'],
    additionalProperties: false,
    properties: { notes: { type: 'array', items: ref('Note'), description: 'oldest first' } },
  },
  TimelineEntry: {
    type: 'object',
    required: ['kind', 'title', 'detail', 'at', 'estimated', 'block', 'txHash', 'actor', 'source'],
    additionalProperties: false,
    properties: {
      kind: { type: 'string', enum: ['queued', 'proposal', 'superseded', 'signature', 'executed', 'execution_failed', 'cancelled', 'fulfilled', 'action', 'alert'] },
      subject: { type: 'string', enum: ['veto', 'fulfil'], description: 'which Safe transaction a proposal/signature/execution belongs to' },
      title: { type: 'string' },
      detail: nullable('string'),
      at: { ...nullable('string'), description: 'ISO 8601; null when unknown' },
      estimated: { type: 'boolean', description: '`at` is derived from the observed block time' },
      block: nullable('integer'),
      txHash: nullable('string'),
      actor: { ...nullable('string'), description: 'the signer of a signature' },
      source: { ...nullable('string'), description: 'signature source: http | cli | tx-service' },
    },
  },
  Timeline: {
    type: 'object',
    required: ['requestId', 'entries'],
    additionalProperties: false,
    properties: { requestId: decimal, entries: { type: 'array', items: ref('TimelineEntry'), description: 'oldest first' } },
  },
  SiweSession: {
    type: 'object',
    required: ['address', 'owner', 'expiresAt'],
    additionalProperties: false,
    description: 'the signed-in member; all null when not signed in',
    properties: {
      address: { ...nullable('string'), description: 'checksummed address proven by the EIP-4361 signature' },
      owner: { ...nullable('boolean'), description: 'a current owner of the committee Safe (read on chain); null when the Safe cannot be read' },
      expiresAt: { ...nullable('string'), format: 'date-time' },
    },
  },
  StrategyTokens: {
    type: 'object',
    required: ['strategies'],
    additionalProperties: false,
    properties: {
      strategies: {
        type: 'array',
        items: {
          type: 'object',
          required: ['strategy', 'token', 'symbol'],
          additionalProperties: false,
          properties: { strategy: address, token: { ...nullable('string'), description: 'underlyingToken(); null when not readable' }, symbol: { ...nullable('string'), description: 'ERC-20 symbol(); null when not readable' } },
        },
      },
    },
  },
  SafeExecutionCall: {
    type: 'object',
    description: 'the transaction a member sends from their wallet to execute a Safe transaction whose threshold is met: to = the Safe, data = execTransaction(…) with the packed owner signatures',
    required: ['safe', 'nonce', 'safeTxHash', 'threshold', 'signers', 'to', 'value', 'data'],
    additionalProperties: false,
    properties: {
      safe: address,
      nonce: { type: 'integer', minimum: 0 },
      safeTxHash: txHash,
      threshold: { type: 'integer', minimum: 1 },
      signers: { type: 'array', items: address, description: 'owners whose signatures are packed, ascending' },
      to: address,
      value: { type: 'string', enum: ['0'] },
      data: { type: 'string', pattern: '^0x[0-9a-fA-F]*$' },
    },
  },
  DevOperators: {
    type: 'object',
    required: ['operators'],
    additionalProperties: false,
    properties: { operators: { type: 'array', items: address } },
  },
  DevRequestInput: {
    type: 'object',
    additionalProperties: false,
    properties: {
      operator: { ...address, description: "one of GET /api/dev/operators; default the first" },
      percent: { type: 'number', minimum: 1, maximum: 100, description: 'percent of each strategy to slash; default 10' },
      description: { type: 'string', maxLength: 500 },
    },
  },
  DevRequestQueued: {
    type: 'object',
    required: ['requestId', 'txHash', 'block'],
    additionalProperties: false,
    properties: { requestId: { type: 'string', pattern: '^\\d+$' }, txHash, block: { type: 'integer' } },
  },
  DevAccounts: {
    type: 'object',
    required: ['devnet', 'warning', 'accounts'],
    additionalProperties: false,
    properties: {
      devnet: { type: 'boolean', enum: [true] },
      warning: { type: 'string' },
      accounts: { type: 'array', items: { type: 'object', required: ['label', 'address', 'privateKey'], additionalProperties: false, properties: { label: { type: 'string' }, address, privateKey: { type: 'string', pattern: '^0x[0-9a-fA-F]{64}$' } } } },
    },
  },
};

export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'Veto Desk API',
    version: '0.1.0',
    description:
      'Slashing requests of an EigenLayer AVS VetoableSlasher, their veto windows and deadlines.',
  },
  paths: {
    '/api/health': {
      get: {
        operationId: 'getHealth',
        summary: 'Indexer and chain health',
        responses: {
          '200': { description: 'ok, degraded or starting', content: json(ref('HealthView')) },
          '503': { description: 'error', content: json(ref('HealthView')) },
        },
      },
    },
    '/api/requests': {
      get: {
        operationId: 'listRequests',
        summary: 'Slashing requests, optionally filtered by status',
        parameters: [
          {
            name: 'status',
            in: 'query',
            required: false,
            description: 'repeat the parameter or separate values with commas',
            style: 'form',
            explode: true,
            schema: { type: 'array', items: ref('RequestStatus') },
          },
          { name: 'limit', in: 'query', required: false, description: 'requests per page', schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } },
          { name: 'cursor', in: 'query', required: false, description: 'nextCursor of the previous page', schema: { type: 'string' } },
        ],
        responses: {
          '200': { description: 'a page of matching requests: open ones first, then by deadline (ETag; If-None-Match answers 304)', content: json(ref('RequestList')) },
          '304': { description: 'the page is unchanged since the ETag sent in If-None-Match' },
          '400': errorResponse('INVALID_STATUS_FILTER: unknown status value; BAD_REQUEST: limit or cursor'),
        },
      },
    },
    '/api/requests/{id}': {
      get: {
        operationId: 'getRequest',
        summary: 'One slashing request by id',
        parameters: [
          {
            name: 'id',
            in: 'path',
            required: true,
            description: 'request id in decimal',
            schema: decimal,
          },
        ],
        responses: {
          '200': { description: 'the request', content: json(ref('RequestView')) },
          '400': errorResponse('BAD_REQUEST: id is not a non-negative decimal integer'),
          '404': errorResponse('REQUEST_NOT_FOUND'),
        },
      },
    },
    '/api/alerts': {
      get: {
        operationId: 'listAlerts',
        summary: 'Alerts, newest first, with their delivery state per channel',
        parameters: [
          { name: 'state', in: 'query', required: false, description: 'alerts with a delivery in this state', schema: { type: 'string', enum: ['pending', 'delivered', 'failed'] } },
          { name: 'kind', in: 'query', required: false, schema: { type: 'string' } },
          { name: 'requestId', in: 'query', required: false, schema: decimal },
          { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } },
        ],
        responses: {
          '200': { description: 'alerts', content: json(ref('AlertList')) },
          '400': errorResponse('BAD_REQUEST: bad filter'),
        },
      },
    },
    '/api/requests/{id}/veto': {
      get: {
        operationId: 'getVeto',
        summary: "The request's veto: the proposal to sign now (or the one that executed); with `nonce`, the same veto at that Safe nonce (the ways out of a blocked nonce point here)",
        parameters: [...ID_PARAM, { name: 'nonce', in: 'query', required: false, schema: { type: 'integer', minimum: 0 } }],
        responses: {
          '200': { description: 'the veto', content: json(ref('VetoView')) },
          '400': errorResponse('BAD_REQUEST'),
          '404': errorResponse('REQUEST_NOT_FOUND'),
          '409': errorResponse('VETO_NOT_AVAILABLE'),
          '422': errorResponse('NONCE_OUT_OF_RANGE, SIGNATURE_WRONG_NONCE (a used nonce)'),
        },
      },
    },
    '/api/requests/{id}/veto/signatures': {
      post: {
        operationId: 'submitVetoSignature',
        summary: "An owner's signature over the request's veto (EIP-712 v=27/28 or eth_sign v=31/32)",
        parameters: [{ name: 'id', in: 'path', required: true, description: 'request id in decimal', schema: decimal }],
        requestBody: signatureBody,
        responses: {
          '201': { description: 'stored; the updated veto', content: json(ref('VetoView')) },
          '400': errorResponse('SIGNATURE_MALFORMED, BAD_REQUEST'),
          '403': errorResponse('SIGNER_NOT_OWNER'),
          '404': errorResponse('REQUEST_NOT_FOUND'),
          '409': errorResponse('SIGNATURE_DUPLICATE, VETO_WINDOW_CLOSED, VETO_NOT_AVAILABLE'),
          '413': errorResponse('PAYLOAD_TOO_LARGE'),
          '422': errorResponse('SIGNATURE_WRONG_CHAIN, SIGNATURE_WRONG_SAFE, SIGNATURE_WRONG_NONCE, SIGNATURE_WRONG_REQUEST, SIGNER_IS_CONTRACT, NONCE_OUT_OF_RANGE'),
          '503': errorResponse('SAFE_READ_FAILED, RPC_UNAVAILABLE'),
        },
      },
    },
    '/api/requests/{id}/fulfil': {
      get: {
        operationId: 'getFulfil',
        summary: "Governance's fulfil Safe transaction of the request (when the slasher role is a Safe): typed data to sign, signatures, status",
        parameters: ID_PARAM,
        responses: {
          '200': { description: 'the fulfil proposal', content: json(ref('VetoView')) },
          '400': errorResponse('BAD_REQUEST: the id is not a decimal integer'),
          '404': errorResponse('REQUEST_NOT_FOUND; FULFIL_NOT_AVAILABLE (the slasher role is not a Safe, or no fulfil is planned for this request)'),
        },
      },
    },
    '/api/requests/{id}/fulfil/signatures': {
      post: {
        operationId: 'submitFulfilSignature',
        summary: "A governance owner's signature over the request's fulfil (EIP-712 v=27/28 or eth_sign v=31/32); the desk executes it once the window has passed",
        parameters: ID_PARAM,
        requestBody: signatureBody,
        responses: {
          '201': { description: 'stored; the updated fulfil', content: json(ref('VetoView')) },
          '400': errorResponse('SIGNATURE_MALFORMED, BAD_REQUEST'),
          '403': errorResponse('SIGNER_NOT_OWNER (e.g. a committee owner: the message names the Safe they own)'),
          '404': errorResponse('REQUEST_NOT_FOUND, FULFIL_NOT_AVAILABLE'),
          '409': errorResponse('SIGNATURE_DUPLICATE, FULFIL_CLOSED (the request is vetoed, fulfilled or lapsed, or the fulfil is settled)'),
          '413': errorResponse('PAYLOAD_TOO_LARGE'),
          '422': errorResponse('SIGNATURE_WRONG_CHAIN, SIGNATURE_WRONG_SAFE, SIGNATURE_WRONG_NONCE, SIGNATURE_WRONG_REQUEST, SIGNER_IS_CONTRACT, NONCE_OUT_OF_RANGE'),
          '503': errorResponse('SAFE_READ_FAILED, RPC_UNAVAILABLE'),
        },
      },
    },
    '/api/safe/plan': {
      get: {
        operationId: 'getSafePlan',
        summary: 'The committee Safe nonce plan: vetoes and rejections by nonce, blocked nonces explained',
        responses: {
          '200': { description: 'the plan', content: json(ref('SafePlan')) },
          '409': errorResponse('VETO_NOT_AVAILABLE'),
          '503': errorResponse('SAFE_READ_FAILED, RPC_UNAVAILABLE'),
        },
      },
    },
    '/api/safe/rejections/{nonce}': {
      get: {
        operationId: 'getRejection',
        summary: 'The rejection Safe transaction at a nonce (to = Safe, value 0, empty data), with its signatures and what it unblocks',
        parameters: [{ name: 'nonce', in: 'path', required: true, schema: { type: 'integer', minimum: 0 } }],
        responses: {
          '200': { description: 'the rejection (status collecting and no signatures until one is stored)', content: json(ref('RejectionView')) },
          '400': errorResponse('BAD_REQUEST'),
        },
      },
    },
    '/api/safe/rejections/{nonce}/signatures': {
      post: {
        operationId: 'submitRejectionSignature',
        summary: "An owner's signature over the rejection at a blocking nonce; the desk executes it at quorum",
        parameters: [{ name: 'nonce', in: 'path', required: true, schema: { type: 'integer', minimum: 0 } }],
        requestBody: otherSignatureBody(),
        responses: {
          '201': { description: 'stored; the updated rejection', content: json(ref('RejectionView')) },
          '400': errorResponse('SIGNATURE_MALFORMED, BAD_REQUEST'),
          '403': errorResponse('SIGNER_NOT_OWNER'),
          '409': errorResponse('SIGNATURE_DUPLICATE, REJECTION_NOT_NEEDED (the nonce blocks no veto with quorum, is used, or the rejection is settled)'),
          '422': errorResponse('SIGNATURE_WRONG_CHAIN, SIGNATURE_WRONG_NONCE, SIGNER_IS_CONTRACT, NONCE_OUT_OF_RANGE (beyond the last planned nonce + 5: refused before any work)'),
        },
      },
    },
    '/api/safe/batches': {
      post: {
        operationId: 'proposeBatchVeto',
        summary: "Propose one Safe transaction vetoing several requests (MultiSend) at the nonce the desk serves; it holds no nonce until signed; idempotent for the same set",
        requestBody: { required: true, content: json({ type: 'object', required: ['requestIds'], additionalProperties: false, properties: { requestIds: { type: 'array', minItems: 2, maxItems: 50, items: decimal } } }) },
        responses: {
          '201': { description: 'the batch', content: json(ref('BatchView')) },
          '400': errorResponse('BAD_REQUEST'),
          '404': errorResponse('REQUEST_NOT_FOUND'),
          '409': errorResponse('BATCH_NOT_AVAILABLE (no MultiSendCallOnly address), VETO_WINDOW_CLOSED'),
        },
      },
    },
    '/api/safe/batches/{nonce}': {
      get: {
        operationId: 'getBatchVeto',
        summary: 'The batch veto at a nonce (the most signed one there, or the one of `requestIds`), with its signatures',
        parameters: [
          { name: 'nonce', in: 'path', required: true, schema: { type: 'integer', minimum: 0 } },
          { name: 'requestIds', in: 'query', required: false, description: 'comma-separated request ids of the batch', schema: { type: 'string' } },
        ],
        responses: {
          '200': { description: 'the batch', content: json(ref('BatchView')) },
          '400': errorResponse('BAD_REQUEST'),
          '409': errorResponse('BATCH_NOT_AVAILABLE'),
        },
      },
    },
    '/api/safe/batches/{nonce}/signatures': {
      post: {
        operationId: 'submitBatchSignature',
        summary: "An owner's signature over the batch veto; the desk executes it at quorum",
        parameters: [{ name: 'nonce', in: 'path', required: true, schema: { type: 'integer', minimum: 0 } }],
        requestBody: otherSignatureBody({ requestIds: { type: 'array', minItems: 2, maxItems: 50, items: decimal, description: 'which batch at the nonce (several may be proposed there)' } }),
        responses: {
          '201': { description: 'stored; the updated batch', content: json(ref('BatchView')) },
          '400': errorResponse('SIGNATURE_MALFORMED, BAD_REQUEST'),
          '403': errorResponse('SIGNER_NOT_OWNER'),
          '409': errorResponse('SIGNATURE_DUPLICATE, BATCH_NOT_AVAILABLE'),
          '422': errorResponse('SIGNATURE_WRONG_CHAIN, SIGNATURE_WRONG_NONCE, SIGNER_IS_CONTRACT'),
        },
      },
    },
    '/api/events': {
      get: {
        operationId: 'streamEvents',
        summary: 'Server-Sent Events for the page: `health` after every ingest pass, `requests` when requests/vetoes/actions changed (re-fetch), `notes` when a note was written; `: ping` comments keep the stream open',
        responses: { '200': { description: 'an endless text/event-stream; each `data:` is JSON', content: { 'text/event-stream': { schema: { type: 'string' } } } } },
      },
    },
    '/api/siwe/nonce': {
      post: {
        operationId: 'siweNonce',
        summary: 'Start a Sign-In with Ethereum (EIP-4361): a single-use nonce, bound to this browser by an HttpOnly cookie for 10 minutes',
        responses: {
          '201': { description: 'the nonce to put in the message', content: json({ type: 'object', required: ['nonce', 'chainId', 'expiresAt'], additionalProperties: false, properties: { nonce: { type: 'string' }, chainId: { type: 'integer' }, expiresAt: { type: 'string', format: 'date-time' } } }) },
        },
      },
    },
    '/api/siwe/verify': {
      post: {
        operationId: 'siweVerify',
        summary: 'Check the signed EIP-4361 message (domain = this host, chain id, nonce, time bounds, EOA signature) and set the session cookie (HttpOnly, SameSite=Strict, 12 h)',
        requestBody: { required: true, content: json({ type: 'object', required: ['message', 'signature'], additionalProperties: false, properties: { message: { type: 'string', maxLength: 4000 }, signature: { type: 'string' } } }) },
        responses: {
          '200': { description: 'signed in', content: json(ref('SiweSession')) },
          '400': errorResponse('SIWE_MESSAGE_INVALID: not EIP-4361, another domain or chain, expired'),
          '401': errorResponse('SIWE_NONCE_INVALID (unknown, expired or used), SIWE_SIGNATURE_INVALID'),
        },
      },
    },
    '/api/siwe/me': {
      get: {
        operationId: 'siweMe',
        summary: 'Who this browser is signed in as, and whether that address is a current committee owner',
        responses: { '200': { description: 'the session (nulls when not signed in)', content: json(ref('SiweSession')) } },
      },
    },
    '/api/siwe/logout': {
      post: {
        operationId: 'siweLogout',
        summary: 'End the session',
        responses: { '204': { description: 'signed out' } },
      },
    },
    '/api/requests/{id}/notes': {
      get: {
        operationId: 'listNotes',
        summary: "The committee's decision notes and evidence links on a request, oldest first",
        parameters: ID_PARAM,
        responses: { '200': { description: 'notes', content: json(ref('NoteList')) }, '400': errorResponse('BAD_REQUEST') },
      },
      post: {
        operationId: 'addNote',
        summary: 'Write a note: needs a SIWE session of a current committee owner (read on chain now)',
        parameters: ID_PARAM,
        requestBody: { required: true, content: json({ type: 'object', required: ['body'], additionalProperties: false, properties: { body: { type: 'string', minLength: 1, maxLength: 4000 }, links: { type: 'array', maxItems: 10, items: { type: 'string', description: 'http(s) URL' } } } }) },
        responses: {
          '201': { description: 'stored', content: json(ref('Note')) },
          '400': errorResponse('NOTE_INVALID, BAD_REQUEST'),
          '401': errorResponse('NOT_SIGNED_IN'),
          '403': errorResponse('NOT_AN_OWNER'),
          '404': errorResponse('REQUEST_NOT_FOUND'),
          '503': errorResponse('SAFE_READ_FAILED'),
        },
      },
    },
    '/api/requests/{id}/timeline': {
      get: {
        operationId: 'getTimeline',
        summary: 'Everything that happened to a request, oldest first: queued, veto proposal and signatures (with source), re-plans, executions, cancel/fulfil, desk actions, alerts and their deliveries',
        parameters: ID_PARAM,
        responses: { '200': { description: 'the timeline', content: json(ref('Timeline')) }, '400': errorResponse('BAD_REQUEST'), '404': errorResponse('REQUEST_NOT_FOUND') },
      },
    },
    '/api/requests/{id}/veto/execution': {
      get: {
        operationId: 'getVetoExecution',
        summary: "The execTransaction call that executes the request's veto (threshold met), for a member to send from their wallet",
        parameters: ID_PARAM,
        responses: {
          '200': { description: 'the call', content: json(ref('SafeExecutionCall')) },
          '409': errorResponse('VETO_NOT_AVAILABLE (none, executed, failed), SAFE_TX_NOT_READY (below threshold, or a lower nonce first)'),
          '503': errorResponse('SAFE_READ_FAILED'),
        },
      },
    },
    '/api/requests/{id}/fulfil/execution': {
      get: {
        operationId: 'getFulfilExecution',
        summary: "The execTransaction call that executes governance's fulfil Safe transaction (threshold met), when the slasher role is a Safe",
        parameters: ID_PARAM,
        responses: {
          '200': { description: 'the call', content: json(ref('SafeExecutionCall')) },
          '404': errorResponse('FULFIL_NOT_AVAILABLE'),
          '409': errorResponse('SAFE_TX_NOT_READY'),
          '503': errorResponse('SAFE_READ_FAILED'),
        },
      },
    },
    '/api/strategies': {
      get: {
        operationId: 'getStrategyTokens',
        summary: "Each strategy's underlying token and ERC-20 symbol, when readable (cached)",
        parameters: [{ name: 'address', in: 'query', required: true, description: '1 to 50 strategy addresses, comma-separated', schema: { type: 'string' } }],
        responses: { '200': { description: 'tokens', content: json(ref('StrategyTokens')) }, '400': errorResponse('BAD_REQUEST') },
      },
    },
    '/api/dev/accounts': {
      get: {
        operationId: 'getDevAccounts',
        summary: "Embedded devnet only: the seeded committee owners' public anvil keys for the page's dev signer",
        responses: { '200': { description: 'the dev accounts', content: json(ref('DevAccounts')) }, '404': errorResponse('NOT_FOUND: not the embedded devnet') },
      },
    },
    '/api/dev/operators': {
      get: {
        operationId: 'getDevOperators',
        summary: 'Embedded devnet only: the seeded operators a practice request may name (the first is the default)',
        responses: { '200': { description: 'the operators', content: json(ref('DevOperators')) }, '404': errorResponse('NOT_FOUND: not the embedded devnet') },
      },
    },
    '/api/dev/requests': {
      post: {
        operationId: 'queueDevRequest',
        summary: "Embedded devnet only: queue a practice slashing request, sent by the devnet's keeper (the slasher role) and mined before the answer",
        requestBody: { required: false, content: json(ref('DevRequestInput')) },
        responses: {
          '201': { description: 'queued', content: json(ref('DevRequestQueued')) },
          '400': errorResponse('BAD_REQUEST: unknown field, wrong type, percent outside 1–100, description over 500 characters, or an operator the devnet does not have'),
          '404': errorResponse('NOT_FOUND: not the embedded devnet'),
        },
      },
    },
    '/api/openapi.json': {
      get: {
        operationId: 'getOpenApi',
        summary: 'This document',
        responses: {
          '200': { description: 'OpenAPI 3.1 document', content: json({ type: 'object' }) },
        },
      },
    },
    '/metrics': {
      get: {
        operationId: 'getMetrics',
        summary: 'Prometheus metrics (vetodesk_*)',
        responses: {
          '200': {
            description: 'Prometheus text exposition format',
            content: { 'text/plain': { schema: { type: 'string' } } },
          },
        },
      },
    },
  },
  components: { schemas },
} as const;
