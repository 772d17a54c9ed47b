/**
 * Fenced code blocks in a model's markdown answer: ``` or ~~~ fences of three or more characters
 * (a closing fence must be at least as long as the opening one, so blocks may contain shorter
 * fences), with the info string's first word as the language.
 */

/** One fenced code block. */
export interface CodeBlock {
  /** The info string's first word, lower-cased (`ts`, `python`), or `''` when none. */
  language: string;
  code: string;
  /** The rest of the info string (`title="a.ts"`), when present. */
  meta?: string;
}

const OPEN = /^( {0,3})(`{3,}|~{3,})[ \t]*([^\n]*)$/;

/** A code block with where it sits: lines of the opening and closing fence (0-based, inclusive). */
export interface LocatedCodeBlock extends CodeBlock {
  /** Line of the opening fence. */
  openLine: number;
  /** Line of the closing fence (the last line when the block is unclosed). */
  closeLine: number;
}

/**
 * Every fenced code block, in order. An unclosed block (a truncated answer) runs to the end of the
 * text, as CommonMark specifies.
 */
export function extractCodeBlocks(text: string): CodeBlock[] {
  return locateCodeBlocks(text).map(({ openLine: _open, closeLine: _close, ...block }) => block);
}

/** {@link extractCodeBlocks} with the lines each block spans (to tell prose from code). */
export function locateCodeBlocks(text: string): LocatedCodeBlock[] {
  const lines = text.split(/\r?\n/);
  const blocks: LocatedCodeBlock[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    const open = OPEN.exec(lines[i] as string);
    if (open === null) continue;
    const indent = (open[1] as string).length;
    const fence = open[2] as string;
    const info = (open[3] as string).trim();
    if (fence[0] === '`' && info.includes('`')) continue; // not a fence (CommonMark)
    const close = new RegExp(`^ {0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}[ \\t]*$`);
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !close.test(lines[j] as string); j += 1) {
      const line = lines[j] as string;
      body.push(line.slice(Math.min(indent, line.length - line.trimStart().length)));
    }
    const [language = '', ...rest] = info.split(/\s+/);
    const block: CodeBlock = { language: language.toLowerCase(), code: body.join('\n') };
    if (rest.length > 0) block.meta = rest.join(' ');
    blocks.push({ ...block, openLine: i, closeLine: Math.min(j, lines.length - 1) });
    i = j;
  }
  return blocks;
}
