import {
  AggregateField,
  type CollectionReference,
  type Query,
  type Timestamp,
} from '@google-cloud/firestore';
import type { FileResult } from '../job-model.js';
import type { JobProgress } from '../job-record.js';

/** The result fields summed over succeeded files, and the progress field each one feeds. */
const SUMMED = {
  bytesRead: 'bytesIn',
  bytesWritten: 'bytesOut',
  records: 'lines',
  quarantinedLines: 'quarantinedLines',
} as const satisfies Record<string, keyof FileResult>;
type Sums = Record<keyof typeof SUMMED, number>;

interface Counted<T> {
  value: T;
  readTime: Timestamp;
}

/** How to count: whether the server can aggregate nested fields such as `result.bytesIn`. */
export interface TallyOptions {
  /** False for the embedded emulator, which refuses them (after ~6 s of client retries). */
  nestedAggregations: boolean;
}

/**
 * Totals over a job's `files` subcollection with aggregation queries: a count per terminal
 * state and sums of the succeeded files' results. `updatedAt` is the earliest read time of
 * the queries, so every change committed before it is counted by all of them.
 */
export async function tallyFiles(
  files: CollectionReference,
  options: TallyOptions,
): Promise<JobProgress> {
  const succeededFiles = files.where('state', '==', 'succeeded');
  const [succeeded, failed, cancelled] = await Promise.all([
    options.nestedAggregations ? sumSucceeded(succeededFiles) : sumByReading(succeededFiles),
    count(files.where('state', '==', 'failed')),
    count(files.where('state', '==', 'cancelled')),
  ]);
  const readTimes = [succeeded.readTime, failed.readTime, cancelled.readTime];
  const earliest = readTimes.reduce((a, b) => (b.valueOf() < a.valueOf() ? b : a));
  return {
    ...succeeded.value.sums,
    succeeded: succeeded.value.count,
    failed: failed.value,
    cancelled: cancelled.value,
    updatedAt: earliest.toDate(),
  };
}

async function count(query: Query): Promise<Counted<number>> {
  const snap = await query.count().get();
  return { value: snap.data().count, readTime: snap.readTime };
}

async function sumSucceeded(query: Query): Promise<Counted<{ count: number; sums: Sums }>> {
  try {
    return await sumByAggregation(query);
  } catch (error) {
    if (!refusesNestedFields(error)) throw error;
    return sumByReading(query);
  }
}

async function sumByAggregation(query: Query): Promise<Counted<{ count: number; sums: Sums }>> {
  const fields = Object.fromEntries(
    Object.entries(SUMMED).map(([total, field]) => [total, AggregateField.sum(`result.${field}`)]),
  ) as Record<keyof Sums, AggregateField<number>>;
  const snap = await query.aggregate({ ...fields, count: AggregateField.count() }).get();
  const { count: files, ...sums } = snap.data();
  return { value: { count: files, sums }, readTime: snap.readTime };
}

/**
 * Sums the results here, reading every succeeded file: for the embedded emulator, which
 * cannot aggregate nested fields (fine for a local run, costly at scale).
 */
async function sumByReading(query: Query): Promise<Counted<{ count: number; sums: Sums }>> {
  const snap = await query.get();
  const sums: Sums = { bytesRead: 0, bytesWritten: 0, records: 0, quarantinedLines: 0 };
  for (const doc of snap.docs) {
    const result = (doc.get('result') ?? {}) as Partial<FileResult>;
    for (const [total, field] of Object.entries(SUMMED) as [keyof Sums, keyof FileResult][]) {
      const value = result[field];
      if (typeof value === 'number') sums[total] += value;
    }
  }
  return { value: { count: snap.size, sums }, readTime: snap.readTime };
}

/** The emulator answers a nested-field aggregation with UNKNOWN "Not implemented". */
function refusesNestedFields(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return code === 2 && typeof message === 'string' && message.includes('Not implemented');
}
