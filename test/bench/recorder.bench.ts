import { useLocalAdapters } from '../../shared/local/adapters/platform.js';
import { rm } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { BetfairClient } from '../../shared/betfair/client.js';
import type { PriceProjection } from '../../shared/betfair/protocol.js';
import { cataloguePerRequest, chunk, planBookBatches } from '../../shared/betfair/weights.js';
import { loadSettings, type RecorderDeps, recorderDeps } from '../../shared/live/recorder/deps.js';
import { utcDate } from '../../shared/live/recorder/files.js';
import { catalogueFilter, marketsToPoll } from '../../shared/live/recorder/markets.js';
import { runPoll } from '../../shared/live/recorder/poll.js';
import type { RecorderSettings } from '../../shared/live/recorder/settings.js';
import { startFirestoreEmulator } from '../../shared/local/firestore-emulator.js';
import {
  startExchangeSimulator,
  type ExchangeSimulator,
} from '../../shared/local/simulator/server.js';
import { loadConfig } from '../../shared/platform/config.js';
import { createPlatform } from '../../shared/platform/platform.js';
import { tempStore } from '../support/temp-store.js';

/**
 * One recorder poll against the same Betfair requests made one after another, in one run.
 * The exchange simulator answers every request after a fixed delay (default 50 ms) and its clock
 * stands at a time of a full racing day when the whole card is listed (≥ 600 markets, asserted).
 *  - recorder: the real poll cycle (runPoll, as /api/recorder/poll: lease, state in the embedded
 *    Firestore emulator, catalogue, books with the default five price projections, NDJSON files
 *    and the feed's snapshot in a temporary local store), its client at the default concurrency;
 *  - baseline: the same catalogue pages and the same book batches (the same ids per request,
 *    from planBookBatches) sent one after another by a BetfairClient with concurrency 1. It only
 *    makes the requests — no state, no files — so the ratio understates the recorder's gain.
 * Wall time is the median of 3 runs each, after one untimed poll (which also does the
 * keep-alive). The request count and the heaviest request weight come from the simulator's stats.
 * On the build machine: 839 markets, 220 requests a poll, recorder ~4.5 s against ~12.6 s in
 * sequence (~2.8x); the sequential latency alone is 11 s.
 * Run: npx tsx test/bench/recorder.bench.ts [latency-ms]   (default 50)
 */

const SEED = 7;
/** Before the first off of a simulated Friday: every market of the day is listed and OPEN. */
const AT = '2026-02-13T11:00:00Z';
const MIN_MARKETS = 600;
const RUNS = 3;

async function seconds(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return (performance.now() - started) / 1000;
}

async function median(run: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i += 1) times.push(await seconds(run));
  return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)]!;
}

async function pollOnce(deps: RecorderDeps): Promise<void> {
  const result = await runPoll(deps, true);
  if (result.outcome !== 'polled') throw new Error(`poll ${result.outcome}: ${result.message}`);
}

/** The requests of one poll, as the recorder plans them, for the baseline to send in turn. */
interface Plan {
  settings: RecorderSettings;
  at: Date;
  priceProjection: PriceProjection;
  bookBatches: string[][];
}

/** The recorder's own book batches: its known markets split as it splits them. */
async function planOf(deps: RecorderDeps, at: Date): Promise<Plan> {
  const settings = await loadSettings(deps);
  const groups = marketsToPoll(await deps.state.readMarkets(utcDate(at)));
  const priceProjection = { priceData: settings.priceProjection, virtualise: true };
  const bookBatches = [
    ...planBookBatches(groups.open, priceProjection),
    ...planBookBatches(groups.closing, priceProjection),
  ];
  return { settings, at, priceProjection, bookBatches };
}

/**
 * The same requests as one poll, one at a time: the id listing, the catalogue pages of
 * cataloguePerRequest ids with the full projections, then every book batch.
 */
async function sequentialRequests(client: BetfairClient, plan: Plan): Promise<number> {
  const { settings } = plan;
  const filter = catalogueFilter(settings, plan.at);
  const listing = await client.listMarketCatalogue(filter, {
    marketProjection: [],
    sort: 'FIRST_TO_START',
  });
  const ids = listing.map((market) => market.marketId);
  let markets = 0;
  for (const page of chunk(ids, cataloguePerRequest(settings.catalogueProjections))) {
    const catalogue = await client.listMarketCatalogue(
      { marketIds: page },
      {
        marketProjection: settings.catalogueProjections,
        sort: 'FIRST_TO_START',
        maxResults: page.length,
      },
    );
    markets += catalogue.length;
  }
  for (const batch of plan.bookBatches) {
    await client.listMarketBook(batch, { priceProjection: plan.priceProjection });
  }
  return markets;
}

/** Requests and heaviest weight the simulator saw while `run` ran, reset before. */
async function counted(
  sim: ExchangeSimulator,
  run: () => Promise<unknown>,
): Promise<{ requests: number; byMethod: Record<string, number>; maxWeight: number }> {
  sim.control({ resetStats: true });
  await run();
  const stats = sim.state.stats.snapshot();
  const errors = Object.entries(stats.errors);
  if (errors.length > 0) throw new Error(`simulator answered errors: ${JSON.stringify(errors)}`);
  return stats;
}

function methods(byMethod: Record<string, number>): string {
  return Object.entries(byMethod)
    .map(([name, count]) => `${count} ${name}`)
    .join(' + ');
}

/** Runs both sides against one simulator and prints the comparison. */
export async function main(latencyMs = 50): Promise<void> {
  const sim = await startExchangeSimulator({
    seed: SEED,
    startTime: AT,
    latencyMs,
    sessionTimeoutMinutes: null,
  });
  const emulator = await startFirestoreEmulator();
  const { dataDir } = await tempStore();
  const config = loadConfig({
    CHIMERA_DATA_DIR: dataDir,
    FIRESTORE_EMULATOR_HOST: emulator.host,
    LOG_LEVEL: 'ERROR',
    BETFAIR_API_URL: `${sim.url}/exchange/betting/json-rpc/v1`,
    BETFAIR_IDENTITY_URL: `${sim.identityUrl}/api`,
    BETFAIR_APP_KEY: sim.appKey,
    BETFAIR_SSOID: sim.sessionToken,
  });
  useLocalAdapters();
  const platform = createPlatform(config, 'recorder-poll');
  const deps: RecorderDeps = {
    ...recorderDeps(platform),
    now: () => new Date(sim.state.clock.now()),
  };
  try {
    const at = deps.now();
    await pollOnce(deps); // untimed: the keep-alive, and the first write of every file
    const plan = await planOf(deps, at);
    const recorderStats = await counted(sim, () => pollOnce(deps));
    const recorder = await median(() => pollOnce(deps));

    const client = new BetfairClient({
      appKey: sim.appKey,
      sessionToken: sim.sessionToken,
      endpoint: config.recorder.apiUrl,
      identityEndpoint: config.recorder.identityUrl,
      concurrency: 1,
    });
    let markets = 0;
    const baselineStats = await counted(
      sim,
      async () => (markets = await sequentialRequests(client, plan)),
    );
    if (markets < MIN_MARKETS) throw new Error(`only ${markets} markets listed at ${AT}`);
    if (baselineStats.requests !== recorderStats.requests) {
      throw new Error(
        `the baseline sent ${baselineStats.requests} requests, the recorder ${recorderStats.requests}`,
      );
    }
    const baseline = await median(() => sequentialRequests(client, plan));

    console.log(
      `recorder poll vs the same requests in sequence: simulator at ${AT}, ${latencyMs} ms a request`,
    );
    console.log(`  markets in the catalogue   ${markets}`);
    console.log(
      `  requests per poll          ${recorderStats.requests} (${methods(recorderStats.byMethod)})`,
    );
    console.log(
      `  max request weight         ${Math.max(recorderStats.maxWeight, baselineStats.maxWeight)} points`,
    );
    const row = (label: string, secs: number) =>
      console.log(`  ${label.padEnd(26)} ${secs.toFixed(2).padStart(6)} s (median of ${RUNS})`);
    row('recorder poll', recorder);
    row('baseline, sequential', baseline);
    console.log(
      `  (the latency alone, in sequence: ${recorderStats.requests} × ${latencyMs} ms = ${((recorderStats.requests * latencyMs) / 1000).toFixed(2)} s)`,
    );
    console.log(`  baseline / recorder        ${(baseline / recorder).toFixed(2)}x`);
  } finally {
    await platform.firestore.terminate();
    await emulator.stop();
    await sim.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await main(Number(process.argv[2] ?? 50));
}
