// The pipeline API's answers: its own types where it declares them (type-only imports, erased
// from the bundle), and the page's reading of the rest.
import type { BrowseListing } from '../../../pipeline/api/browse.js';
import type { JobManifest } from '../../../pipeline/finalize.js';
import type { JobOptionsDescription } from '../../../pipeline/job-options.js';
import type { ValidationReport } from '../../../pipeline/api/plugin-routes.js';
import type { HistoryItem, StatusResponse } from '../../../pipeline/status/status-view.js';

export type {
  BrowseListing,
  HistoryItem,
  StatusResponse as JobStatus,
  ValidationReport as Validation,
};

/** `GET /api/pipeline/{jobId}/manifest`: one page of the manifest's files, and their count. */
export type ManifestPage = JobManifest & { filesTotal: number };

/** `GET /api/pipeline/options`, with its fields read as the JSON Schema they are. */
export type JobOptions = Omit<JobOptionsDescription, 'fields'> & {
  fields: Record<string, FieldSchema>;
};

/** The parts of a JSON Schema the form reads. */
export interface FieldSchema {
  type?: string | string[];
  enum?: string[];
  default?: unknown;
  description?: string;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  items?: FieldSchema;
  properties?: Record<string, FieldSchema>;
  anyOf?: FieldSchema[];
}

export interface FileView {
  index: number;
  source: string;
  state: string;
  attempts: number;
  error: { code: string; message: string } | null;
  skipReason: string | null;
  output: string | null;
  lines: number | null;
}

export const TERMINAL = new Set(['completed', 'failed', 'cancelled']);
