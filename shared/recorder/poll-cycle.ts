import type { BetfairClient } from '../betfair/betfair-client.js';
import type { MarketBook } from '../betfair/book-schema.js';
import type { MarketCatalogue } from '../betfair/catalogue-schema.js';
import { applyBooks, marketsToPoll, mergeCatalogue } from './known-markets.js';
import { latestBooks, publishSnapshot } from './latest-snapshot.js';
import { fetchBooks, fetchCatalogue } from './market-data.js';
import { noteApiFailure, newReport, type PollReport } from './poll-report.js';
import { pollStatus } from './poll-state.js';
import { recordPath, utcDate, type DataType } from './record-paths.js';
import { toNdjson, writeObject } from './record-writer.js';
import { betfairClient, type RecorderDeps } from './recorder-deps.js';
import type { RecorderSettings } from './recorder-settings.js';
import type { RecorderState } from './recorder-state.js';
import type { RecorderStatus } from './recorder-status.js';

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
