import { csvLine, ndjsonLine, type Column, type RowOf } from './table.js';
import type { TextFormat } from './products.js';

/**
 * The raw stream as a table: one row per market a line changes, with the line itself whole as
 * JSON, for questions the products do not answer. `publish_time` is `pt` as a time, for the
 * day partitions.
 */
export const STREAM_COLUMNS = [
  { name: 'market_id', type: 'STRING', nullable: false, description: 'mc[].id of the line' },
  { name: 'pt', type: 'INT64', nullable: false, description: 'publish time, epoch ms' },
  { name: 'publish_time', type: 'TIMESTAMP', nullable: false, description: 'pt as a time' },
  { name: 'clk', type: 'STRING', nullable: true, description: 'the stream clock token' },
  { name: 'op', type: 'STRING', nullable: false, description: 'the message type, mcm' },
  { name: 'line', type: 'JSON', nullable: false, description: 'the whole line' },
] as const satisfies readonly Column[];

export type StreamRow = RowOf<typeof STREAM_COLUMNS>;

interface StreamLine {
  op?: unknown;
  pt?: unknown;
  clk?: unknown;
  mc?: { id?: unknown }[];
}

/**
 * The rows of a file's lines: a line that is not a JSON object with `op`, a numeric `pt` and
 * market changes has none (the products' replay quarantines what is not market data).
 */
export async function streamTableText(
  lines: AsyncIterable<Buffer>,
  format: TextFormat,
): Promise<{ text: string; rows: number }> {
  const write = format === 'csv' ? csvLine : ndjsonLine;
  let text = '';
  let rows = 0;
  for await (const bytes of lines) {
    let message: StreamLine;
    try {
      message = JSON.parse(bytes.toString('utf8')) as StreamLine;
    } catch {
      continue;
    }
    if (typeof message !== 'object' || message === null) continue;
    const { op, pt, clk, mc } = message;
    if (typeof op !== 'string' || typeof pt !== 'number' || !Array.isArray(mc)) continue;
    const ids = new Set(
      mc.map((change) => change?.id).filter((id): id is string => typeof id === 'string'),
    );
    for (const id of ids) {
      const row: StreamRow = {
        market_id: id,
        pt,
        publish_time: new Date(pt).toISOString(),
        clk: typeof clk === 'string' ? clk : null,
        op,
        line: message,
      };
      text += write(STREAM_COLUMNS, row);
      rows++;
    }
  }
  return { text, rows };
}
