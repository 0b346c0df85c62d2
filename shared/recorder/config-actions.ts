import type { ConfigUpdate } from './config-schemas.js';
import { loadSettings, type RecorderDeps } from './recorder-deps.js';
import { SECRET_NAMES, type ConfigOverlay } from './recorder-settings.js';
import { withLog } from './recorder-state.js';
import { isMasked } from './secret-mask.js';
import { configView } from './views.js';

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
