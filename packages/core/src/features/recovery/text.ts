/**
 * Text arithmetic of stream recovery: where the last complete paragraph ends, what a prefill may
 * carry (providers reject a trailing assistant turn that ends in whitespace), and how the first
 * characters of a continuation are lined up with the text the consumer already has, so the joined
 * text has neither a doubled nor a missing separator.
 */

/** The text a continuation builds on and what the strategy dropped from the partial text. */
export interface ResumePoint {
  kept: string;
  dropped: string;
}

/** A blank line (possibly holding spaces or tabs) ends a paragraph. */
const PARAGRAPH_BREAK = /\n[ \t]*\n\s*/g;

/**
 * `exact` keeps every character; `paragraph` keeps the text up to and including the last blank line
 * (all of it when it ends on one), dropping the incomplete paragraph after it.
 */
export function resumePoint(text: string, strategy: 'exact' | 'paragraph'): ResumePoint {
  if (strategy === 'exact') return { kept: text, dropped: '' };
  let end = 0;
  for (const match of text.matchAll(PARAGRAPH_BREAK)) end = (match.index ?? 0) + match[0].length;
  return { kept: text.slice(0, end), dropped: text.slice(end) };
}

/** Splits trailing whitespace off (`'a b \n'` -> `['a b', ' \n']`). */
export function splitTrailingWhitespace(text: string): [string, string] {
  const match = /\s+$/.exec(text);
  return match === null ? [text, ''] : [text.slice(0, match.index), match[0]];
}

/**
 * Lines the continuation's leading whitespace up with the whitespace the kept text already ends
 * with: the model usually repeats a separator that was cut off the prefill (or already shown), and
 * sometimes leaves it out. Leading whitespace is held back until the first visible character.
 */
export class ContinuationAligner {
  private lead = '';
  private leading = true;

  /** `shownWhitespace`: whitespace at the end of the kept text the consumer already has. */
  constructor(private readonly shownWhitespace: string) {}

  /** Takes a delta of model output; returns the text to emit (possibly empty). */
  push(text: string): string {
    if (!this.leading) return text;
    this.lead += text;
    const visible = this.lead.search(/\S/);
    if (visible < 0) return '';
    this.leading = false;
    const lead = this.lead.slice(0, visible);
    const rest = this.lead.slice(visible);
    this.lead = '';
    return this.reconcile(lead) + rest;
  }

  /** At the end: whatever whitespace is still held back, reconciled. */
  flush(): string {
    if (!this.leading) return '';
    this.leading = false;
    const out = this.reconcile(this.lead);
    this.lead = '';
    return out;
  }

  private reconcile(lead: string): string {
    if (this.shownWhitespace === '') return lead;
    // The model re-sent the separator we already show: keep only what goes beyond it. A different or
    // shorter separator: ours stands.
    return lead.startsWith(this.shownWhitespace) ? lead.slice(this.shownWhitespace.length) : '';
  }
}
