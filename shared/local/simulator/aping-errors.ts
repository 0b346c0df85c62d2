import { AppError, type ErrorKind } from '../../platform/errors.js';

/** APINGException error codes, each with the ANGX number the simulator reports for it. */
export const ANGX_NUMBERS = {
  TOO_MUCH_DATA: 1,
  INVALID_INPUT_DATA: 2,
  INVALID_SESSION_INFORMATION: 3,
  NO_APP_KEY: 4,
  NO_SESSION: 5,
  UNEXPECTED_ERROR: 6,
  INVALID_APP_KEY: 7,
  TOO_MANY_REQUESTS: 8,
  SERVICE_BUSY: 9,
  TIMEOUT_ERROR: 10,
  REQUEST_SIZE_EXCEEDS_LIMIT: 11,
  ACCESS_DENIED: 12,
} as const;
export type ApingErrorCode = keyof typeof ANGX_NUMBERS;

/** Every APINGException code, for validating the control API. */
export const APING_ERROR_CODES = Object.keys(ANGX_NUMBERS) as [ApingErrorCode, ...ApingErrorCode[]];

declare module '../../platform/errors.js' {
  interface ErrorCodes {
    simulator: `APING.${ApingErrorCode}`;
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
  PARSE_ERROR: { code: -32700, message: 'DSC-0008' },
  METHOD_NOT_FOUND: { code: -32601, message: 'DSC-0021' },
  INVALID_PARAMS: { code: -32602, message: 'DSC-0018' },
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
export function createRequestIds(): () => string {
  let next = 0;
  return () => `prdang-sim-${(next++).toString(16).padStart(10, '0')}`;
}
