import type { SimulatorClock } from './clock.js';
import type { Faults } from './control/faults.js';
import type { SessionStore } from './control/sessions.js';
import type { StatsRecorder } from './control/stats.js';
import type { Exchange } from './model/exchange.js';

/** Everything a running simulator knows; routes read and change it, tests may inspect it. */
export interface SimulatorState {
  readonly seed: number;
  readonly exchange: Exchange;
  readonly clock: SimulatorClock;
  readonly sessions: SessionStore;
  readonly faults: Faults;
  readonly stats: StatsRecorder;
  /** Application keys (X-Application) the simulator accepts. */
  readonly appKeys: ReadonlySet<string>;
  /** A fresh requestUUID for an APINGException. */
  readonly newRequestId: () => string;
}
