import { parse } from 'csv-parse/sync';
import type { Column } from '../../shared/engine/stream/table.js';

/** A CSV row read back as its column types give it: null where the field is empty. */
export type CsvRow = Record<string, string | number | boolean | null>;

const INTEGER = /^-?\d+$/;
const DECIMAL = /^-?(\d+(\.\d*)?|\.\d+)(e[-+]?\d+)?$/i;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/**
 * The records of a product's CSV text as csv-parse reads them (RFC 4180, as a loader would),
 * the header first. Every record must have as many fields as the first.
 */
export function csvRecords(text: string): string[][] {
  return parse(text, { relax_column_count: false, skip_empty_lines: false });
}

/** Each record of CSV text with the exact text it was read from (its line break included). */
export function csvRecordTexts(text: string): { fields: string[]; text: string }[] {
  // csv-parse's types leave out the shape `raw: true` gives each record.
  const read = parse(text, { raw: true }) as unknown as { record: string[]; raw: string }[];
  return read.map(({ record, raw }) => ({ fields: record, text: raw }));
}

/**
 * Reads a product's CSV output against its documented columns: the header must name them in
 * order and every field must parse as its column's type (INT64 and FLOAT64 as numbers, BOOL as
 * true/false, DATE as a day, TIMESTAMP as an ISO 8601 UTC instant); an empty field is null,
 * refused in a column that is not nullable. Throws, naming the record and column, otherwise.
 */
export function readProductCsv(text: string, columns: readonly Column[]): CsvRow[] {
  const [header, ...records] = csvRecords(text);
  const names = columns.map((column) => column.name);
  if (JSON.stringify(header) !== JSON.stringify(names)) {
    throw new Error(`CSV header ${JSON.stringify(header)} is not ${JSON.stringify(names)}`);
  }
  return records.map((record, index) => {
    if (record.length !== columns.length) {
      throw new Error(`record ${index + 1} has ${record.length} fields, not ${columns.length}`);
    }
    const row: CsvRow = {};
    columns.forEach((column, at) => {
      row[column.name] = fieldValue(record[at] ?? '', column, index + 1);
    });
    return row;
  });
}

function fieldValue(field: string, column: Column, record: number): CsvRow[string] {
  const refuse = (why: string) =>
    new Error(`record ${record}, column ${column.name} (${column.type}): ${why}`);
  if (field === '') {
    if (!column.nullable && column.type !== 'STRING') throw refuse('empty but not nullable');
    return column.type === 'STRING' && !column.nullable ? '' : null;
  }
  switch (column.type) {
    case 'STRING':
      return field;
    case 'INT64':
      if (!INTEGER.test(field)) throw refuse(`${JSON.stringify(field)} is not an integer`);
      return Number(field);
    case 'FLOAT64':
      if (!DECIMAL.test(field)) throw refuse(`${JSON.stringify(field)} is not a number`);
      return Number(field);
    case 'BOOL':
      if (field !== 'true' && field !== 'false')
        throw refuse(`${JSON.stringify(field)} is not a boolean`);
      return field === 'true';
    case 'DATE':
      if (!DAY.test(field)) throw refuse(`${JSON.stringify(field)} is not a day`);
      return field;
    case 'TIMESTAMP':
      if (!INSTANT.test(field) || Number.isNaN(Date.parse(field))) {
        throw refuse(`${JSON.stringify(field)} is not an ISO 8601 UTC instant`);
      }
      return field;
    case 'JSON':
      return field;
  }
}
