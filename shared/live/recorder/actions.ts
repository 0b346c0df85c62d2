import { randomUUID } from 'node:crypto';
import { BetfairError } from '../../betfair/errors.js';
import { AppError } from '../../platform/errors.js';
import { configView, stateView } from './views.js';
import { betfairClient, loadSettings, replaceStaleSession, type RecorderDeps } from './deps.js';
import { readJsonObject } from '../../platform/ports/object-store.js';
import { utcDate, writeObject } from './files.js';
import {
  credentialsOf,
  type RecorderSettings,
  EVENT_TYPE_ID,
  type ConfigUpdate,
  SECRET_NAMES,
  type ConfigOverlay,
  isMasked,
} from './settings.js';
import { initialState, withError, withLog, isRecording } from './state.js';

/** The seed's lifecycle answer. */
export interface ActionResult {
  success: boolean;
  message: string;
}

/** POST /api/validate-session: a keep-alive with the given SSOID (and app key, or the saved one). */
export async function validateSession(
  deps: RecorderDeps,
  ssoid: string,
  appKey: string | undefined,
): Promise<ActionResult & { valid: boolean }> {
  const settings = await loadSettings(deps);
  const key = appKey ?? settings.appKey;
  if (!key) {
    return { success: false, valid: false, message: 'No app key: send app_key or save one first' };
  }
  const result = await checkSession(deps, settings, { appKey: key, ssoid }, false);
  return { ...result, valid: result.success };
}

/** POST /api/recorder/start: checks the session, then leaves the polls to the scheduler. */
export async function startRecorder(deps: RecorderDeps): Promise<ActionResult> {
  const settings = await loadSettings(deps);
  const credentials = credentialsOf(settings);
  if (!credentials) {
    return { success: false, message: 'Save betfair_app_key and betfair_ssoid before starting' };
  }
  const check = await checkSession(deps, settings, credentials, true);
  const now = deps.now();
  await deps.state.update((current, exists) => {
    const state = exists ? current : initialState();
    if (!check.success)
      return { ...withError(state, now, 'AUTH_ERROR', check.message), status: 'AUTH_ERROR' };
    if (isRecording(state.status)) return undefined;
    const started = withLog(state, now, 'info', 'Recorder started');
    return { ...started, status: 'STARTING', lastKeepAlive: now.toISOString() };
  });
  if (!check.success) return check;
  return { success: true, message: 'Recorder started; it polls every minute' };
}

/** POST /api/recorder/stop. */
export async function stopRecorder(deps: RecorderDeps): Promise<ActionResult> {
  const now = deps.now();
  await deps.state.update((current, exists) => {
    const state = exists ? current : initialState();
    return { ...withLog(state, now, 'info', 'Recorder stopped'), status: 'STOPPED' };
  });
  return { success: true, message: 'Recorder stopped' };
}

/** GET /api/keepalive: keeps the Betfair session alive while recording. */
export async function keepAliveNow(deps: RecorderDeps) {
  const state = (await deps.state.read()) ?? initialState();
  if (!isRecording(state.status))
    return { status: 'ok', recorder: state.status, keepalive: 'skipped' };
  const settings = await loadSettings(deps);
  const credentials = credentialsOf(settings);
  if (!credentials) return { status: 'ok', recorder: state.status, keepalive: 'skipped' };
  const check = await checkSession(deps, settings, credentials, true);
  const now = deps.now();
  const next = await deps.state.update((current) =>
    check.success
      ? { ...current, lastKeepAlive: now.toISOString() }
      : { ...withError(current, now, 'AUTH_ERROR', check.message), status: 'AUTH_ERROR' },
  );
  return { status: 'ok', recorder: next.status, keepalive: check.success ? 'SUCCESS' : 'FAIL' };
}

/**
 * A keep-alive with these credentials; the answer's message never holds them. For the saved
 * session (`saved`), a refusal lets a working configured session replace a stale stored one.
 */
async function checkSession(
  deps: RecorderDeps,
  settings: RecorderSettings,
  credentials: { appKey: string; ssoid: string },
  saved: boolean,
): Promise<ActionResult> {
  try {
    await betfairClient(deps, settings, credentials).keepAlive();
    return { success: true, message: 'Session is valid' };
  } catch (error) {
    if (!(error instanceof BetfairError && error.needsNewSession)) throw error;
    if (saved && (await replaceStaleSession(deps, settings, credentials))) {
      return {
        success: true,
        message: 'Session is valid (the configured one; the stored one had expired)',
      };
    }
    return { success: false, message: `Session is not valid: ${error.message}` };
  }
}

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

/** GET /api/config. */
export async function getConfig(deps: RecorderDeps) {
  return configView(await loadSettings(deps));
}

/**
 * POST /api/config: secrets to the secret store, everything else to the overlay. A new
 * session lifts AUTH_ERROR so the next scheduled poll records again. A masked value posted
 * back from the form changes nothing.
 */
export async function updateConfig(deps: RecorderDeps, update: ConfigUpdate) {
  const { betfair_app_key: appKey, betfair_ssoid: ssoid, ...overlay } = update;
  if (appKey !== undefined && !isMasked(appKey)) {
    await deps.secrets.set(SECRET_NAMES.appKey, appKey);
  }
  const newSession = ssoid !== undefined && !isMasked(ssoid);
  if (newSession) await deps.secrets.set(SECRET_NAMES.ssoid, ssoid);
  await deps.overlay.write(overlay satisfies ConfigOverlay);
  if (newSession) await resumeAfterNewSession(deps);
  return {
    success: true,
    message: newSession ? 'Config saved; new Betfair session stored' : 'Config saved',
    config: await getConfig(deps),
  };
}

async function resumeAfterNewSession(deps: RecorderDeps): Promise<void> {
  const now = deps.now();
  await deps.state.update((state, exists) => {
    if (!exists) return undefined;
    const noted = {
      ...withLog(state, now, 'info', 'New Betfair session saved'),
      lastKeepAlive: now.toISOString(),
    };
    if (state.status !== 'AUTH_ERROR') return noted;
    return { ...withLog(noted, now, 'info', 'Recording resumes'), status: 'RUNNING' };
  });
}
