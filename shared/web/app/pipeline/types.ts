/** The pipeline API's answers, as far as the console reads them. */

export interface BrowseListing {
  path: string;
  folders: string[];
  files: { name: string; size: number; updated: string }[];
  truncated: boolean;
  layout: Record<string, string | number> | null;
}

export interface Validation {
  totalFiles: number;
  allValid: boolean;
  patterns: {
    pattern: string;
    valid: boolean;
    fileCount: number;
    error?: string;
    truncated: boolean;
  }[];
  folders: { path: string; layout: Record<string, string | number> | null }[];
}

export interface JobOptions {
  processTypes: string[];
  compressions: string[];
  invalidLines: string[];
  products: string[];
  formats: string[];
  fieldsByProcessType: Record<string, string[]>;
  defaults: {
    products: string[];
    snapshotMoments: string[];
    ladderDepth: number;
    barSeconds: number;
  };
  ladderDepth: { min: number; max: number };
  momentForms: string;
  fields: Record<string, FieldSchema>;
}

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

export interface JobStatus {
  jobId: string;
  status: string;
  progress: number;
  recordsProcessed: number;
  recordsTotal: number;
  bytesRead: number;
  bytesTotal: number;
  elapsedSeconds: number;
  estimatedSecondsRemaining: number | null;
  throughputRecordsPerSec: number;
  stages: Record<string, string>;
  createdAt: string;
  completedAt: string | null;
  errorMessage: string | null;
  outputLocation: string;
  dataflowUrl: string;
  filesTotal: number;
  filesSucceeded: number;
  filesFailed: number;
  filesSkipped: number;
  filesCancelled: number;
  quarantinedLines: number;
  outputFiles: string[];
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

export interface HistoryItem {
  jobId: string;
  sourceDataset: string;
  selectedPaths: string[];
  processType: string;
  targetBucket: string;
  outputPrefix: string;
  status: string;
  createdAt: string;
  completedAt: string | null;
  durationSeconds: number | null;
  recordsProcessed: number;
  outputFiles: string[];
}

export const TERMINAL = new Set(['completed', 'failed', 'cancelled']);
