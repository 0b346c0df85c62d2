import { z } from 'zod';
import { parseInput } from '../../http/validate.js';
import { AppError } from '../../errors/app-error.js';
import { FILE_STATES, FILES_SUBCOLLECTION, JOBS_COLLECTION, type FileState } from '../job-model.js';
import { restFields, rfc3339 } from './rest-value.js';

/** The parts of a file status document the status trigger reads. */
export interface FileSnapshot {
  state: FileState;
  /** The source object's name, `PRO/2022/Apr/19/…/1.23.bz2`. */
  sourceName?: string;
  error?: { code: string; message: string };
  updatedAt?: Date;
}

/** One committed change to `dataflow-jobs/{jobId}/files/{fileId}`. */
export interface FileChange {
  jobId: string;
  fileId: string;
  before?: FileSnapshot;
  after?: FileSnapshot;
  /** The commit time of the change (the document's `updateTime`), server clock. */
  changedAt: Date;
}

const documentJson = z.object({
  name: z.string(),
  fields: restFields.optional(),
  updateTime: rfc3339,
});

const eventData = z.object({ value: documentJson.optional(), oldValue: documentJson.optional() });

const fileFields = z.object({
  state: z.enum(FILE_STATES),
  source: z.object({ name: z.string() }).optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  updatedAt: z.date().optional(),
});

const FILE_DOCUMENT = new RegExp(
  `^projects/[^/]+/databases/[^/]+/documents/${JOBS_COLLECTION}/([^/]+)/${FILES_SUBCOLLECTION}/([^/]+)$`,
);

/**
 * Decodes the JSON data of a `google.cloud.firestore.document.v1.written` event for a file
 * status document. Anything else is a permanent REQUEST.INVALID: no retry can fix it.
 */
export function parseFileChange(data: unknown): FileChange {
  const { value, oldValue } = parseInput(eventData, data, 'Firestore event');
  const document = value ?? oldValue;
  if (!document) throw invalid('Firestore event has neither value nor oldValue');
  const path = FILE_DOCUMENT.exec(document.name);
  if (!path) throw invalid(`Not a file status document: ${document.name}`);
  return {
    jobId: path[1]!,
    fileId: path[2]!,
    before: oldValue && snapshot(oldValue.fields, 'oldValue'),
    after: value && snapshot(value.fields, 'value'),
    changedAt: document.updateTime,
  };
}

function snapshot(fields: unknown, what: string): FileSnapshot {
  const { state, source, error, updatedAt } = parseInput(fileFields, fields ?? {}, what);
  return { state, sourceName: source?.name, error, updatedAt };
}

function invalid(message: string): AppError {
  return new AppError('EVENT.INVALID', 'invalid', message);
}
