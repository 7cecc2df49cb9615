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
      strategies: { type: 'array', items: address },
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
          'strategies',
        ],
        additionalProperties: false,
        properties: {
          blockTimeSeconds: { type: 'number' },
          blocksUntilWindowEnd: nullable('integer'),
          blocksUntilLastUseful: nullable('integer'),
          registrationBound: nullable('integer'),
          strategies: { type: 'array', items: ref('StrategyDeadline') },
        },
      },
      cancelled: chainEvent,
      fulfilled: chainEvent,
      overwritten: { type: 'boolean', description: 'V4: a later request reused this id' },
    },
  },
  RequestList: {
    type: 'object',
    required: ['requests'],
    additionalProperties: false,
    properties: { requests: { type: 'array', items: ref('RequestView') } },
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
            ],
          },
          message: { type: 'string' },
        },
      },
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
        ],
        responses: {
          '200': { description: 'matching requests', content: json(ref('RequestList')) },
          '400': errorResponse('INVALID_STATUS_FILTER: unknown status value'),
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
