/**
 * A fast "could any of these strings be in this text?" check, so that redacting clean text costs a
 * fraction of one pass over it whatever the number of secrets (a RegExp alternation of many
 * literals is checked at every character for every alternative instead).
 *
 * This is the Wu-Manber multi-pattern search on the first {@link WINDOW} characters of each needle:
 * a table says, for each 3-character block, how far the window may jump when the block ends it
 * (usually 10 characters, as most blocks are in no needle); only where the jump is 0 is the window
 * compared with the needles' windows. Needles shorter than the window are checked with `includes`.
 * A `true` answer means "maybe": the caller then runs its exact search.
 */

/** Characters compared per needle: the shortest prefix or suffix of a secret that counts. */
export const WINDOW = 12;

const BLOCK = 3;
const TABLE_SIZE = 1 << 14;
const TABLE_MASK = TABLE_SIZE - 1;
const MAX_SHIFT = WINDOW - BLOCK + 1;

/** Hash of the block of 3 characters ending at `end`. */
function blockHash(text: string, end: number): number {
  return (((text.charCodeAt(end - 2) * 31 + text.charCodeAt(end - 1)) * 31 + text.charCodeAt(end)) | 0) & TABLE_MASK;
}

export class WindowFilter {
  /** How far the window's end may move when its last block hashes to the index. */
  private readonly shift = new Uint8Array(TABLE_SIZE).fill(MAX_SHIFT);
  private readonly windows = new Set<string>();
  private readonly short: string[] = [];

  constructor(needles: Iterable<string>) {
    for (const needle of needles) {
      if (needle.length < WINDOW) {
        if (!this.short.includes(needle)) this.short.push(needle);
        continue;
      }
      const window = needle.slice(0, WINDOW);
      this.windows.add(window);
      for (let end = BLOCK - 1; end < WINDOW; end += 1) {
        const slot = blockHash(window, end);
        const distance = WINDOW - 1 - end;
        if (distance < (this.shift[slot] as number)) this.shift[slot] = distance;
      }
    }
  }

  /** False when no needle is in `text`; true when one may be. */
  mayContain(text: string): boolean {
    for (const needle of this.short) if (text.includes(needle)) return true;
    if (this.windows.size === 0) return false;
    const shift = this.shift;
    const length = text.length;
    let end = WINDOW - 1;
    while (end < length) {
      const distance = shift[blockHash(text, end)] as number;
      if (distance > 0) end += distance;
      else {
        if (this.windows.has(text.slice(end - WINDOW + 1, end + 1))) return true;
        end += 1;
      }
    }
    return false;
  }
}
