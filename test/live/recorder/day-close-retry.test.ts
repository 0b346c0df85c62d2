import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/platform/errors.js';
import type { ObjectStore } from '../../../shared/platform/ports/object-store.js';
import { tempStore } from '../../support/temp-store.js';
import { startRecorderFixture, type RecorderFixture } from './recorder-fixture.js';
import { BASE, BUCKET, DAY } from './stream-day.js';

const NEXT_DAY = '2026-02-14';

/** The recorder's store, refusing to file closed streams while `failing` is set. */
function storeFailingToFile(store: ObjectStore, control: { failing: boolean }): ObjectStore {
  const write = store.write.bind(store);
  store.write = (bucket, name, source, options) =>
    control.failing && name.startsWith(`${BASE}/stream/`)
      ? Promise.reject(new AppError('STORAGE.UNAVAILABLE', 'unavailable', 'disk full'))
      : write(bucket, name, source, options);
  return store;
}

async function names(store: ObjectStore, prefix: string): Promise<string[]> {
  const found: string[] = [];
  for await (const info of store.listAll(BUCKET, { prefix })) found.push(info.name);
  return found;
}

describe("the recorder at a day's end", () => {
  const control = { failing: false };
  let store: ObjectStore;
  let fx: RecorderFixture;

  beforeAll(async () => {
    store = (await tempStore()).store;
    fx = await startRecorderFixture(
      {
        seed: 5,
        startTime: `${DAY}T11:50:00Z`,
        sessionTimeoutMinutes: null,
        day: { meetings: 1, racesPerMeeting: 2, antepostMarkets: 0 },
      },
      {},
      { objectStore: storeFailingToFile(store, control) },
    );
  }, 60_000);

  afterAll(async () => {
    await fx?.close();
  });

  it('files the streams a failed close left open at the next poll', async () => {
    await fx.api('POST', '/api/recorder/start');
    for (const at of ['11:50:00', '11:51:00']) {
      fx.sim.setClock(`${DAY}T${at}Z`);
      expect(await fx.poll()).toMatchObject({ outcome: 'polled' });
    }
    const open = (await fx.deps.state.readMarkets(DAY)).filter((m) => m.streamFiled !== true);
    expect(open.length).toBeGreaterThan(0);

    control.failing = true;
    fx.sim.setClock(`${NEXT_DAY}T00:00:30Z`);
    expect(await fx.poll()).toMatchObject({ outcome: 'polled' });
    expect(await names(store, `${BASE}/stream/`)).toEqual([]);
    expect(await fx.deps.state.daysBefore(NEXT_DAY)).toEqual([DAY]);
    expect(
      fx.logLines.some((line) => line.includes("closing the previous day's streams failed")),
    ).toBe(true);

    control.failing = false;
    fx.sim.setClock(`${NEXT_DAY}T00:01:30Z`);
    expect(await fx.poll()).toMatchObject({ outcome: 'polled' });
    const filed = await names(store, `${BASE}/stream/`);
    expect(filed.map((name) => name.split('/').at(-1))).toEqual(
      expect.arrayContaining(open.map((market) => `${market.marketId}.gz`)),
    );
    expect(await fx.deps.state.daysBefore(NEXT_DAY)).toEqual([]);
    // The previous day's markets left no open parts behind.
    const stillOpen = await names(store, `${BASE}/stream-open/`);
    for (const market of open) {
      expect(stillOpen.filter((name) => name.includes(`/${market.marketId}/`))).toEqual([]);
    }
  }, 120_000);
});
