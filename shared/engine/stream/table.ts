/**
 * A product's table: its columns and their types, defined once. The NDJSON and CSV writers and
 * the BigQuery schema all derive from that one list, so they cannot disagree.
 */

/** BigQuery's names for the column types the products use. */
export const COLUMN_TYPES = [
  'STRING',
  'INT64',
  'FLOAT64',
  'BOOL',
  'DATE',
  'TIMESTAMP',
  'JSON',
] as const;
export type ColumnType = (typeof COLUMN_TYPES)[number];

export interface Column {
  readonly name: string;
  readonly type: ColumnType;
  readonly nullable: boolean;
  readonly description: string;
}

/**
 * DATE is `YYYY-MM-DD`, TIMESTAMP an ISO 8601 UTC string; both load into BigQuery as written.
 * A JSON column holds any JSON value, written as it is (in CSV, as its JSON text).
 */
type ValueOf<T extends ColumnType> = T extends 'INT64' | 'FLOAT64'
  ? number
  : T extends 'BOOL'
    ? boolean
    : T extends 'JSON'
      ? unknown
      : string;

/** The row type a column list describes. */
export type RowOf<C extends readonly Column[]> = {
  [K in C[number] as K['name']]: K['nullable'] extends true
    ? ValueOf<K['type']> | null
    : ValueOf<K['type']>;
};

/** One BigQuery JSON schema field. */
export interface BigQueryField {
  name: string;
  type: ColumnType;
  mode: 'NULLABLE' | 'REQUIRED';
  description: string;
}

/** The BigQuery JSON schema (the `--schema` file of `bq load`) of a column list. */
export function bigQuerySchema(columns: readonly Column[]): BigQueryField[] {
  return columns.map(({ name, type, nullable, description }) => ({
    name,
    type,
    mode: nullable ? 'NULLABLE' : 'REQUIRED',
    description,
  }));
}

/** One NDJSON line (with its newline): the row's fields in column order, null where absent. */
export function ndjsonLine<C extends readonly Column[]>(columns: C, row: RowOf<C>): string {
  const values = row as Record<string, unknown>;
  const ordered: Record<string, unknown> = {};
  for (const column of columns) ordered[column.name] = jsonValue(values[column.name]);
  return `${JSON.stringify(ordered)}\n`;
}

function jsonValue(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  return value;
}

/** The CSV header line (with its newline). */
export function csvHeader(columns: readonly Column[]): string {
  return `${columns.map((column) => csvField(column.name)).join(',')}\n`;
}

/** One CSV line (RFC 4180, with its newline): null is an empty field. */
export function csvLine<C extends readonly Column[]>(columns: C, row: RowOf<C>): string {
  const values = row as Record<string, unknown>;
  return `${columns.map((column) => csvValue(values[column.name])).join(',')}\n`;
}

function csvValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  return csvField(typeof value === 'string' ? value : JSON.stringify(value));
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
