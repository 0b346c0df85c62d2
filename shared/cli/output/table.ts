/**
 * Rows as left-aligned, space-separated columns under a header and a rule. Cells are cut to
 * `maxWidth` characters so one long error message cannot push the other columns off screen.
 */
export function formatTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  maxWidth = 100,
): string {
  const all = [header, ...rows].map((row) => row.map((cell) => cut(cell, maxWidth)));
  const widths = header.map((_, i) => Math.max(...all.map((row) => (row[i] ?? '').length)));
  const line = (row: readonly string[]) =>
    row
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [line(all[0] ?? []), rule, ...all.slice(1).map(line)].join('\n');
}

function cut(cell: string, maxWidth: number): string {
  const flat = cell.replace(/\s+/g, ' ');
  return flat.length > maxWidth ? `${flat.slice(0, maxWidth - 1)}…` : flat;
}
