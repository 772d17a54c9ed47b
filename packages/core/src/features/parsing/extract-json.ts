/**
 * Finds the JSON a model embedded in its answer: a fenced ```json block first, then any other
 * fenced block, then the first balanced `{...}` or `[...]` in the prose that parses. Optionally
 * validates it with a zod schema (anything with `safeParse`).
 */
import { InvalidRequestError } from '../../errors/errors.js';
import { extractCodeBlocks } from './code-blocks.js';

/** A zod-like schema. */
export interface ParseSchema<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false; error: unknown };
}

/** Options of {@link extractJson}. */
export interface ExtractJsonOptions<T> {
  /** Validate the JSON found; the first candidate that parses and validates wins. */
  schema?: ParseSchema<T>;
  /** Throw when nothing is found (default: return `undefined`). */
  required?: boolean;
}

/** The end index (exclusive) of the balanced JSON value starting at `start`, or -1. */
function balancedEnd(text: string, start: number): number {
  const stack: string[] = [];
  let inString = false;
  for (let i = start; i < text.length; i += 1) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i += 1;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === '{' || ch === '[') stack.push(ch === '{' ? '}' : ']');
    else if (ch === '}' || ch === ']') {
      if (stack.pop() !== ch) return -1;
      if (stack.length === 0) return i + 1;
    }
  }
  return -1;
}

function* candidates(text: string): Generator<string> {
  const blocks = extractCodeBlocks(text);
  for (const block of blocks) if (block.language === 'json' || block.language === 'jsonc') yield block.code;
  for (const block of blocks) if (block.language !== 'json' && block.language !== 'jsonc') yield block.code;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (ch !== '{' && ch !== '[') continue;
    const end = balancedEnd(text, i);
    if (end !== -1) yield text.slice(i, end);
  }
}

/**
 * The first JSON object or array in `text` (fenced blocks preferred), parsed; with `schema`, the
 * first one that also validates, typed by the schema. `undefined` when none is found, unless
 * `required` (then an InvalidRequestError says what was wrong with the closest candidate).
 */
export function extractJson<T = unknown>(text: string, options: ExtractJsonOptions<T> = {}): T | undefined {
  let lastProblem: string | undefined;
  for (const candidate of candidates(text)) {
    const trimmed = candidate.trim();
    if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) continue;
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch (error) {
      lastProblem = `invalid JSON (${(error as Error).message})`;
      continue;
    }
    if (options.schema === undefined) return value as T;
    const result = options.schema.safeParse(value);
    if (result.success) return result.data;
    lastProblem = `JSON did not match the schema: ${String((result.error as Error)?.message ?? result.error)}`;
  }
  if (options.required)
    throw new InvalidRequestError(`No JSON object or array found in the text${lastProblem ? `: ${lastProblem}` : ''}`, {
      retryable: false,
    });
  return undefined;
}
