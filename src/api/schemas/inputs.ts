/**
 * What the routes accept — bodies and queries — as the zod schemas the routes validate with; the
 * OpenAPI document describes the same schemas (as input: defaults optional), so the two cannot
 * drift. Checks JSON Schema cannot say (a link is a URL with a host) stay here as refinements.
 */
import { z } from 'zod';
import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT } from '../../requests/paging';
import { requestStatusSchema } from '../../requests/schemas';

export const requestIdInputSchema = z.string().regex(/^\d{1,78}$/).describe('request id in decimal (uint256)');
const looseAddress = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'must be a 0x-prefixed 20-byte address');
const hashInput = z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'must be 0x and 64 hex digits');
const signatureInput = z.string().max(200).describe('65-byte hex, 0x-prefixed (EIP-712 v=27/28 or eth_sign v=31/32)');
const sourceInput = z.enum(['http', 'cli']).optional().describe('who submitted: `cli` from `npm run cli -- sign`, else `http`');
const batchIds = z.array(requestIdInputSchema).min(2).max(50);

/** `POST /api/requests/:id/veto/signatures`, `…/fulfil/signatures` */
export const signatureInputSchema = z
  .strictObject({
    signature: signatureInput,
    source: sourceInput,
    safe: looseAddress.optional().describe('the Safe the signer believes they signed for (sharper diagnosis)'),
    safeTxHash: hashInput
      .optional()
      .describe("the safeTxHash the owner signed; names the nonce at once (any nonce from the Safe's up to the last planned + 5). Without it, the nonce the desk serves now or one this request is already signed at"),
  })
  .meta({ id: 'SignatureInput' });

/** `POST /api/safe/rejections/:nonce/signatures`, `POST /api/safe/batches/:nonce/signatures` */
export const safeSignatureInputSchema = z
  .strictObject({
    signature: signatureInput,
    source: sourceInput,
    safeTxHash: hashInput.optional().describe('what the owner signed (refused when it differs)'),
    requestIds: batchIds.optional().describe('batch: which batch at the nonce (several may be proposed there); ignored for a rejection'),
  })
  .meta({ id: 'SafeSignatureInput' });

/** `POST /api/safe/batches` */
export const batchProposalInputSchema = z.strictObject({ requestIds: batchIds }).meta({ id: 'BatchProposalInput' });

export const NOTE_MAX_CHARS = 4000;
export const NOTE_MAX_LINKS = 10;
const LINK_MAX_CHARS = 2000;

const isWebUrl = (s: string): boolean => {
  try {
    const u = new URL(s);
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.hostname !== '';
  } catch {
    return false;
  }
};

/** `POST /api/requests/:id/notes` */
export const noteInputSchema = z
  .strictObject({
    body: z.string().trim().min(1, 'body is empty').max(NOTE_MAX_CHARS, `body is longer than ${NOTE_MAX_CHARS} characters`),
    links: z
      .array(z.string().trim().max(LINK_MAX_CHARS, `a link is longer than ${LINK_MAX_CHARS} characters`).refine(isWebUrl, 'links must be http(s) URLs').describe('http(s) URL'))
      .max(NOTE_MAX_LINKS, `at most ${NOTE_MAX_LINKS} links`)
      .default([]),
  })
  .meta({ id: 'NoteInput' });

/** `POST /api/siwe/verify` */
export const siweVerifyInputSchema = z
  .strictObject({
    message: z.string().min(1).max(4000).describe('the EIP-4361 text'),
    signature: z.string().regex(/^0x[0-9a-fA-F]*$/, 'hex signature').max(2 + 2 * 1024),
  })
  .meta({ id: 'SiweVerifyInput' });

export const DEV_DESCRIPTION_MAX_CHARS = 500;

/** `POST /api/dev/requests` */
export const devRequestInputSchema = z
  .strictObject({
    operator: looseAddress.optional().describe('one of GET /api/dev/operators; default the first'),
    percent: z.number().min(1, 'must be at least 1').max(100, 'must be at most 100').optional().describe('percent of each strategy to slash; default 10'),
    description: z.string().max(DEV_DESCRIPTION_MAX_CHARS, `must be at most ${DEV_DESCRIPTION_MAX_CHARS} characters`).optional(),
  })
  .meta({ id: 'DevRequestInput' });

// ── queries ──

/** `GET /api/alerts` */
export const alertsQuerySchema = z.object({
  state: z.enum(['pending', 'delivered', 'failed']).optional().describe('alerts with a delivery in this state'),
  kind: z.string().regex(/^[a-z0-9_]{1,64}$/).optional(),
  requestId: z.string().regex(/^\d{1,78}$/).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

/** `GET /api/requests?status=`: repeat the parameter or separate values with commas */
export const statusQuerySchema = z.array(requestStatusSchema);

/** `GET /api/requests` besides `status`: the page (`limit`, `cursor`) and its order (`sort`). */
export const requestsQuerySchema = z.object({
  sort: z.enum(['impact']).optional().describe('impact: largest slash first where one token allows comparing; absent: open requests first, then by deadline'),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_LIMIT).default(DEFAULT_PAGE_LIMIT).describe(`requests per page (default ${DEFAULT_PAGE_LIMIT}, at most ${MAX_PAGE_LIMIT})`),
  cursor: z.string().min(1).max(200).optional().describe('the nextCursor of the previous page'),
});

/** `GET /api/strategies?address=` */
export const strategiesQuerySchema = z.object({ address: z.string().describe('1 to 50 strategy addresses, comma-separated') });

/** `GET /api/safe/batches/:nonce?requestIds=` */
export const batchQuerySchema = z.object({ requestIds: z.string().optional().describe('comma-separated request ids of the batch (up to 50)') });

/** `GET /api/requests/:id/veto?nonce=` */
export const vetoQuerySchema = z.object({ nonce: z.string().regex(/^\d{1,12}$/).optional().describe('the same veto at this Safe nonce (the ways out of a blocked nonce point here)') });

export const nonceParamSchema = z.string().regex(/^\d{1,12}$/).describe('Safe nonce in decimal');
