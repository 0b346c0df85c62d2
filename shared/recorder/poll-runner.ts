import { randomUUID } from 'node:crypto';
import { finishPoll } from './poll-report.js';
import { pollCycle } from './poll-cycle.js';
import {
  authError,
  beginPoll,
  pollGate,
  pollStatus,
  statusAfterPoll,
  type PollGate,
} from './poll-state.js';
import { utcDate } from './record-paths.js';
import { loadSettings, type RecorderDeps } from './recorder-deps.js';
import { credentialsOf } from './recorder-settings.js';
import { initialState, withError } from './recorder-state.js';
import type { RecorderStatus } from './recorder-status.js';

/** Shorter than the scheduler's minute, so a poll that died never blocks the next tick. */
export const LEASE_TTL_MS = 55_000;

/** What a poll invocation did. */
export interface PollResult {
  outcome: 'polled' | 'skipped' | 'idle' | 'auth_error';
  message: string;
}

/**
 * Runs one poll under the lease. Scheduled polls (`force` false) run only while recording and
 * when due; a manual poll runs whatever the status. A second poll while one holds the lease is
 * skipped.
 */
export async function runPoll(deps: RecorderDeps, force: boolean): Promise<PollResult> {
  const holder = randomUUID();
  const at = deps.now();
  if (!(await deps.lease.acquire(holder, at, LEASE_TTL_MS))) {
    return { outcome: 'skipped', message: 'Another poll is in progress' };
  }
  try {
    return await gatedPoll(deps, at, force);
  } finally {
    await deps.lease.release(holder);
  }
}

async function gatedPoll(deps: RecorderDeps, at: Date, force: boolean): Promise<PollResult> {
  const settings = await loadSettings(deps);
  const credentials = credentialsOf(settings);
  const date = utcDate(at);
  const decision = {
    gate: { start: false, reason: '' } as PollGate,
    startedFrom: 'STOPPED' as RecorderStatus,
    previousDate: null as string | null,
  };
  const state = await deps.state.update((current, exists) => {
    const base = exists
      ? current
      : initialState(deps.config.recorder.autostart ? 'RUNNING' : 'STOPPED');
    decision.gate = pollGate(base, at, settings.pollIntervalSeconds, force);
    if (!decision.gate.start) return exists ? undefined : base;
    decision.startedFrom = base.status;
    decision.previousDate = base.date;
    if (!credentials) return authError(base, at, NO_CREDENTIALS);
    return beginPoll(base, date, at);
  });
  if (!decision.gate.start) return { outcome: 'idle', message: decision.gate.reason };
  if (!credentials) return { outcome: 'auth_error', message: NO_CREDENTIALS };
  if (decision.previousDate && decision.previousDate !== date) {
    await deps.state.deleteMarkets(decision.previousDate);
  }
  const context = { deps, settings, credentials, state, at, startedFrom: decision.startedFrom };
  try {
    const report = await pollCycle(context);
    const final = await deps.state.update((current) => finishPoll(current, report));
    const message = final.log.at(-1)?.message ?? 'Poll complete';
    return { outcome: report.sessionFailure ? 'auth_error' : 'polled', message };
  } catch (error) {
    await restoreAfterCrash(deps, decision.startedFrom, error);
    throw error;
  }
}

const NO_CREDENTIALS =
  'No Betfair app key or session: save betfair_app_key and betfair_ssoid with POST /api/config';

/** A poll that failed unexpectedly (storage of state down) must not leave POLLING behind. */
async function restoreAfterCrash(
  deps: RecorderDeps,
  startedFrom: RecorderStatus,
  error: unknown,
): Promise<void> {
  const message = `Poll failed: ${error instanceof Error ? error.message : String(error)}`;
  deps.logger.error('recorder poll failed', { error });
  await deps.state
    .update((state) =>
      pollStatus(
        withError(state, deps.now(), 'POLL_FAILED', message),
        statusAfterPoll(startedFrom),
      ),
    )
    .catch(() => undefined);
}
