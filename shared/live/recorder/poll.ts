import { randomUUID } from 'node:crypto';
import type { BetfairClient } from '../../betfair/client.js';
import { BetfairError } from '../../betfair/errors.js';
import type { MarketBook, MarketCatalogue } from '../../betfair/market-schemas.js';
import { betfairClient, type RecorderDeps, loadSettings } from './deps.js';
import {
  latestBooks,
  publishSnapshot,
  recordPath,
  utcDate,
  type DataType,
  toNdjson,
  writeObject,
} from './files.js';
import {
  applyBooks,
  marketsToPoll,
  mergeCatalogue,
  fetchBooks,
  fetchCatalogue,
} from './markets.js';
import { type RecorderSettings, credentialsOf } from './settings.js';
import {
  type RecorderStatus,
  withError,
  withLog,
  type RecorderState,
  authError,
  pollStatus,
  statusAfterPoll,
  beginPoll,
  pollGate,
  type PollGate,
  initialState,
} from './state.js';

/** What one poll did, for the state document. */
export interface PollReport {
  at: Date;
  startedFrom: RecorderStatus;
  markets: number;
  books: number;
  /** Books in the feed's latest snapshot. */
  booksCached: number;
  writes: number;
  cataloguePath?: string;
  booksPath?: string;
  keptAlive: boolean;
  apiFailures: string[];
  gcsFailures: string[];
  /** Set when Betfair refused the session: recording stops until a new one is saved. */
  sessionFailure?: string;
}

/** A new, empty report. */
export function newReport(at: Date, startedFrom: RecorderStatus): PollReport {
  return {
    at,
    startedFrom,
    markets: 0,
    books: 0,
    booksCached: 0,
    writes: 0,
    keptAlive: false,
    apiFailures: [],
    gcsFailures: [],
  };
}

/** Files a Betfair failure: a session failure stops recording, anything else is counted. */
export function noteApiFailure(report: PollReport, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof BetfairError && error.needsNewSession) report.sessionFailure = message;
  else report.apiFailures.push(message);
}

/** The state after a poll: counters, paths, errors, the log line and the next status. */
export function finishPoll(state: RecorderState, report: PollReport): RecorderState {
  const { at } = report;
  const pollCount = state.pollCount + 1;
  let next: RecorderState = {
    ...state,
    lastPoll: at.toISOString(),
    pollCount,
    lastKeepAlive: report.keptAlive ? at.toISOString() : state.lastKeepAlive,
    lastCataloguePath: report.cataloguePath ?? state.lastCataloguePath,
    lastBooksPath: report.booksPath ?? state.lastBooksPath,
    stats: {
      total_polls: state.stats.total_polls + 1,
      total_markets_recorded: state.stats.total_markets_recorded + report.markets,
      total_books_recorded: state.stats.total_books_recorded + report.books,
      total_gcs_writes: state.stats.total_gcs_writes + report.writes,
      gcs_errors: state.stats.gcs_errors + report.gcsFailures.length,
      api_errors: state.stats.api_errors + report.apiFailures.length,
      markets_cached: report.cataloguePath ? report.markets : state.stats.markets_cached,
      books_cached: report.booksCached,
    },
    gcs: {
      writes: state.gcs.writes + report.writes,
      errors: state.gcs.errors + report.gcsFailures.length,
      last_error: report.gcsFailures.at(-1) ?? state.gcs.last_error,
    },
  };
  for (const message of report.apiFailures) next = withError(next, at, 'API_ERROR', message);
  for (const message of report.gcsFailures) next = withError(next, at, 'GCS_ERROR', message);
  if (report.sessionFailure) return authError(next, at, report.sessionFailure);
  const summary = `Poll #${pollCount} complete: ${report.markets} markets, ${report.books} books`;
  const failures = report.apiFailures.length + report.gcsFailures.length;
  next = withLog(
    next,
    at,
    failures > 0 ? 'warning' : 'info',
    failures > 0 ? `${summary} (${failures} errors)` : summary,
  );
  return pollStatus(next, statusAfterPoll(report.startedFrom));
}

/** Betfair sessions last hours if kept alive; the seed keeps them alive every 15 minutes. */
const KEEP_ALIVE_EVERY_MS = 15 * 60 * 1000;

/** One poll, once the lease is held and the state says POLLING. */
export interface PollContext {
  deps: RecorderDeps;
  settings: RecorderSettings;
  credentials: { appKey: string; ssoid: string };
  state: RecorderState;
  at: Date;
  startedFrom: RecorderStatus;
}

/**
 * The seed's cycle: keep-alive when due, the day's catalogue, books of every market seen today
 * until it has CLOSED, the NDJSON files, the feed's snapshot, and the day's market list. A
 * failed step is noted in the report and the rest still runs with what was fetched.
 */
export async function pollCycle(context: PollContext): Promise<PollReport> {
  const { deps, settings, at } = context;
  const report = newReport(at, context.startedFrom);
  const client = betfairClient(deps, settings, context.credentials);
  await keepAliveIfDue(client, context.state, report);
  if (report.sessionFailure) return report;
  const date = utcDate(at);
  let known = await deps.state.readMarkets(date);
  const catalogue = await fetchCatalogue(client, settings, at).catch((error: unknown) => {
    noteApiFailure(report, error);
    return undefined;
  });
  if (report.sessionFailure) return report;
  if (catalogue) known = mergeCatalogue(known, catalogue);
  const fetched = await fetchBooks(client, marketsToPoll(known), settings);
  fetched.failures.forEach((error) => noteApiFailure(report, error));
  known = applyBooks(known, fetched.answered, fetched.books);
  await deps.state.update((state) => pollStatus(state, 'WRITING'));
  await writeRecords(context, report, catalogue, fetched.books);
  await publish(context, report, known, catalogue, fetched.books);
  await deps.state.writeMarkets(date, known);
  return report;
}

async function keepAliveIfDue(
  client: BetfairClient,
  state: RecorderState,
  report: PollReport,
): Promise<void> {
  const last = state.lastKeepAlive ? Date.parse(state.lastKeepAlive) : 0;
  if (report.at.getTime() - last < KEEP_ALIVE_EVERY_MS) return;
  try {
    await client.keepAlive();
    report.keptAlive = true;
  } catch (error) {
    noteApiFailure(report, error);
  }
}

async function writeRecords(
  context: PollContext,
  report: PollReport,
  catalogue: readonly MarketCatalogue[] | undefined,
  books: readonly MarketBook[],
): Promise<void> {
  if (catalogue?.length) {
    report.cataloguePath = await writeRecordFile(context, report, 'catalogue', catalogue);
    if (report.cataloguePath) report.markets = catalogue.length;
  }
  if (books.length > 0) {
    report.booksPath = await writeRecordFile(context, report, 'books', books);
    if (report.booksPath) report.books = books.length;
  }
}

async function writeRecordFile(
  { deps, settings, at }: PollContext,
  report: PollReport,
  dataType: DataType,
  records: readonly object[],
): Promise<string | undefined> {
  const name = recordPath(settings.basePath, dataType, at);
  try {
    const bytes = toNdjson(records, dataType, at);
    await writeObject(deps.objectStore, settings.bucket, name, bytes, 'application/x-ndjson');
    report.writes += 1;
    return name;
  } catch (error) {
    report.gcsFailures.push(`Writing ${name} failed: ${errorMessage(error)}`);
    return undefined;
  }
}

async function publish(
  { deps, settings }: PollContext,
  report: PollReport,
  known: Parameters<typeof latestBooks>[1],
  catalogue: readonly MarketCatalogue[] | undefined,
  books: readonly MarketBook[],
): Promise<void> {
  const target = { store: deps.objectStore, bucket: settings.bucket, basePath: settings.basePath };
  try {
    const latest = await latestBooks(target, known, books);
    await publishSnapshot(target, latest, catalogue);
    report.booksCached = latest.length;
  } catch (error) {
    report.gcsFailures.push(`Publishing the latest snapshot failed: ${errorMessage(error)}`);
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

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
