import { gunzipSync } from 'node:zlib';
import type { MarketBook } from '../../../shared/betfair/market-schemas.js';
import type { ObjectStore } from '../../../shared/platform/ports/object-store.js';
import { readAll } from '../../support/temp-store.js';
import { readDayFiles } from './day-files.js';
import { startRecorderFixture, type RecorderFixture } from './recorder-fixture.js';

export const DAY = '2026-02-13';
export const BUCKET = 'chimera-recorder';
export const BASE = 'betfair-live';

/** One listMarketBook call: when (simulated) and for which markets. */
export interface BookCall {
  at: number;
  marketIds: string[];
}

/** A small simulated day recorded minute by minute, with the faster cadence near the off. */
export interface RecordedDay {
  fx: RecorderFixture;
  polls: { outcome: string; message: string }[];
  /** Every book the recorder polled, with the time it was polled. */
  polled: { at: number; book: MarketBook }[];
  /** The closed markets' stream files: name → lines. */
  streams: Map<string, string[]>;
  calls: BookCall[];
  /** Simulated ms each scheduled poll spent, from its start to its last extra poll. */
  pollSpans: number[];
  /** Sizes of the stream files, compressed and not. */
  bytes: { gzip: number; ndjson: number };
}

/**
 * Records one meeting of two races from before the first off until every market is filed,
 * a scheduled poll every simulated minute. Extra polls wait by moving the simulator's clock,
 * and the scheduled polls of `duplicated` minutes are sent twice at once.
 */
export async function recordDay(
  options: { cadenceMinutes?: number; duplicated?: (minute: number) => boolean } = {},
): Promise<RecordedDay> {
  const calls: BookCall[] = [];
  const started: { fx?: RecorderFixture } = {};
  const now = () => started.fx!.sim.state.clock.now();
  const fx = await startRecorderFixture(
    {
      seed: 3,
      startTime: `${DAY}T11:50:00Z`,
      sessionTimeoutMinutes: null,
      day: { meetings: 1, racesPerMeeting: 2, antepostMarkets: 0 },
    },
    {
      RECORDER_FAST_CADENCE_MINUTES: String(options.cadenceMinutes ?? 3),
      RECORDER_FAST_CADENCE_POLLS: '4',
    },
    {
      sleep: (ms) => {
        started.fx!.sim.setClock(now() + ms);
        return Promise.resolve();
      },
      clientOptions: {
        retries: 2,
        retryMinTimeoutMs: 5,
        retryMaxTimeoutMs: 20,
        timeoutMs: 10_000,
        fetch: (input, init) => {
          const text = typeof init?.body === 'string' ? init.body : '{}';
          const body = JSON.parse(text) as {
            method?: string;
            params?: { marketIds?: string[] };
          };
          if (body.method?.endsWith('listMarketBook')) {
            calls.push({ at: now(), marketIds: body.params?.marketIds ?? [] });
          }
          return fetch(input, init);
        },
      },
    },
  );
  started.fx = fx;
  await fx.api('POST', '/api/recorder/start');
  const polls: RecordedDay['polls'] = [];
  const pollSpans: number[] = [];
  const start = Date.parse(`${DAY}T11:50:00Z`);
  for (let minute = 0; minute < 6 * 60; minute++) {
    const at = start + minute * 60_000;
    fx.sim.setClock(at);
    const twice = options.duplicated?.(minute) === true;
    polls.push(...(await Promise.all(twice ? [fx.poll(), fx.poll()] : [fx.poll()])));
    pollSpans.push(now() - at);
    const known = await fx.deps.state.readMarkets(DAY);
    if (known.length > 0 && known.every((market) => market.streamFiled === true)) break;
  }
  const files = await readDayFiles<MarketBook>(fx.store, BUCKET, `${BASE}/7/${DAY}/books/`);
  const polled = files.flatMap((file) =>
    file.records.map((book) => ({ at: Date.parse(book._recorded_at), book })),
  );
  const { streams, bytes } = await readStreams(fx.store);
  return { fx, polls, polled, streams, calls, pollSpans, bytes };
}

async function readStreams(store: ObjectStore) {
  const streams = new Map<string, string[]>();
  const bytes = { gzip: 0, ndjson: 0 };
  for await (const info of store.listAll(BUCKET, { prefix: `${BASE}/stream/` })) {
    const gzip = await readAll(await store.read(BUCKET, info.name));
    const text = gunzipSync(gzip).toString('utf8');
    bytes.gzip += gzip.length;
    bytes.ndjson += text.length;
    streams.set(info.name, text.split('\n').filter(Boolean));
  }
  return { streams, bytes };
}
