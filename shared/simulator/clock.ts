/** A source of the current time in epoch milliseconds. */
export interface Clock {
  now(): number;
}

/** The simulator's clock: follows a source clock until pinned, then runs from the pinned time. */
export interface SimulatorClock extends Clock {
  /**
   * Moves simulated time to `time`. With `speed` 0 (the default) time stands still there, so
   * tests see exactly that instant; with `speed` 60 a real second is a simulated minute.
   */
  set(time: number, speed?: number): void;
  /** Returns to following the source clock. */
  release(): void;
}

/** Wraps `source` in a clock that tests and the control API can move. */
export function createSimulatorClock(source: Clock): SimulatorClock {
  let pin: { at: number; realAt: number; speed: number } | undefined;
  return {
    now: () => (pin ? pin.at + (source.now() - pin.realAt) * pin.speed : source.now()),
    set: (time, speed = 0) => {
      pin = { at: time, realAt: source.now(), speed };
    },
    release: () => {
      pin = undefined;
    },
  };
}

/** Parses a control-API time: epoch ms or an ISO 8601 string. */
export function parseTime(time: number | string): number {
  const ms = typeof time === 'number' ? time : Date.parse(time);
  if (!Number.isFinite(ms)) throw new RangeError(`not a time: ${String(time)}`);
  return ms;
}
