import { BetfairError, betfairError } from './errors.js';

/** Replaces known secret values wherever they occur in a text. */
export type Redactor = (text: string) => string;

const MASK = '[redacted]';
// Shorter values are not real keys or tokens, and masking them would mangle ordinary words.
const MIN_SECRET_LENGTH = 4;

/** A redactor for the given secret values (the app key and session token). */
export function createRedactor(secrets: readonly (string | undefined)[]): Redactor {
  const values = secrets.filter(
    (secret): secret is string => secret !== undefined && secret.length >= MIN_SECRET_LENGTH,
  );
  return (text) => values.reduce((out, secret) => out.split(secret).join(MASK), text);
}

/**
 * Rebuilds any failure as a BetfairError with secrets removed from its message and its cause.
 * The cause becomes a plain Error holding only redacted text, because a fetch implementation's
 * own error may keep the request, headers included, on its fields.
 */
export function scrubError(error: unknown, redact: Redactor): BetfairError {
  const cause = error instanceof Error ? error.cause : undefined;
  const safeCause = cause === undefined ? undefined : new Error(redact(describe(cause)));
  if (error instanceof BetfairError) {
    return new BetfairError(
      error.code,
      error.kind,
      redact(error.message),
      {
        betfairCode: redactOptional(error.betfairCode, redact),
        operation: redactOptional(error.operation, redact),
        requestUUID: redactOptional(error.requestUUID, redact),
      },
      { cause: safeCause },
    );
  }
  return betfairError(
    'BETFAIR.API_ERROR',
    redact(`Betfair call failed: ${describe(error)}`),
    {},
    {
      cause: safeCause,
    },
  );
}

function redactOptional(text: string | undefined, redact: Redactor): string | undefined {
  return text === undefined ? undefined : redact(text);
}

/** A one-line account of an error and its causes: name, message and system error code. */
export function describe(error: unknown, depth = 0): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  const own = `${error.name}: ${error.message}${typeof code === 'string' ? ` (${code})` : ''}`;
  if (error.cause === undefined || depth >= 3) return own;
  return `${own} <- ${describe(error.cause, depth + 1)}`;
}
