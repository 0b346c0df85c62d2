import { BetfairError } from '../betfair/betfair-errors.js';
import { betfairClient, loadSettings, type RecorderDeps } from './recorder-deps.js';
import { credentialsOf, type RecorderSettings } from './recorder-settings.js';
import { initialState, withError, withLog } from './recorder-state.js';
import { isRecording } from './recorder-status.js';

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
  const result = await checkSession(deps, settings, { appKey: key, ssoid });
  return { ...result, valid: result.success };
}

/** POST /api/recorder/start: checks the session, then leaves the polls to the scheduler. */
export async function startRecorder(deps: RecorderDeps): Promise<ActionResult> {
  const settings = await loadSettings(deps);
  const credentials = credentialsOf(settings);
  if (!credentials) {
    return { success: false, message: 'Save betfair_app_key and betfair_ssoid before starting' };
  }
  const check = await checkSession(deps, settings, credentials);
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
  const check = await checkSession(deps, settings, credentials);
  const now = deps.now();
  const next = await deps.state.update((current) =>
    check.success
      ? { ...current, lastKeepAlive: now.toISOString() }
      : { ...withError(current, now, 'AUTH_ERROR', check.message), status: 'AUTH_ERROR' },
  );
  return { status: 'ok', recorder: next.status, keepalive: check.success ? 'SUCCESS' : 'FAIL' };
}

/** A keep-alive with these credentials; the answer's message never holds them. */
async function checkSession(
  deps: RecorderDeps,
  settings: RecorderSettings,
  credentials: { appKey: string; ssoid: string },
): Promise<ActionResult> {
  try {
    await betfairClient(deps, settings, credentials).keepAlive();
    return { success: true, message: 'Session is valid' };
  } catch (error) {
    if (error instanceof BetfairError && error.needsNewSession) {
      return { success: false, message: `Session is not valid: ${error.message}` };
    }
    throw error;
  }
}
