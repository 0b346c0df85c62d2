import { z } from 'zod';
import { parseMoment, type Moment } from '../engine/stream/moments.js';
import {
  OUTPUT_FORMATS,
  PRODUCT_NAMES,
  productColumns,
  type OutputFormat,
  type ProductName,
  type ProductOptions,
} from '../engine/stream/products.js';
import { MAX_SNAPSHOT_DEPTH } from '../engine/stream/snapshots-table.js';
import { STREAM_COLUMNS } from '../engine/stream/stream-table.js';
import type { Column } from '../engine/stream/table.js';

/** What a parse job makes when the request names nothing. */
export const DEFAULT_PARSE_PRODUCTS: readonly ProductName[] = ['runners', 'markets'];
export const DEFAULT_SNAPSHOT_MOMENTS: readonly string[] = ['-60s', 'off', 'close'];
export const DEFAULT_LADDER_DEPTH = 3;
export const DEFAULT_BAR_SECONDS = 60;

/** A parse job's options as a job stores them and each file's message carries them. */
export interface ParseJobOptions {
  products: ProductName[];
  /** Moment specs as given (`-60s`, `off`, `close`, ISO times), each valid for parseMoment. */
  snapshotMoments: string[];
  ladderDepth: number;
  barSeconds: number;
  format: OutputFormat;
  /** Also a `stream` table of the raw lines (direct_to_bigquery's `warehouse.stream`). */
  stream?: boolean;
}

/** What a parse job writes: its products, and the raw `stream` table when asked. */
export type TableName = ProductName | 'stream';

/** The tables of a parse job, in the order they are written and loaded. */
export function tablesOf(options: ParseJobOptions): TableName[] {
  return [...options.products, ...(options.stream === true ? (['stream'] as const) : [])];
}

/** A table's columns for a job's options. */
export function tableColumns(name: TableName, options: ParseJobOptions): readonly Column[] {
  return name === 'stream' ? STREAM_COLUMNS : productColumns(name, productOptionsOf(options));
}

const productName = z
  .string()
  .refine((name) => (PRODUCT_NAMES as readonly string[]).includes(name), {
    error: (issue) =>
      `${JSON.stringify(issue.input)} is not a product; allowed: ${PRODUCT_NAMES.join(', ')}`,
  });

const momentSpec = z.string().superRefine((spec, context) => {
  try {
    parseMoment(spec);
  } catch (error) {
    context.addIssue({ code: 'custom', message: (error as Error).message });
  }
});

/** The request fields of a parse job, validated with messages that list what is allowed. */
export const parseRequestFields = {
  products: z
    .array(productName)
    .min(1, `list at least one of ${PRODUCT_NAMES.join(', ')}`)
    .max(PRODUCT_NAMES.length)
    .optional(),
  snapshotMoments: z.array(momentSpec).min(1, 'list at least one moment').max(50).optional(),
  ladderDepth: z
    .number({ error: `must be a whole number from 1 to ${MAX_SNAPSHOT_DEPTH}` })
    .int(`must be a whole number from 1 to ${MAX_SNAPSHOT_DEPTH}`)
    .min(1, `must be a whole number from 1 to ${MAX_SNAPSHOT_DEPTH}`)
    .max(MAX_SNAPSHOT_DEPTH, `must be a whole number from 1 to ${MAX_SNAPSHOT_DEPTH}`)
    .optional(),
  barSeconds: z
    .number({ error: 'must be a whole number of seconds from 1 to 86400' })
    .int('must be a whole number of seconds from 1 to 86400')
    .min(1, 'must be a whole number of seconds from 1 to 86400')
    .max(86_400, 'must be a whole number of seconds from 1 to 86400')
    .optional(),
  format: z
    .enum(OUTPUT_FORMATS, { error: `must be one of ${OUTPUT_FORMATS.join(', ')}` })
    .optional(),
};

/** The parse options of a request, with defaults; products listed once, in the order given. */
export function parseJobOptions(request: {
  products?: string[] | undefined;
  snapshotMoments?: string[] | undefined;
  ladderDepth?: number | undefined;
  barSeconds?: number | undefined;
  format?: OutputFormat | undefined;
  warehouse?: { stream?: boolean | undefined } | undefined;
}): ParseJobOptions {
  return {
    ...(request.warehouse?.stream === true ? { stream: true } : {}),
    products: [...new Set(request.products ?? DEFAULT_PARSE_PRODUCTS)] as ProductName[],
    snapshotMoments: request.snapshotMoments ?? [...DEFAULT_SNAPSHOT_MOMENTS],
    ladderDepth: request.ladderDepth ?? DEFAULT_LADDER_DEPTH,
    barSeconds: request.barSeconds ?? DEFAULT_BAR_SECONDS,
    format: request.format ?? 'ndjson',
  };
}

/** A parse job's options inside a decompress message. */
export const parseMessageSchema = z.object({
  products: z.array(z.enum(PRODUCT_NAMES)).min(1),
  snapshotMoments: z.array(momentSpec),
  ladderDepth: z.number().int().min(1).max(MAX_SNAPSHOT_DEPTH),
  barSeconds: z.number().int().min(1).max(86_400),
  format: z.enum(OUTPUT_FORMATS),
  stream: z.boolean().optional(),
});

/** What the stream engine's products need from a parse job's options. */
export function productOptionsOf(options: ParseJobOptions): Omit<ProductOptions, 'source'> {
  const moments: Moment[] = options.snapshotMoments.map(parseMoment);
  return { moments, depth: options.ladderDepth, barMs: options.barSeconds * 1000 };
}
