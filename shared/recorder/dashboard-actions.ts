import { randomUUID } from 'node:crypto';
import { AppError } from '../errors/app-error.js';
import { utcDate } from './record-paths.js';
import { readJsonObject, writeObject } from './record-writer.js';
import { betfairClient, loadSettings, type RecorderDeps } from './recorder-deps.js';
import { EVENT_TYPE_ID, credentialsOf } from './recorder-settings.js';
import { initialState } from './recorder-state.js';
import { stateView } from './views.js';

/** GET /api/health. */
export async function health(deps: RecorderDeps) {
  const state = await deps.state.read();
  return { status: 'ok', recorder: (state ?? initialState()).status };
}

/** GET /api/state: the dashboard's whole picture, the day's markets included. */
export async function dashboardState(deps: RecorderDeps) {
  const now = deps.now();
  const [state, settings] = await Promise.all([deps.state.read(), loadSettings(deps)]);
  const current = state ?? initialState();
  const markets = await deps.state.readMarkets(current.date ?? utcDate(now));
  return stateView(current, markets, settings, now);
}

/** POST /api/test-gcs: writes, reads back and removes a small object in the recorder's bucket. */
export async function testGcs(deps: RecorderDeps) {
  const { bucket, basePath } = await loadSettings(deps);
  const name = `${basePath}/.connection-test/${randomUUID()}.json`;
  const probe = { test: true, at: deps.now().toISOString() };
  try {
    await writeObject(
      deps.objectStore,
      bucket,
      name,
      Buffer.from(JSON.stringify(probe)),
      'application/json',
    );
    const back = (await readJsonObject(deps.objectStore, bucket, name)) as typeof probe | undefined;
    await deps.objectStore.delete(bucket, name);
    const ok = back?.at === probe.at;
    return {
      success: ok,
      message: ok
        ? `Bucket ${bucket} is writable`
        : `Bucket ${bucket} did not return what was written`,
      bucket,
      base_path: basePath,
    };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      success: false,
      message: `Bucket ${bucket} failed: ${reason}`,
      bucket,
      base_path: basePath,
    };
  }
}

/** GET /api/debug/catalogue: one small listMarketCatalogue call, answered as Betfair sent it. */
export async function debugCatalogue(deps: RecorderDeps) {
  const settings = await loadSettings(deps);
  const credentials = credentialsOf(settings);
  if (!credentials) {
    throw new AppError(
      'RECORDER.NO_SESSION',
      'invalid',
      'Save betfair_app_key and betfair_ssoid first',
    );
  }
  const filter = { eventTypeIds: [EVENT_TYPE_ID], marketCountries: settings.countries };
  const params = {
    filter,
    marketProjection: ['EVENT', 'MARKET_START_TIME'] as const,
    maxResults: 10,
  };
  const result = await betfairClient(deps, settings, credentials).listMarketCatalogue(filter, {
    marketProjection: [...params.marketProjection],
    maxResults: params.maxResults,
  });
  return { count: result.length, params, result };
}
