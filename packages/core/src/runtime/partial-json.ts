/**
 * A lenient parser for the prefix of a JSON document, for showing a structured answer while it
 * streams. It returns what the prefix already says for sure, so each result extends the previous
 * one as the text grows: an unfinished string is kept as far as it goes (it can only grow), but an
 * unfinished number (`12` may become `125`), literal (`tr`) or object key is left out until it ends,
 * and an unfinished escape sequence is cut. No dependency: the job is small and the packages that do
 * it either pull in more than they parse or return values that later shrink (partial numbers).
 */

/** Thrown inside the parser when the text is not the start of any JSON document. */
class NotJson extends Error {}

/** Marks "nothing usable yet" (the text ends before the value says anything for sure). */
const NOTHING = Symbol('nothing');

interface Parsed {
  value: unknown;
  /** Whether the value ended (closing quote, bracket or brace seen). */
  complete: boolean;
}

const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERALS: readonly [string, unknown][] = [
  ['true', true],
  ['false', false],
  ['null', null],
];

class PrefixParser {
  private position = 0;
  constructor(private readonly text: string) {}

  private skipSpace(): void {
    const text = this.text;
    while (this.position < text.length) {
      const code = text.charCodeAt(this.position);
      if (code !== 0x20 && code !== 0x0a && code !== 0x0d && code !== 0x09) return;
      this.position += 1;
    }
  }

  private atEnd(): boolean {
    return this.position >= this.text.length;
  }

  value(): Parsed | typeof NOTHING {
    this.skipSpace();
    if (this.atEnd()) return NOTHING;
    const char = this.text[this.position];
    if (char === '{') return this.object();
    if (char === '[') return this.array();
    if (char === '"') return this.string();
    if (char === '-' || (char !== undefined && char >= '0' && char <= '9')) return this.number();
    return this.literal();
  }

  private object(): Parsed {
    const result: Record<string, unknown> = {};
    this.position += 1;
    let expectEntry = true;
    for (;;) {
      this.skipSpace();
      if (this.atEnd()) return { value: result, complete: false };
      const char = this.text[this.position];
      if (char === '}') {
        this.position += 1;
        return { value: result, complete: true };
      }
      if (!expectEntry) {
        if (char !== ',') throw new NotJson();
        this.position += 1;
        expectEntry = true;
        continue;
      }
      if (char !== '"') throw new NotJson();
      const key = this.string();
      if (!key.complete) return { value: result, complete: false };
      this.skipSpace();
      if (this.atEnd()) return { value: result, complete: false };
      if (this.text[this.position] !== ':') throw new NotJson();
      this.position += 1;
      const entry = this.value();
      if (entry === NOTHING) return { value: result, complete: false };
      result[key.value as string] = entry.value;
      if (!entry.complete) return { value: result, complete: false };
      expectEntry = false;
    }
  }

  private array(): Parsed {
    const result: unknown[] = [];
    this.position += 1;
    let expectItem = true;
    for (;;) {
      this.skipSpace();
      if (this.atEnd()) return { value: result, complete: false };
      const char = this.text[this.position];
      if (char === ']') {
        this.position += 1;
        return { value: result, complete: true };
      }
      if (!expectItem) {
        if (char !== ',') throw new NotJson();
        this.position += 1;
        expectItem = true;
        continue;
      }
      const item = this.value();
      if (item === NOTHING) return { value: result, complete: false };
      result.push(item.value);
      if (!item.complete) return { value: result, complete: false };
      expectItem = false;
    }
  }

  /** A string; unfinished, it is kept up to its last whole character (a cut escape is dropped). */
  private string(): Parsed {
    const text = this.text;
    let out = '';
    let position = this.position + 1;
    let runStart = position;
    while (position < text.length) {
      const char = text[position];
      if (char === '"') {
        this.position = position + 1;
        return { value: out + text.slice(runStart, position), complete: true };
      }
      if (char !== '\\') {
        position += 1;
        continue;
      }
      out += text.slice(runStart, position);
      const kind = text[position + 1];
      if (kind === 'u') {
        const hex = text.slice(position + 2, position + 6);
        if (!/^[0-9a-fA-F]*$/.test(hex)) throw new NotJson();
        if (hex.length < 4) return this.cut(out);
        out += String.fromCharCode(Number.parseInt(hex, 16));
        position += 6;
      } else {
        if (kind === undefined) return this.cut(out);
        const escaped = ESCAPES[kind];
        if (escaped === undefined) throw new NotJson();
        out += escaped;
        position += 2;
      }
      runStart = position;
    }
    return this.cut(out + text.slice(runStart));
  }

  /** An unfinished string: the text ends inside it. */
  private cut(value: string): Parsed {
    this.position = this.text.length;
    return { value, complete: false };
  }

  /** A number counts only once something follows it: until then it may still grow. */
  private number(): Parsed | typeof NOTHING {
    NUMBER.lastIndex = this.position;
    const match = NUMBER.exec(this.text);
    if (match === null) {
      if (/^-?$/.test(this.text.slice(this.position))) return this.finish(NOTHING);
      throw new NotJson();
    }
    const end = this.position + match[0].length;
    if (end >= this.text.length) return this.finish(NOTHING);
    const next = this.text[end];
    // `1.` or `1e` stopped mid-number, not at the number's end.
    if (next === '.' || next === 'e' || next === 'E' || next === '+' || next === '-') {
      if (/^[\d.eE+-]*$/.test(this.text.slice(end))) return this.finish(NOTHING);
      throw new NotJson();
    }
    this.position = end;
    return { value: Number(match[0]), complete: true };
  }

  private literal(): Parsed | typeof NOTHING {
    const rest = this.text.slice(this.position, this.position + 5);
    for (const [word, value] of LITERALS) {
      if (rest.startsWith(word)) {
        this.position += word.length;
        return { value, complete: true };
      }
      if (word.startsWith(rest)) return this.finish(NOTHING);
    }
    throw new NotJson();
  }

  /** Consumes the rest of the text: whatever ends it is not a value yet. */
  private finish(result: typeof NOTHING): typeof NOTHING {
    this.position = this.text.length;
    return result;
  }

  /** Whether only whitespace is left. */
  rest(): boolean {
    this.skipSpace();
    return this.atEnd();
  }
}

/** What the start of a JSON document says so far. */
export interface PartialJson {
  /** The value so far (partial strings kept, unfinished numbers, literals and keys left out). */
  value: unknown;
  /** Whether the document is whole. */
  complete: boolean;
}

/**
 * Parses the start of a JSON document leniently. Returns undefined when the text says nothing for
 * sure yet (empty, `-`, `tr`) or is not the start of a JSON document at all.
 */
export function parsePartialJson(text: string): PartialJson | undefined {
  const parser = new PrefixParser(text);
  try {
    const parsed = parser.value();
    if (parsed === NOTHING) return undefined;
    if (parsed.complete && !parser.rest()) return undefined;
    return { value: parsed.value, complete: parsed.complete };
  } catch (error) {
    if (error instanceof NotJson) return undefined;
    throw error;
  }
}
