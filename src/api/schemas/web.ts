/**
 * The shapes of the page's own routes — alerts, notes, timeline, sign-in, token symbols,
 * execution calls, the devnet's practice routes — as zod schemas: the source of their types, of
 * the OpenAPI document and of the web page's types.
 */
import { z } from 'zod';
import { addressSchema, blockSchema, countSchema, decimalSchema, hash32Schema, hexDataSchema, isoTimeSchema } from '../../requests/schemas';

// ── alerts ──

export const deliveryStateSchema = z.enum(['pending', 'delivered', 'failed']);

export const alertDeliverySchema = z
  .object({
    channel: z.string(),
    state: deliveryStateSchema,
    attempts: countSchema,
    nextAttemptAt: isoTimeSchema.nullable().describe('while pending: the next attempt'),
    lastError: z.string().nullable(),
    deliveredAt: isoTimeSchema.nullable(),
    latencyMs: z.number().int().nullable().describe('deliveredAt − seenAt'),
  })
  .meta({ id: 'AlertDelivery' });

export const alertItemSchema = z
  .object({
    id: z.string(),
    dedupKey: z.string(),
    kind: z.string().describe('see README "Alerts" for every kind'),
    severity: z.string().describe('info | warning | critical'),
    action: z.string().describe('trigger | resolve'),
    requestId: decimalSchema.optional().describe('absent for desk-health alerts'),
    title: z.string(),
    seenAt: isoTimeSchema.describe('when the desk saw what the alert is about'),
    createdAt: isoTimeSchema,
    deliveries: z.array(alertDeliverySchema),
  })
  .meta({ id: 'AlertItem' });

export const alertListSchema = z.object({ alerts: z.array(alertItemSchema).describe('newest first') }).meta({ id: 'AlertList' });

// ── notes ──

export const noteViewSchema = z
  .object({
    id: z.number().int(),
    requestId: decimalSchema,
    author: addressSchema.describe('the committee owner who wrote it (signed in with Ethereum)'),
    body: z.string(),
    links: z.array(z.string().describe('http(s) evidence link')),
    createdAt: isoTimeSchema,
  })
  .meta({ id: 'Note' });

export const noteListSchema = z.object({ notes: z.array(noteViewSchema).describe('oldest first') }).meta({ id: 'NoteList' });

// ── timeline ──

export const timelineEntrySchema = z
  .object({
    kind: z.enum(['queued', 'proposal', 'superseded', 'signature', 'executed', 'execution_failed', 'cancelled', 'fulfilled', 'action', 'alert']),
    subject: z.enum(['veto', 'fulfil']).optional().describe('which Safe transaction a proposal/signature/execution entry belongs to'),
    title: z.string(),
    detail: z.string().nullable(),
    at: isoTimeSchema.nullable().describe('null when unknown'),
    estimated: z.boolean().describe('true when `at` is derived from the observed block time'),
    block: z.number().int().nullable(),
    txHash: z.string().nullable(),
    actor: z.string().nullable().describe('signer of a signature'),
    source: z.string().nullable().describe('signature source: http | cli | tx-service'),
  })
  .meta({ id: 'TimelineEntry' });

export const timelineViewSchema = z.object({ requestId: decimalSchema, entries: z.array(timelineEntrySchema).describe('oldest first') }).meta({ id: 'Timeline' });

// ── sign-in ──

export const siweNonceSchema = z.object({ nonce: z.string(), chainId: z.number().int(), expiresAt: isoTimeSchema }).meta({ id: 'SiweNonce' });

export const siweSessionSchema = z
  .object({
    address: addressSchema.nullable().describe('checksummed address proven by the EIP-4361 signature'),
    owner: z.boolean().nullable().describe('a current owner of the committee Safe (read on chain); null when the Safe cannot be read'),
    expiresAt: isoTimeSchema.nullable(),
  })
  .meta({ id: 'SiweSession', description: 'the signed-in member; all null when not signed in' });

// ── token symbols, execution calls ──

export const strategyTokenSchema = z.object({
  strategy: addressSchema,
  token: addressSchema.nullable().describe('underlyingToken(); null when not readable, or when no stored request names the strategy (not read then)'),
  symbol: z.string().nullable().describe('ERC-20 symbol(); null when not readable, or when no stored request names the strategy (not read then)'),
});

export const strategyTokensSchema = z.object({ strategies: z.array(strategyTokenSchema) }).meta({ id: 'StrategyTokens' });

export const safeExecutionCallSchema = z
  .object({
    safe: addressSchema,
    nonce: countSchema,
    safeTxHash: hash32Schema,
    threshold: z.number().int().min(1),
    signers: z.array(addressSchema).describe('the owners whose signatures are packed, ascending (the Safe\'s order)'),
    to: addressSchema,
    value: z.literal('0'),
    data: hexDataSchema,
  })
  .meta({ id: 'SafeExecutionCall', description: 'the transaction a member sends from their wallet to execute a Safe transaction whose threshold is met: to = the Safe, data = execTransaction(…) with the packed owner signatures' });

// ── the embedded devnet ──

export const devAccountSchema = z.object({ label: z.string(), address: addressSchema, privateKey: hash32Schema });

export const devAccountsSchema = z
  .object({ devnet: z.literal(true), warning: z.string(), accounts: z.array(devAccountSchema) })
  .meta({ id: 'DevAccounts' });

export const devOperatorsSchema = z.object({ operators: z.array(addressSchema) }).meta({ id: 'DevOperators' });

export const devRequestQueuedSchema = z.object({ requestId: decimalSchema, txHash: hash32Schema, block: blockSchema }).meta({ id: 'DevRequestQueued' });
