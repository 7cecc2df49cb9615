/**
 * The parts of the desk's answers the command line reads, parsed with zod (unknown fields are
 * dropped, missing or mistyped ones are an off-schema answer). The desk's own shapes live in
 * src/api/views.ts and src/safe/*View; these follow them loosely so an additive change there
 * does not break the CLI.
 */
import { z } from 'zod';

const hex = z.string().regex(/^0x[0-9a-fA-F]*$/);
const nullableNumber = z.number().nullable();

const executionSchema = z.object({
  executor: z.string().nullable().optional(),
  sends: z.boolean().optional(),
  safe: z.string().optional(),
  owners: z.array(z.string()).optional(),
  threshold: nullableNumber.optional(),
  nonce: nullableNumber.optional(),
  note: z.string().optional(),
  lastError: z.string().optional(),
});

export const healthSchema = z.object({
  status: z.string(),
  chainId: nullableNumber,
  headBlock: nullableNumber,
  indexedBlock: nullableNumber.optional(),
  lagBlocks: nullableNumber.optional(),
  variant: z.string().nullable().optional(),
  slasher: z.string().optional(),
  problems: z.array(z.string()).optional(),
  vetoExecution: executionSchema.optional(),
  fulfilExecution: executionSchema.optional(),
});
export type HealthAnswer = z.infer<typeof healthSchema>;

export const proposalSchema = z.object({
  safe: hex,
  nonce: z.number().int().nonnegative(),
  safeTxHash: hex,
  /** parsed field by field by the CLI's comparison, not here */
  typedData: z.unknown(),
  threshold: z.number(),
  signatures: z.array(z.object({ signer: z.string(), source: z.string().optional(), stale: z.string().optional() })),
  status: z.string(),
  statusReason: z.string().nullable().optional(),
  executionTxHash: z.string().nullable().optional(),
  blockedByNonce: nullableNumber.optional(),
});
export type ProposalAnswer = z.infer<typeof proposalSchema>;

const nextActionSchema = z.object({
  kind: z.string(),
  actor: z.string(),
  dueBlock: nullableNumber,
  dueAt: z.string().nullable().optional(),
  estimated: z.boolean().optional(),
  note: z.string().nullable().optional(),
  dryRun: z.boolean().optional(),
});

export const requestSchema = z.object({
  requestId: z.string(),
  slasher: hex,
  variant: z.string(),
  operator: hex,
  operatorSetId: z.number(),
  strategies: z.array(hex).nullable(),
  wadsToSlash: z.array(z.string()),
  description: z.string(),
  queuedAtBlock: z.number(),
  status: z.string(),
  vetoWindowEnd: z.object({ block: z.number().optional(), timestamp: z.number().optional(), estimatedAt: z.string().nullable().optional(), estimated: z.boolean().optional() }),
  lastUsefulBlock: nullableNumber,
  lastUsefulBlockEstimatedAt: z.string().nullable().optional(),
  atRisk: z.boolean(),
  confirmed: z.boolean().optional(),
  veto: proposalSchema.optional(),
  fulfil: proposalSchema.optional(),
  nextAction: nextActionSchema.nullable().optional(),
  actions: z.array(z.object({ kind: z.string(), detail: z.string().optional() })).optional(),
});
export type RequestAnswer = z.infer<typeof requestSchema>;

export const requestListSchema = z.object({ requests: z.array(requestSchema), nextCursor: z.string().nullable().optional() });

export const planSchema = z.object({
  safe: hex,
  safeNonce: z.number(),
  threshold: z.number(),
  entries: z.array(
    z.object({
      nonce: z.number(),
      kind: z.string(),
      requestId: z.string().nullable(),
      requestIds: z.array(z.string()).optional(),
      status: z.string(),
      signatures: z.number(),
      safeTxHash: hex,
    }),
  ),
  blocked: z.array(z.object({ nonce: z.number(), blockingRequestId: z.string().nullable(), waiting: z.array(z.string()), explanation: z.string(), rejection: z.string().optional() })),
});
export type PlanAnswer = z.infer<typeof planSchema>;

export const rejectionSchema = proposalSchema.omit({ blockedByNonce: true }).extend({
  blocking: z.object({ requestId: z.string(), status: z.string(), signatures: z.number() }).nullable().optional(),
  unblocks: z.array(z.string()).optional(),
});
export type RejectionAnswer = z.infer<typeof rejectionSchema>;

/** `POST /api/dev/requests` → 201 */
export const devQueuedSchema = z.object({ requestId: z.union([z.string(), z.number()]).transform(String), txHash: hex, block: z.number() });
