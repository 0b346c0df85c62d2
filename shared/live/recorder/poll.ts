import { randomUUID } from 'node:crypto';
import type { BetfairClient, FailedRequest } from '../../betfair/client.js';
import { BetfairError } from '../../betfair/errors.js';
import type { MarketBook, MarketCatalogue } from '../../betfair/market-schemas.js';
import { type Deadline, deadlineIn } from '../../betfair/transport.js';
import {
  betfairClient,
  type RecorderDeps,
  loadSettings,
  POLL_TIMING,
  replaceStaleSession,
} from './deps.js';
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
  /** Every failed Betfair request attempt, retried ones included, and why. */
  apiFailures: string[];
  gcsFailures: string[];
  /** Set when Betfair refused the session: recording stops until a new one is saved. */
  sessionFailure?: string;
  /** Set when the poll ended after its lease: a newer poll owns the snapshot and the status. */
  late?: string;
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
export function noteApiFailure(report: PollReport, error: unknown, retried = false): void {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof BetfairError && error.needsNewSession) report.sessionFailure = message;
  else report.apiFailures.push(retried ? `${message} (retried)` : message);
}

/**
 * The state after a poll: counters, paths, errors, the log line and the next status. A late
 * poll (one a newer poll has begun after) adds its counts and errors only: what it wrote stays
 * written, but the newer poll's status, paths and time are left alone.
 */
export function finishPoll(
  state: RecorderState,
  report: PollReport,
  holder?: string,
): RecorderState {
  const { at } = report;
  const late = holder !== undefined && state.pollHolder !== holder;
  const pollCount = state.pollCount + (late ? 0 : 1);
  let next: RecorderState = {
    ...state,
    lastPoll: late ? state.lastPoll : at.toISOString(),
    pollCount,
    lastKeepAlive: report.keptAlive && !late ? at.toISOString() : state.lastKeepAlive,
    lastCataloguePath: late
      ? state.lastCataloguePath
      : (report.cataloguePath ?? state.lastCataloguePath),
    lastBooksPath: late ? state.lastBooksPath : (report.booksPath ?? state.lastBooksPath),
    stats: {
      total_polls: state.stats.total_polls + 1,
      total_markets_recorded: state.stats.total_markets_recorded + report.markets,
      total_books_recorded: state.stats.total_books_recorded + report.books,
      total_gcs_writes: state.stats.total_gcs_writes + report.writes,
      gcs_errors: state.stats.gcs_errors + report.gcsFailures.length,
      api_errors: state.stats.api_errors + report.apiFailures.length,
      markets_cached: report.cataloguePath && !late ? report.markets : state.stats.markets_cached,
      books_cached: late ? state.stats.books_cached : report.booksCached,
    },
    gcs: {
      writes: state.gcs.writes + report.writes,
      errors: state.gcs.errors + report.gcsFailures.length,
      last_error: report.gcsFailures.at(-1) ?? state.gcs.last_error,
    },
  };
  for (const [message, count] of countedMessages(report.apiFailures)) {
    next = withError(next, at, 'API_ERROR', count > 1 ? `${message} (${count} requests)` : message);
  }
  for (const message of report.gcsFailures) next = withError(next, at, 'GCS_ERROR', message);
  const lateNote = late
    ? (report.late ?? 'Poll outlived its lease; a newer poll owns the state')
    : undefined;
  if (lateNote) return withError(next, at, 'POLL_LATE', lateNote);
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

/**
 * Failures with the same message, once each with how many there were: a deadline that cuts
 * off a hundred book requests is one line in the errors list, not a hundred.
 */
function countedMessages(messages: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const message of messages) counts.set(message, (counts.get(message) ?? 0) + 1);
  return counts;
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
  /** The lease holder this poll runs as. */
  holder: string;
  /** When every Betfair request of this poll must have ended. */
  deadline: Deadline;
}

/**
 * The seed's cycle: keep-alive when due, the day's catalogue, books of every market seen today
 * until it has CLOSED, the NDJSON files, the feed's snapshot, and the day's market list. A
 * failed step is noted in the report and the rest still runs with what was fetched. Every
 * Betfair request ends by the poll's deadline, and every failed attempt, retried or not, is
 * counted; the snapshot and the market list are written only while the lease is still held.
 */
export async function pollCycle(context: PollContext): Promise<PollReport> {
  const { deps, settings, at } = context;
  const report = newReport(at, context.startedFrom);
  const counted = new WeakSet<Error>();
  const onFailedRequest = ({ error, retried }: FailedRequest) => {
    counted.add(error);
    noteApiFailure(report, error, retried);
  };
  const uncounted = (error: unknown) => {
    if (!(error instanceof Error && counted.has(error))) noteApiFailure(report, error);
  };
  const client = betfairClient(deps, settings, context.credentials, {
    deadline: context.deadline,
    onFailedRequest,
  });
  await keepAliveIfDue(client, context.state, report, uncounted);
  if (report.sessionFailure) return report;
  const date = utcDate(at);
  let known = await deps.state.readMarkets(date);
  const catalogue = await fetchCatalogue(client, settings, at).catch((error: unknown) => {
    uncounted(error);
    return undefined;
  });
  if (report.sessionFailure) return report;
  if (catalogue) known = mergeCatalogue(known, catalogue);
  const fetched = await fetchBooks(client, marketsToPoll(known), settings);
  fetched.failures.forEach(uncounted);
  known = applyBooks(known, fetched.answered, fetched.books);
  await deps.state.update((state) =>
    state.pollHolder === context.holder ? pollStatus(state, 'WRITING') : undefined,
  );
  await writeRecords(context, report, catalogue, fetched.books);
  if (!(await stillHeld(context, report))) return report;
  await publish(context, report, known, catalogue, fetched.books);
  await deps.state.writeMarkets(date, known);
  return report;
}

/**
 * Whether this poll still holds its lease. A poll that outlived it keeps the files it wrote
 * (named by its own start time) but leaves the snapshot and the market list to the newer poll.
 */
async function stillHeld(context: PollContext, report: PollReport): Promise<boolean> {
  if (await context.deps.lease.holds(context.holder, context.deps.now())) return true;
  report.late =
    `Poll of ${context.at.toISOString()} outlived its lease: its files were written, ` +
    'the snapshot and market list were left to the newer poll';
  return false;
}

async function keepAliveIfDue(
  client: BetfairClient,
  state: RecorderState,
  report: PollReport,
  onError: (error: unknown) => void,
): Promise<void> {
  const last = state.lastKeepAlive ? Date.parse(state.lastKeepAlive) : 0;
  if (report.at.getTime() - last < KEEP_ALIVE_EVERY_MS) return;
  try {
    await client.keepAlive();
    report.keptAlive = true;
  } catch (error) {
    onError(error);
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

/** What a poll invocation did. */
export interface PollResult {
  outcome: 'polled' | 'skipped' | 'idle' | 'auth_error';
  message: string;
}

/**
 * Runs one poll under the lease. Scheduled polls (`force` false) run only while recording and
 * when due; a manual poll runs whatever the status. A second poll while one holds the lease is
 * skipped. The poll's Betfair requests all end by its deadline, well inside the lease.
 */
export async function runPoll(deps: RecorderDeps, force: boolean): Promise<PollResult> {
  const holder = randomUUID();
  const at = deps.now();
  const timing = deps.pollTiming ?? POLL_TIMING;
  const deadline = deadlineIn(timing.deadlineMs);
  if (!(await deps.lease.acquire(holder, at, timing.leaseTtlMs))) {
    return { outcome: 'skipped', message: 'Another poll is in progress' };
  }
  try {
    return await gatedPoll(deps, { at, force, holder, deadline });
  } finally {
    await deps.lease.release(holder);
  }
}

async function gatedPoll(
  deps: RecorderDeps,
  run: { at: Date; force: boolean; holder: string; deadline: Deadline },
): Promise<PollResult> {
  const { at, force, holder } = run;
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
    return beginPoll(base, date, at, holder);
  });
  if (!decision.gate.start) return { outcome: 'idle', message: decision.gate.reason };
  if (!credentials) return { outcome: 'auth_error', message: NO_CREDENTIALS };
  if (decision.previousDate && decision.previousDate !== date) {
    await deps.state.deleteMarkets(decision.previousDate);
  }
  const context: PollContext = {
    deps,
    settings,
    credentials,
    state,
    at,
    startedFrom: decision.startedFrom,
    holder,
    deadline: run.deadline,
  };
  try {
    const report = await pollWithWorkingSession(context);
    const final = await deps.state.update((current) => finishPoll(current, report, holder));
    const message = final.log.at(-1)?.message ?? 'Poll complete';
    return { outcome: report.sessionFailure ? 'auth_error' : 'polled', message };
  } catch (error) {
    await restoreAfterCrash(deps, decision.startedFrom, error);
    throw error;
  }
}

/**
 * The cycle, run again once with the configured session when Betfair refused a stored one
 * that a newer configured session replaces (see replaceStaleSession).
 */
async function pollWithWorkingSession(context: PollContext): Promise<PollReport> {
  const report = await pollCycle(context);
  if (!report.sessionFailure) return report;
  const { deps, settings, credentials, deadline } = context;
  const working = await replaceStaleSession(deps, settings, credentials, { deadline });
  return working ? pollCycle({ ...context, credentials: working }) : report;
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
