import { afterEach, describe, expect, it } from 'vitest';
import { SECRET_NAMES } from '../../../shared/live/recorder/settings.js';
import { startRecorderFixture, type RecorderFixture } from './recorder-fixture.js';

const START = Date.parse('2026-02-13T13:00:00Z');

// After a restart the secret store still holds the SSOID saved earlier with POST /api/config,
// while the environment brings the session that works now (the simulator's fresh one).
describe('a stored session that went stale while the configured one works', () => {
  let fx: RecorderFixture | undefined;
  afterEach(async () => {
    await fx?.close();
    fx = undefined;
  });

  const restartWithStaleStoredSession = async (env: Record<string, string> = {}) => {
    fx = await startRecorderFixture(
      { seed: 4, startTime: START, sessionTimeoutMinutes: null },
      env,
    );
    await fx.deps.secrets.set(SECRET_NAMES.ssoid, 'expired-before-the-restart');
    return fx;
  };

  it('comes up recording on the default start (autostart), replacing the stale one', async () => {
    const fx = await restartWithStaleStoredSession({ RECORDER_AUTOSTART: 'true' });
    expect(await fx.poll()).toMatchObject({ outcome: 'polled' });
    const state = await fx.api<{ status: string; authenticated: boolean }>('GET', '/api/state');
    expect(state.body).toMatchObject({ status: 'RUNNING', authenticated: true });
    expect(await fx.deps.secrets.get(SECRET_NAMES.ssoid)).toBe(fx.sim.sessionToken);
  });

  it('starts on POST /api/recorder/start with the working session', async () => {
    const fx = await restartWithStaleStoredSession();
    expect((await fx.api('POST', '/api/recorder/start')).body).toMatchObject({ success: true });
    expect(await fx.deps.secrets.get(SECRET_NAMES.ssoid)).toBe(fx.sim.sessionToken);
  });

  it('still stops with AUTH_ERROR when no working session is configured either', async () => {
    const fx = await restartWithStaleStoredSession({ RECORDER_AUTOSTART: 'true' });
    fx.sim.control({ expireSession: 'ALL' });
    expect(await fx.poll()).toMatchObject({ outcome: 'auth_error' });
    expect(await fx.deps.secrets.get(SECRET_NAMES.ssoid)).toBe('expired-before-the-restart');
  });

  it('never swaps a session a person is validating', async () => {
    const fx = await restartWithStaleStoredSession();
    const answer = await fx.api('POST', '/api/validate-session', { ssoid: 'typed-by-hand' });
    expect(answer.body).toMatchObject({ valid: false });
    expect(await fx.deps.secrets.get(SECRET_NAMES.ssoid)).toBe('expired-before-the-restart');
  });
});
