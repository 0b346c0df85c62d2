import { AppError, type ErrorKind } from '../platform/errors.js';
import { APING_ERROR_CODES, type ApingErrorCode, JSON_RPC_ERROR_CODES } from './protocol.js';

/** The ANGX number Betfair reports for each APINGException code: its place in APING_ERROR_CODES. */
export const ANGX_NUMBERS: Readonly<Record<ApingErrorCode, number>> = Object.fromEntries(
  APING_ERROR_CODES.map((code, index) => [code, index + 1]),
) as Record<ApingErrorCode, number>;

declare module '../platform/errors.js' {
  interface ErrorCodes {
    aping: `APING.${ApingErrorCode}`;
  }
}

const TRANSIENT: ReadonlySet<ApingErrorCode> = new Set([
  'TOO_MANY_REQUESTS',
  'SERVICE_BUSY',
  'TIMEOUT_ERROR',
  'UNEXPECTED_ERROR',
]);

/** An APINGException: a betting operation refused with one of Betfair's error codes. */
export class ApingError extends AppError {
  constructor(
    readonly errorCode: ApingErrorCode,
    readonly errorDetails: string,
  ) {
    const kind: ErrorKind = TRANSIENT.has(errorCode) ? 'unavailable' : 'invalid';
    super(`APING.${errorCode}`, kind, `${errorCode}: ${errorDetails}`);
  }

  /** "ANGX-0001" and so on: the message Betfair puts on the error. */
  get angx(): string {
    return `ANGX-${String(ANGX_NUMBERS[this.errorCode]).padStart(4, '0')}`;
  }
}

/** The `data` part Betfair attaches to an APINGException, in both JSON-RPC and REST answers. */
export function apingExceptionData(error: ApingError, requestUUID: string) {
  return {
    APINGException: {
      errorCode: error.errorCode,
      errorDetails: error.errorDetails,
      requestUUID,
    },
    exceptionname: 'APINGException',
  };
}

/** The JSON-RPC protocol's own errors, which carry no APINGException. */
export const RPC_ERRORS = {
  PARSE_ERROR: { code: JSON_RPC_ERROR_CODES.parseError, message: 'DSC-0008' },
  METHOD_NOT_FOUND: { code: JSON_RPC_ERROR_CODES.methodNotFound, message: 'DSC-0021' },
  INVALID_PARAMS: { code: JSON_RPC_ERROR_CODES.invalidParams, message: 'DSC-0018' },
} as const;

/** A JSON-RPC protocol error: bad JSON, an unknown method, or parameters of the wrong shape. */
export class RpcError extends Error {
  constructor(
    readonly rpc: (typeof RPC_ERRORS)[keyof typeof RPC_ERRORS],
    detail: string,
  ) {
    super(detail);
  }
}

/** Hands out request ids in Betfair's style, numbered so runs are repeatable. */
export function createRequestIds(prefix: string): () => string {
  let next = 0;
  return () => `${prefix}-${(next++).toString(16).padStart(10, '0')}`;
}
