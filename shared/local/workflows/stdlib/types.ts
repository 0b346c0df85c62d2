/** What standard library functions may read from the outside world. */
export interface StdHost {
  /** Epoch milliseconds. */
  now(): number;
  /** Built-in environment variables by their Cloud Workflows names. */
  env: Record<string, string>;
}

/** One standard library function: its argument count range and body. */
export interface StdFunction {
  min: number;
  max: number;
  run(args: unknown[], host: StdHost): unknown;
}

/** Shorthand for a function that always takes exactly `count` arguments. */
export function fixed(count: number, run: StdFunction['run']): StdFunction {
  return { min: count, max: count, run };
}
