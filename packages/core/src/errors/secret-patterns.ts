/**
 * The one place that knows how a secret can look once a provider, a proxy or an HTTP library has
 * echoed it: as is, base64 / base64url at every byte alignment (so it is found inside a longer blob
 * such as the base64 of `user:key` in a Basic header), percent-encoded (`encodeURIComponent`, form
 * encoding with `+`, twice encoded), JSON-escaped (`\/`, `\uXXXX`), hex, and any prefix or suffix
 * of at least {@link MIN_PARTIAL} characters (a truncated echo such as `sk-proj-abc...`).
 *
 * Errors and events are redacted on every call, so the work is split: {@link matcherFor} builds
 * everything once per set of secrets (cached by value), and redacting a clean string is a single
 * rolling-hash pass over its characters (`window-filter.ts`), whatever the number of secrets. Only
 * a string that may hit runs the combined RegExp of anchors and pays for the exact, greedy
 * extension of each hit.
 */

import { WindowFilter } from './window-filter.js';

export const REDACTED = '[redacted]';

/** Shortest prefix or suffix of a secret treated as the secret (shorter ones hit innocent text). */
export const MIN_PARTIAL = 12;
/** Secrets shorter than this are ignored (too many false hits). */
export const MIN_SECRET_LENGTH = 6;

/** One encoded form of a secret; `partial` is the shortest prefix/suffix of it that still counts (0: whole only). */
interface SecretForm {
  text: string;
  partial: number;
}

/** The base64 fragments of `secret` that are the same whatever bytes surround it: one per byte alignment. */
function base64Cores(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const cores: string[] = [];
  for (let offset = 0; offset < 3; offset += 1) {
    const padded = Buffer.concat([Buffer.alloc(offset), bytes]);
    const encoded = padded.toString('base64');
    // the first characters of the encoding mix in the unknown preceding bytes; skip them
    const start = offset === 0 ? 0 : offset + 1;
    const end = Math.floor(padded.length / 3) * 4;
    const core = encoded.slice(start, end);
    if (core.length >= 8) cores.push(core);
  }
  return cores;
}

/** `\uXXXX` for every character matching `which` (JSON encoders differ in what they escape). */
function unicodeEscape(text: string, which: RegExp, upper: boolean): string {
  return text.replace(which, (char) => {
    const hex = char.charCodeAt(0).toString(16).padStart(4, '0');
    return `\\u${upper ? hex.toUpperCase() : hex}`;
  });
}

/** Every form of `secret` worth searching for, each with the partial length that still counts. */
export function secretForms(secret: string): SecretForm[] {
  const forms = new Map<string, number>();
  const add = (text: string, partial: number) => {
    if (text.length < MIN_SECRET_LENGTH) return;
    const known = forms.get(text);
    if (known === undefined || (partial > 0 && (known === 0 || partial < known))) forms.set(text, partial);
  };
  add(secret, MIN_PARTIAL);
  const uri = encodeURIComponent(secret);
  add(uri, MIN_PARTIAL);
  add(
    uri.replace(/%[0-9A-F]{2}/g, (sequence) => sequence.toLowerCase()),
    MIN_PARTIAL,
  );
  add(uri.replace(/%20/g, '+'), MIN_PARTIAL);
  add(encodeURIComponent(uri), MIN_PARTIAL);
  const json = JSON.stringify(secret).slice(1, -1);
  add(json, MIN_PARTIAL);
  add(json.replace(/\//g, '\\/'), MIN_PARTIAL);
  add(unicodeEscape(secret, /[^A-Za-z0-9]/g, false), MIN_PARTIAL);
  add(unicodeEscape(secret, /[^A-Za-z0-9]/g, true), MIN_PARTIAL);
  add(unicodeEscape(secret, /[\s\S]/g, false), 6 * MIN_PARTIAL);
  // base64: 16 characters encode 12 bytes
  for (const core of base64Cores(secret)) {
    const partial = Math.min(16, core.length);
    add(core, partial);
    add(core.replace(/\+/g, '-').replace(/\//g, '_'), partial);
    add(encodeURIComponent(core), partial);
  }
  const hex = Buffer.from(secret, 'utf8').toString('hex');
  add(hex, 2 * MIN_PARTIAL);
  add(hex.toUpperCase(), 2 * MIN_PARTIAL);
  return [...forms].map(([text, partial]) => ({ text, partial: partial >= text.length ? 0 : partial }));
}

/** Where a hit on an anchor can grow to: forward (a prefix of `form`), backward (a suffix) or not at all. */
interface Anchor {
  form: string;
  /** `prefix`: anchor = form's first characters; `suffix`: its last ones; `whole`: the form itself. */
  side: 'prefix' | 'suffix' | 'whole';
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The compiled patterns of one set of secrets. */
export class SecretMatcher {
  /** True when there is nothing to look for (redaction is then free). */
  readonly empty: boolean;
  private readonly filter: WindowFilter | undefined;
  private readonly gate: RegExp | undefined;
  private readonly scan: RegExp | undefined;
  private readonly anchors = new Map<string, Anchor[]>();

  /** The secrets this matcher looks for. */
  readonly secrets: readonly string[];

  constructor(secrets: readonly string[]) {
    this.secrets = secrets;
    for (const secret of secrets)
      for (const { text, partial } of secretForms(secret)) {
        if (partial === 0) this.addAnchor(text, { form: text, side: 'whole' });
        else {
          this.addAnchor(text.slice(0, partial), { form: text, side: 'prefix' });
          this.addAnchor(text.slice(-partial), { form: text, side: 'suffix' });
        }
      }
    this.empty = this.anchors.size === 0;
    if (!this.empty) {
      const source = [...this.anchors.keys()]
        .sort((a, b) => b.length - a.length)
        .map(escapeRegExp)
        .join('|');
      this.filter = new WindowFilter(this.anchors.keys());
      this.gate = new RegExp(source);
      this.scan = new RegExp(source, 'g');
    }
  }

  private addAnchor(text: string, anchor: Anchor): void {
    const list = this.anchors.get(text);
    if (list === undefined) this.anchors.set(text, [anchor]);
    else list.push(anchor);
  }

  /** True when `text` holds any form (or long enough prefix/suffix) of a secret. */
  test(text: string): boolean {
    return (
      this.gate !== undefined &&
      text.length >= MIN_SECRET_LENGTH &&
      (this.filter as WindowFilter).mayContain(text) &&
      this.gate.test(text)
    );
  }

  /** `text` with every form, prefix and suffix of every secret replaced by `[redacted]`. */
  redact(text: string): string {
    if (!this.test(text)) return text;
    const scan = this.scan as RegExp;
    const ranges: [number, number][] = [];
    scan.lastIndex = 0;
    for (let hit = scan.exec(text); hit !== null; hit = scan.exec(text)) {
      const at = hit.index;
      const found = hit[0];
      for (const anchor of this.anchors.get(found) ?? []) ranges.push(this.extend(text, at, found.length, anchor));
      // overlapping anchors (a suffix starting inside a prefix hit) must be seen too
      scan.lastIndex = at + 1;
    }
    return cut(text, ranges);
  }

  /** Grows a hit to the longest stretch of the form that matches around it. */
  private extend(text: string, at: number, length: number, anchor: Anchor): [number, number] {
    const { form, side } = anchor;
    if (side === 'whole') return [at, at + length];
    if (side === 'prefix') {
      let end = at + length;
      let index = length;
      while (index < form.length && end < text.length && text.charCodeAt(end) === form.charCodeAt(index)) {
        end += 1;
        index += 1;
      }
      return [at, end];
    }
    let start = at;
    let index = form.length - length - 1;
    while (index >= 0 && start > 0 && text.charCodeAt(start - 1) === form.charCodeAt(index)) {
      start -= 1;
      index -= 1;
    }
    return [start, at + length];
  }
}

/** Replaces the union of `ranges` by one marker each. */
function cut(text: string, ranges: [number, number][]): string {
  if (ranges.length === 0) return text;
  ranges.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  let out = '';
  let position = 0;
  let open = -1;
  let close = -1;
  for (const [start, end] of ranges) {
    if (open >= 0 && start <= close) {
      if (end > close) close = end;
      continue;
    }
    if (open >= 0) out += REDACTED;
    out += text.slice(position, start);
    open = start;
    close = end;
    position = end;
  }
  if (open >= 0) {
    out += REDACTED;
    position = close;
  }
  return out + text.slice(position);
}

const EMPTY = new SecretMatcher([]);
const CACHE_LIMIT = 64;
const cache = new Map<string, SecretMatcher>();

/**
 * The matcher for these secrets, built once per distinct set and kept (up to 64 sets, least recently
 * built dropped first). Undefined, empty and too-short entries are ignored.
 */
export function matcherFor(secrets: Iterable<string | undefined>): SecretMatcher {
  const list: string[] = [];
  for (const secret of secrets)
    if (secret !== undefined && secret.length >= MIN_SECRET_LENGTH && !list.includes(secret)) list.push(secret);
  if (list.length === 0) return EMPTY;
  if (list.length > 1) list.sort();
  const key = list.length === 1 ? (list[0] as string) : list.join('\0');
  let matcher = cache.get(key);
  if (matcher === undefined) {
    matcher = new SecretMatcher(list);
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
    cache.set(key, matcher);
  }
  return matcher;
}
