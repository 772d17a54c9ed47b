/** Column alignment for {@link renderTable}. */
export type Align = 'left' | 'right';

export interface Column<Row> {
  header: string;
  value: (row: Row) => string;
  align?: Align;
}

/**
 * Renders rows as an aligned plain-text table: a header, a rule, one line per row. Widths are
 * measured in code points so that names with accents still line up.
 */
export function renderTable<Row>(rows: readonly Row[], columns: readonly Column<Row>[]): string {
  const cells = rows.map((row) => columns.map((column) => column.value(row)));
  const widths = columns.map((column, index) =>
    Math.max(width(column.header), ...cells.map((line) => width(line[index] ?? ''))),
  );
  const format = (values: readonly string[]) =>
    values
      .map((value, index) => pad(value, widths[index] ?? 0, columns[index]?.align ?? 'left'))
      .join('  ')
      .trimEnd();
  const lines = [format(columns.map((column) => column.header)), widths.map((w) => '-'.repeat(w)).join('  ')];
  for (const line of cells) lines.push(format(line));
  return lines.join('\n');
}

function width(text: string): number {
  return [...text].length;
}

function pad(text: string, size: number, align: Align): string {
  const gap = ' '.repeat(Math.max(0, size - width(text)));
  return align === 'right' ? gap + text : text + gap;
}

/** `128000` -> `128,000`; absent values print as `-`. */
export function formatInteger(value: number | undefined): string {
  return value === undefined ? '-' : value.toLocaleString('en-US');
}

/** A USD-per-1M price as `$2.50` (cents always shown, finer digits kept: `$0.075`); absent prices print as `-`. */
export function formatPrice(value: number | undefined): string {
  if (value === undefined) return '-';
  const cents = value.toFixed(2);
  if (Number(cents) === value) return `$${cents}`;
  return `$${Number(value.toPrecision(6))}`;
}
