import { FieldValue, Timestamp, type Firestore } from '@google-cloud/firestore';

/** The collections writeEveryKind writes to. */
const COLLECTIONS = ['jobs', 'jobs/j1/files', 'config'];

/**
 * Every kind of write the system makes, through the real client: set, merge, update of a
 * nested field, server timestamps, increments, a batch, a transaction, a delete, and a create
 * that fails because the document exists.
 */
export async function writeEveryKind(db: Firestore): Promise<void> {
  const job = db.doc('jobs/j1');
  await job.set({
    state: 'running',
    done: 0,
    rate: 1.5,
    startedAt: FieldValue.serverTimestamp(),
    due: Timestamp.fromMillis(1_700_000_000_123),
    tags: ['a', 'b'],
    meta: { owner: 'x', limits: { max: 3 } },
    blank: null,
  });
  await job.update({ done: FieldValue.increment(2), 'meta.owner': 'y' });
  const batch = db.batch();
  batch.set(db.doc('jobs/j1/files/f1'), { state: 'pending', lines: 0 });
  batch.set(db.doc('jobs/j1/files/f2'), { state: 'pending', lines: 0 });
  batch.update(job, { files: FieldValue.increment(2), touchedAt: FieldValue.serverTimestamp() });
  await batch.commit();
  await db.runTransaction(async (tx) => {
    const snapshot = await tx.get(job);
    tx.update(job, { done: (snapshot.get('done') as number) + 1 });
    tx.create(db.doc('jobs/j2'), { state: 'queued' });
  });
  await db.doc('jobs/j1/files/f2').delete();
  await db.doc('jobs/j1/files/f1').update({ lines: FieldValue.increment(1.25) });
  await db
    .doc('jobs/j2')
    .create({ state: 'twice' })
    .catch(() => undefined);
  await db.doc('config/recorder').set({ enabled: true, limits: { max: 5 } });
  await db.doc('config/recorder').set({ limits: { min: 1 } }, { merge: true });
}

/** What a reader sees of one document: its path, data and times, as JSON. */
export interface DocumentView {
  path: string;
  data: unknown;
  createTime: string;
  updateTime: string;
}

/** Every document of writeEveryKind's collections, as the client reads them. */
export async function readEveryDocument(db: Firestore): Promise<DocumentView[]> {
  const views: DocumentView[] = [];
  for (const collection of COLLECTIONS) {
    for (const doc of (await db.collection(collection).get()).docs) {
      views.push({
        path: doc.ref.path,
        data: plain(doc.data()),
        createTime: doc.createTime.toDate().toISOString(),
        updateTime: doc.updateTime.toDate().toISOString(),
      });
    }
  }
  return views.sort((a, b) => a.path.localeCompare(b.path));
}

/** A value with its Timestamps as ISO strings, so views compare across processes as JSON. */
function plain(value: unknown): unknown {
  if (value instanceof Timestamp) return { timestamp: value.toDate().toISOString() };
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, plain(inner)]));
  }
  return value;
}
