import type { FileStatus } from './job-model.js';

/** `_FAILURES.csv` as Google's Bulk Decompress template writes it: `file,error`, one row per failed file. */
export function failuresCsv(bucket: string, failed: readonly FileStatus[]): string {
  const rows = failed.map(
    (f) =>
      `${csvField(`gs://${bucket}/${f.source.name}`)},${csvField(f.error?.message ?? 'unknown error')}`,
  );
  return ['file,error', ...rows].join('\n') + '\n';
}

function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Where one source file's lines ended up. */
export interface ManifestFile {
  source: string;
  generation: string;
  output: string;
  /** Byte offset of the file's lines inside `output`. */
  offset: number;
  bytes: number;
  lines: number;
  quarantinedLines: number;
  quarantine?: string;
}

/** `_MANIFEST.json`: source object + generation → output object, offset, lines and bytes. */
export interface JobManifest {
  jobId: string;
  sourceBucket: string;
  targetBucket: string;
  shards: string[];
  files: ManifestFile[];
  failed: { source: string; generation: string; code: string; error: string }[];
}
