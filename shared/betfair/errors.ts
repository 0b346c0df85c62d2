import { AppError, type ErrorKind } from '../platform/errors.js';
import { type ApingException, type JsonRpcError, JSON_RPC_ERROR_CODES } from './protocol.js';

/** The AppError codes this module throws. */
export const BETFAIR_ERROR_CODES = [
  'BETFAIR.SESSION', // log in again: the session or app key is missing, wrong or expired
  'BETFAIR.THROTTLED', // too many requests; back off
  'BETFAIR.TOO_MUCH_DATA', // a request over the weight or size limits: our batching is wrong
  'BETFAIR.TRANSIENT', // busy, timed out, unreachable or 5xx; try again
  'BETFAIR.BAD_REQUEST', // Betfair rejected what we asked for
  'BETFAIR.ACCESS_DENIED', // the account or app key may not use this operation
  'BETFAIR.BAD_RESPONSE', // an answer we cannot read
  'BETFAIR.API_ERROR', // an error code this client does not know
] as const;
export type BetfairErrorCode = (typeof BETFAIR_ERROR_CODES)[number];

declare module '../platform/errors.js' {
  interface ErrorCodes {
    betfair: BetfairErrorCode;
  }
}

const KINDS: Readonly<Record<BetfairErrorCode, ErrorKind>> = {
  'BETFAIR.SESSION': 'invalid',
  'BETFAIR.THROTTLED': 'unavailable',
  'BETFAIR.TOO_MUCH_DATA': 'internal',
  'BETFAIR.TRANSIENT': 'unavailable',
  'BETFAIR.BAD_REQUEST': 'invalid',
  'BETFAIR.ACCESS_DENIED': 'invalid',
  'BETFAIR.BAD_RESPONSE': 'internal',
  'BETFAIR.API_ERROR': 'internal',
};

/** What Betfair said, kept apart from the message so callers can branch on it. */
export interface BetfairErrorDetails {
  /** Betfair's own code: an APINGException code, keep-alive error, `HTTP_503`, `TIMEOUT`… */
  betfairCode?: string;
  /** The operation that failed, e.g. `listMarketBook` or `keepAlive`. */
  operation?: string;
  requestUUID?: string;
}

/** A failed Betfair call. Never carries the app key or session token. */
export class BetfairError extends AppError {
  declare readonly code: BetfairErrorCode;
  /** True when only a new session token (or a fixed app key) can make the call succeed. */
  readonly needsNewSession: boolean;
  readonly betfairCode: string | undefined;
  readonly operation: string | undefined;
  readonly requestUUID: string | undefined;

  constructor(
    code: BetfairErrorCode,
    kind: ErrorKind,
    message: string,
    details: BetfairErrorDetails = {},
    options?: { cause?: unknown },
  ) {
    super(code, kind, message, options);
    this.needsNewSession = code === 'BETFAIR.SESSION';
    this.betfairCode = details.betfairCode;
    this.operation = details.operation;
    this.requestUUID = details.requestUUID;
  }
}

/** Builds a BetfairError whose kind follows from its code. */
export function betfairError(
  code: BetfairErrorCode,
  message: string,
  details: BetfairErrorDetails = {},
  options?: { cause?: unknown },
): BetfairError {
  return new BetfairError(code, KINDS[code], message, details, options);
}

const APING_CODES: Readonly<Record<string, BetfairErrorCode>> = {
  INVALID_SESSION_INFORMATION: 'BETFAIR.SESSION',
  NO_SESSION: 'BETFAIR.SESSION',
  INVALID_APP_KEY: 'BETFAIR.SESSION',
  NO_APP_KEY: 'BETFAIR.SESSION',
  TOO_MANY_REQUESTS: 'BETFAIR.THROTTLED',
  TOO_MUCH_DATA: 'BETFAIR.TOO_MUCH_DATA',
  REQUEST_SIZE_EXCEEDS_LIMIT: 'BETFAIR.TOO_MUCH_DATA',
  SERVICE_BUSY: 'BETFAIR.TRANSIENT',
  TIMEOUT_ERROR: 'BETFAIR.TRANSIENT',
  UNEXPECTED_ERROR: 'BETFAIR.TRANSIENT',
  INVALID_INPUT_DATA: 'BETFAIR.BAD_REQUEST',
  ACCESS_DENIED: 'BETFAIR.ACCESS_DENIED',
};

const RPC_CODES: Readonly<Record<number, BetfairErrorCode>> = {
  [JSON_RPC_ERROR_CODES.parseError]: 'BETFAIR.BAD_REQUEST',
  [JSON_RPC_ERROR_CODES.methodNotFound]: 'BETFAIR.BAD_REQUEST',
  [JSON_RPC_ERROR_CODES.invalidParams]: 'BETFAIR.BAD_REQUEST',
};

/** Maps an APINGException to a BetfairError. */
export function fromApingException(exception: ApingException, operation: string): BetfairError {
  const code = APING_CODES[exception.errorCode] ?? 'BETFAIR.API_ERROR';
  const detail = exception.errorDetails ? `: ${exception.errorDetails}` : '';
  return betfairError(
    code,
    `${operation} failed with ${exception.errorCode}${detail}${advice(code)}`,
    {
      betfairCode: exception.errorCode,
      operation,
      requestUUID: exception.requestUUID,
    },
  );
}

/** Maps a JSON-RPC `error` member, preferring the APINGException inside it. */
export function fromJsonRpcError(error: JsonRpcError, operation: string): BetfairError {
  const exception = error.data?.APINGException;
  if (exception) return fromApingException(exception, operation);
  const code = RPC_CODES[error.code] ?? 'BETFAIR.API_ERROR';
  return betfairError(
    code,
    `${operation} failed with JSON-RPC error ${error.code}: ${error.message}`,
    {
      betfairCode: String(error.code),
      operation,
    },
  );
}

/** Maps an HTTP status that came without a readable JSON-RPC error. */
export function fromHttpStatus(status: number, operation: string): BetfairError {
  const code: BetfairErrorCode =
    status === 429
      ? 'BETFAIR.THROTTLED'
      : status === 401 || status === 403
        ? 'BETFAIR.SESSION'
        : status >= 400 && status < 500
          ? 'BETFAIR.BAD_REQUEST'
          : 'BETFAIR.TRANSIENT';
  return betfairError(code, `${operation} failed with HTTP ${status}${advice(code)}`, {
    betfairCode: `HTTP_${status}`,
    operation,
  });
}

/** Maps a keepAlive FAIL; only the identity service's INTERNAL_ERROR is worth retrying. */
export function fromKeepAliveFailure(error: string): BetfairError {
  const code: BetfairErrorCode =
    error === 'INTERNAL_ERROR' ? 'BETFAIR.TRANSIENT' : 'BETFAIR.SESSION';
  const reason = error || 'no reason given';
  return betfairError(code, `keepAlive failed with ${reason}${advice(code)}`, {
    betfairCode: error || undefined,
    operation: 'keepAlive',
  });
}

/** Whether retrying the same request later can help. */
export function isRetryable(error: unknown): boolean {
  return (
    error instanceof BetfairError &&
    (error.code === 'BETFAIR.TRANSIENT' || error.code === 'BETFAIR.THROTTLED')
  );
}

function advice(code: BetfairErrorCode): string {
  if (code === 'BETFAIR.SESSION') return '; a new session token (or a valid app key) is needed';
  if (code === 'BETFAIR.TOO_MUCH_DATA') return '; the request was planned over Betfair limits';
  return '';
}
