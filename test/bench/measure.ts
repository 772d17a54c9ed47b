/** One timed operation's summary, in microseconds. */
export interface BenchResult {
  name: string;
  iterations: number;
  medianUs: number;
  p99Us: number;
  meanUs: number;
  note?: string;
}

/**
 * Times `fn` call by call with `process.hrtime.bigint()` after a warm-up, so the JIT has compiled the
 * hot path, and reports median and p99 (means hide the tail; medians are what a caller usually sees).
 */
export function measure(
  name: string,
  fn: () => unknown,
  options: { warmup?: number; iterations?: number; note?: string } = {},
): BenchResult {
  const warmup = options.warmup ?? 200;
  const iterations = options.iterations ?? 2000;
  let sink = 0;
  for (let i = 0; i < warmup; i++) sink ^= fn() === undefined ? 0 : 1;
  const samples = new Float64Array(iterations);
  for (let i = 0; i < iterations; i++) {
    const start = process.hrtime.bigint();
    sink ^= fn() === undefined ? 0 : 1;
    samples[i] = Number(process.hrtime.bigint() - start) / 1000;
  }
  samples.sort();
  const mean = samples.reduce((sum, value) => sum + value, 0) / iterations;
  const result: BenchResult = {
    name,
    iterations,
    medianUs: samples[Math.floor(iterations / 2)] as number,
    p99Us: samples[Math.min(iterations - 1, Math.floor(iterations * 0.99))] as number,
    meanUs: mean,
  };
  if (options.note) result.note = options.note;
  if (sink === 2) console.log('');
  return result;
}

/** Prints results as an aligned table. */
export function printTable(title: string, results: readonly BenchResult[]): void {
  console.log(`\n${title}`);
  const rows = results.map((result) => [
    result.name,
    String(result.iterations),
    result.medianUs.toFixed(1),
    result.p99Us.toFixed(1),
    result.note ?? '',
  ]);
  const header = ['query', 'runs', 'median µs', 'p99 µs', 'note'];
  const widths = header.map((cell, column) =>
    Math.max(cell.length, ...rows.map((row) => (row[column] as string).length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) =>
        column === 0 || column === 4 ? cell.padEnd(widths[column] as number) : cell.padStart(widths[column] as number),
      )
      .join('  ');
  console.log(line(header));
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const row of rows) console.log(line(row));
}
