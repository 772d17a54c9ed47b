/**
 * Deterministic TypeScript literals for generated data: object keys sorted, strings single-quoted,
 * short values on one line and longer ones one entry per line.
 */

const INLINE_WIDTH = 80;
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** A single-quoted TypeScript string literal. */
export function quote(text: string): string {
  const delimiter = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = delimiter;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (char === delimiter) out += `\\${delimiter}`;
    else if (char === '\\') out += '\\\\';
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x2028 || code === 0x2029 || code === 0x7f)
      out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += char;
  }
  return `${out}${delimiter}`;
}

/** An object key: bare when it is an identifier, quoted otherwise (or always, for data maps). */
export function propertyKey(key: string, alwaysQuote = false): string {
  return !alwaysQuote && IDENTIFIER.test(key) ? key : quote(key);
}

export interface LiteralOptions {
  /** Quote every key of the top-level object (records keyed by data: model ids, aliases). */
  quoteTopLevelKeys?: boolean;
  /** Indentation of the line the literal starts on. */
  indent?: string;
}

/** Prints a JSON-like value as a TypeScript expression. */
export function printLiteral(value: unknown, options: LiteralOptions = {}): string {
  return print(value, options.indent ?? '', options.quoteTopLevelKeys ?? false);
}

function print(value: unknown, indent: string, quoteKeys: boolean): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot print ${value}`);
    return Object.is(value, -0) ? '0' : String(value);
  }
  if (typeof value === 'boolean') return String(value);
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const items = value.map((item) => print(item, inner, false));
    const inline = `[${items.join(', ')}]`;
    if (inline.length <= INLINE_WIDTH && !inline.includes('\n')) return inline;
    return `[\n${items.map((item) => `${inner}${item},`).join('\n')}\n${indent}]`;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    if (entries.length === 0) return '{}';
    const items = entries.map(([key, item]) => `${propertyKey(key, quoteKeys)}: ${print(item, inner, false)}`);
    const inline = `{ ${items.join(', ')} }`;
    if (inline.length <= INLINE_WIDTH && !inline.includes('\n')) return inline;
    return `{\n${items.map((item) => `${inner}${item},`).join('\n')}\n${indent}}`;
  }
  throw new Error(`cannot print a ${typeof value}`);
}
