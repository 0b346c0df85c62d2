/** Cloud Logging severities used by the project. */
export type Severity = 'DEBUG' | 'INFO' | 'NOTICE' | 'WARNING' | 'ERROR';

const RANK: Record<Severity, number> = { DEBUG: 0, INFO: 1, NOTICE: 2, WARNING: 3, ERROR: 4 };

/** Field names whose values are never written to a log line. */
const SECRET_KEY =
  /(app_?key|x-application|token|password|secret|ssoid|authori[sz]ation|authentication|session)/i;

export type LogFields = Record<string, unknown>;

/** A structured logger writing one JSON object a line, the shape Cloud Logging parses. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  notice(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line. */
  child(fields: LogFields): Logger;
}

/** Replaces the values of secret-looking keys, at any depth. */
export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value instanceof Error) return { name: value.name, message: value.message };
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [
      key,
      SECRET_KEY.test(key) ? '[redacted]' : redact(inner),
    ]),
  );
}

/**
 * Creates a logger; `write` defaults to stdout, `minSeverity` to INFO. Stdout is written
 * through console.log (the same single line), so a test runner that captures the console
 * can hold the lines back.
 */
export function createLogger(
  options: { minSeverity?: Severity; fields?: LogFields; write?: (line: string) => void } = {},
): Logger {
  const min = RANK[options.minSeverity ?? 'INFO'];
  const base = options.fields ?? {};
  const write = options.write ?? ((line: string) => console.log(line));
  const log = (severity: Severity) => (message: string, fields?: LogFields) => {
    if (RANK[severity] < min) return;
    const entry = redact({ ...base, ...fields }) as LogFields;
    write(JSON.stringify({ severity, message, time: new Date().toISOString(), ...entry }));
  };
  return {
    debug: log('DEBUG'),
    info: log('INFO'),
    notice: log('NOTICE'),
    warn: log('WARNING'),
    error: log('ERROR'),
    child: (fields) => createLogger({ ...options, fields: { ...base, ...fields } }),
  };
}

/** Logs at a severity named at run time (`"WARNING"`, `"error"`…); unknown names log as INFO. */
export function logAt(logger: Logger, severity: string, message: string, fields?: LogFields): void {
  const methods: Record<string, keyof Omit<Logger, 'child'>> = {
    DEBUG: 'debug',
    INFO: 'info',
    NOTICE: 'notice',
    WARNING: 'warn',
    ERROR: 'error',
    CRITICAL: 'error',
    ALERT: 'error',
    EMERGENCY: 'error',
  };
  logger[methods[severity.toUpperCase()] ?? 'info'](message, fields);
}
