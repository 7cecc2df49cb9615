/**
 * One error type for the whole desk. Every failure that can reach a person carries a stable
 * `code` (returned as-is by the API as `{ error: { code, message } }`), an HTTP status for the
 * API, and whether retrying the same operation may succeed.
 */
export type ErrorCode =
  | 'CONFIG_INVALID'
  | 'BAD_REQUEST'
  | 'NOT_FOUND'
  | 'REQUEST_NOT_FOUND'
  | 'INVALID_STATUS_FILTER'
  | 'PAYLOAD_TOO_LARGE'
  | 'RPC_UNAVAILABLE'
  | 'RPC_RESPONSE_TOO_LARGE'
  | 'RPC_RANGE_TOO_LARGE'
  | 'CHAIN_ID_MISMATCH'
  | 'SLASHER_NOT_A_CONTRACT'
  | 'VARIANT_UNKNOWN'
  | 'REORG_TOO_DEEP'
  | 'INGEST_CONFLICT'
  | 'LOG_MALFORMED'
  | 'DATABASE_ERROR'
  | 'MIGRATION_FAILED'
  | 'DEVNET_FAILED'
  | 'PORT_IN_USE'
  // ── safe ──
  | 'SIGNATURE_MALFORMED'
  | 'SIGNER_NOT_OWNER'
  | 'SIGNER_IS_CONTRACT'
  | 'SIGNATURE_DUPLICATE'
  | 'SIGNATURE_WRONG_CHAIN'
  | 'SIGNATURE_WRONG_SAFE'
  | 'SIGNATURE_WRONG_NONCE'
  | 'SIGNATURE_WRONG_REQUEST'
  | 'VETO_WINDOW_CLOSED'
  | 'VETO_NOT_AVAILABLE'
  | 'REJECTION_NOT_NEEDED'
  | 'BATCH_NOT_AVAILABLE'
  | 'BATCH_AMBIGUOUS'
  | 'FULFIL_NOT_AVAILABLE'
  | 'FULFIL_CLOSED'
  | 'SAFE_READ_FAILED'
  | 'NONCE_OUT_OF_RANGE'
  | 'TX_SERVICE_ERROR'
  // ── web UI ──
  | 'NOT_SIGNED_IN'
  | 'NOT_AN_OWNER'
  | 'SIWE_MESSAGE_INVALID'
  | 'SIWE_NONCE_INVALID'
  | 'SIWE_SIGNATURE_INVALID'
  | 'NOTE_INVALID'
  | 'SAFE_TX_NOT_READY'
  // ── security ──
  | 'RATE_LIMITED'
  | 'SERVICE_BUSY'
  | 'CROSS_ORIGIN'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'REQUEST_HEADERS_TOO_LARGE'
  | 'REQUEST_TIMEOUT'
  | 'KEYSTORE_INVALID'
  | 'KEYSTORE_PASSWORD_WRONG'
  | 'INTERNAL';

export interface DeskErrorOptions {
  details?: string;
  cause?: unknown;
  retryable?: boolean;
  httpStatus?: number;
}

const DEFAULT_HTTP: Partial<Record<ErrorCode, number>> = {
  BAD_REQUEST: 400,
  INVALID_STATUS_FILTER: 400,
  NOT_FOUND: 404,
  REQUEST_NOT_FOUND: 404,
  PAYLOAD_TOO_LARGE: 413,
  SIGNATURE_MALFORMED: 400,
  SIGNER_NOT_OWNER: 403,
  SIGNER_IS_CONTRACT: 422,
  SIGNATURE_DUPLICATE: 409,
  SIGNATURE_WRONG_CHAIN: 422,
  SIGNATURE_WRONG_SAFE: 422,
  SIGNATURE_WRONG_NONCE: 422,
  SIGNATURE_WRONG_REQUEST: 422,
  VETO_WINDOW_CLOSED: 409,
  VETO_NOT_AVAILABLE: 409,
  REJECTION_NOT_NEEDED: 409,
  BATCH_NOT_AVAILABLE: 409,
  BATCH_AMBIGUOUS: 409,
  FULFIL_NOT_AVAILABLE: 404,
  FULFIL_CLOSED: 409,
  SAFE_READ_FAILED: 503,
  NONCE_OUT_OF_RANGE: 422,
  TX_SERVICE_ERROR: 502,
  NOT_SIGNED_IN: 401,
  NOT_AN_OWNER: 403,
  SIWE_MESSAGE_INVALID: 400,
  SIWE_NONCE_INVALID: 401,
  SIWE_SIGNATURE_INVALID: 401,
  NOTE_INVALID: 400,
  SAFE_TX_NOT_READY: 409,
  RPC_UNAVAILABLE: 503,
  DATABASE_ERROR: 503,
  RATE_LIMITED: 429,
  CROSS_ORIGIN: 403,
  UNSUPPORTED_MEDIA_TYPE: 415,
  REQUEST_HEADERS_TOO_LARGE: 431,
  REQUEST_TIMEOUT: 408,
  SERVICE_BUSY: 503,
  KEYSTORE_INVALID: 400,
  KEYSTORE_PASSWORD_WRONG: 401,
};

export class DeskError extends Error {
  override name = 'DeskError';
  readonly code: ErrorCode;
  readonly details?: string;
  readonly retryable: boolean;
  readonly httpStatus: number;

  constructor(code: ErrorCode, message: string, options: DeskErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details;
    this.retryable = options.retryable ?? false;
    this.httpStatus = options.httpStatus ?? DEFAULT_HTTP[code] ?? 500;
  }
}

export function isDeskError(e: unknown, code?: ErrorCode): e is DeskError {
  return e instanceof DeskError && (code === undefined || e.code === code);
}

/** Short human text for any thrown value, walking the cause chain once. */
export function describeError(e: unknown): string {
  if (e instanceof Error) {
    const cause = e.cause instanceof Error ? `: ${e.cause.message.split('\n')[0]}` : '';
    return `${e.message.split('\n')[0]}${cause}`;
  }
  return String(e);
}
