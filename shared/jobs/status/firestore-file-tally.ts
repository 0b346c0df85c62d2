import {
  AggregateField,
  type CollectionReference,
  type Query,
  type Timestamp,
} from '@google-cloud/firestore';
import type { FileResult } from '../job-model.js';
import type { JobProgress } from '../job-record.js';

/**
 * The counts summed over succeeded files, and the progress field each one feeds. The file
 * status store writes them top-level beside `result`, so every Firestore can sum them.
 */
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

/**
 * Totals over a job's `files` subcollection with aggregation queries: a count per terminal
 * state and sums of the succeeded files' counts. `updatedAt` is the earliest read time of
 * the queries, so every change committed before it is counted by all of them.
 */
export async function tallyFiles(files: CollectionReference): Promise<JobProgress> {
  const [succeeded, failed, cancelled] = await Promise.all([
    sumSucceeded(files.where('state', '==', 'succeeded')),
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
  const fields = Object.fromEntries(
    Object.entries(SUMMED).map(([total, field]) => [total, AggregateField.sum(field)]),
  ) as Record<keyof Sums, AggregateField<number>>;
  const snap = await query.aggregate({ ...fields, count: AggregateField.count() }).get();
  const { count: files, ...sums } = snap.data();
  return { value: { count: files, sums }, readTime: snap.readTime };
}
