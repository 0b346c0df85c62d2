/** What the simulator has been asked and answered since it started (or stats were reset). */
export interface SimulatorStats {
  requests: number;
  /** Betting calls by operation name, keep-alives as "keepAlive". */
  byMethod: Record<string, number>;
  /** The heaviest request weight seen, whether or not it was refused. */
  maxWeight: number;
  /** Errors answered, by APINGException code, keep-alive error or JSON-RPC code. */
  errors: Record<string, number>;
}

/** A running tally of requests, weights and errors. */
export interface StatsRecorder {
  snapshot(): SimulatorStats;
  request(method: string): void;
  weight(weight: number): void;
  error(code: string): void;
  reset(): void;
}

/** Creates an empty tally. */
export function createStats(): StatsRecorder {
  let stats = empty();
  return {
    snapshot: () => structuredClone(stats),
    request: (method) => {
      stats.requests += 1;
      stats.byMethod[method] = (stats.byMethod[method] ?? 0) + 1;
    },
    weight: (weight) => {
      stats.maxWeight = Math.max(stats.maxWeight, weight);
    },
    error: (code) => {
      stats.errors[code] = (stats.errors[code] ?? 0) + 1;
    },
    reset: () => {
      stats = empty();
    },
  };
}

function empty(): SimulatorStats {
  return { requests: 0, byMethod: {}, maxWeight: 0, errors: {} };
}
