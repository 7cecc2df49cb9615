/**
 * What the HTTP API returns besides the request views (`src/requests/schemas.ts`): health and
 * errors, as zod schemas; the types in `../views.ts` are inferred from them.
 */
import { z } from 'zod';
import { isoTimeSchema } from '../../requests/schemas';

const nullableInt = z.number().int().nullable();

export const safeExecutionViewSchema = z
  .object({
    executor: z.string().nullable(),
    sends: z.boolean(),
    safe: z.string(),
    owners: z.array(z.string()),
    threshold: nullableInt,
    nonce: nullableInt,
    note: z.string().optional(),
    lastError: z.string().optional(),
    txService: z.object({ url: z.string(), lastError: z.string().nullable() }).optional(),
  })
  .meta({ id: 'SafeExecution', description: "a Safe desk's execution facts: who sends execTransaction (executor null = the desk never sends) and what it last read of the Safe" });

export const rpcHealthViewSchema = z
  .object({
    reachable: z.boolean().describe('false when no endpoint answered its last call'),
    endpoint: z.string().nullable().describe('the endpoint in trouble, else the one that answered last'),
    unreachableSince: isoTimeSchema.nullable().describe('since when no endpoint answers; null while one does'),
    lastHeadAt: isoTimeSchema.nullable().describe('when the desk last read the head'),
    endpoints: z.array(z.object({ url: z.string(), reachable: z.boolean().nullable(), unreachableSince: z.string().nullable(), lastError: z.string().nullable() })),
  })
  .meta({ id: 'RpcHealth', description: 'the RPC as the desk last found it (URLs redacted); while it does not answer, lagBlocks grows with the time since lastHeadAt' });

export const healthViewSchema = z
  .object({
    status: z.enum(['ok', 'degraded', 'starting', 'error']),
    chainId: nullableInt,
    headBlock: nullableInt,
    indexedBlock: nullableInt,
    lagBlocks: nullableInt,
    variant: z.string().nullable().optional(),
    slasher: z.string().optional(),
    database: z.enum(['sqlite', 'postgresql']).optional(),
    problems: z.array(z.string()).optional(),
    vetoExecution: safeExecutionViewSchema.optional().describe('veto execution: who sends execTransaction; executor null = the desk never sends'),
    fulfilExecution: safeExecutionViewSchema.optional().describe("governance's fulfil Safe (the slasher role); `note` says why it is off (an EOA role)"),
    scheduler: z
      .object({
        lease: z.object({ holder: z.boolean(), id: z.string(), lastError: z.string().nullable() }),
        sends: z.boolean(),
        slasherAccount: z.string().nullable(),
        dryRun: z.boolean(),
        lastError: z.string().nullable(),
      })
      .optional()
      .describe('the deadline timers: the single-actor lease, whether the desk sends'),
    rpc: rpcHealthViewSchema.optional(),
    alertChannels: z.array(z.string()).optional().describe('the alert channels configured (names); empty: alerts are recorded, nobody is told'),
  })
  .meta({ id: 'HealthView' });

export const errorViewSchema = z
  .object({
    error: z.object({
      code: z.string().describe('stable machine-readable code, e.g. BAD_REQUEST, REQUEST_NOT_FOUND, SIGNER_NOT_OWNER (see src/errors.ts)'),
      message: z.string(),
    }),
  })
  .meta({ id: 'Error' });

