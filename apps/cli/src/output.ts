/**
 * Where commands write. Kept as an object so tests and the program share one place that knows
 * whether the user asked for JSON.
 */
export interface Output {
  json: boolean;
  print(text: string): void;
  printJson(value: unknown): void;
  error(text: string): void;
}

export function createOutput(json: boolean): Output {
  return {
    json,
    print: (text) => process.stdout.write(`${text}\n`),
    printJson: (value) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`),
    error: (text) => process.stderr.write(`${text}\n`),
  };
}

/** An error the CLI reports as one clear line and exit code 1, without a stack trace. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A failure the command has already reported in full (e.g. a list of problems); the CLI just exits 1. */
export class ReportedFailure extends Error {
  override readonly name = 'ReportedFailure';
}
