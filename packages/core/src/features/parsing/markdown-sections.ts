/**
 * Splits markdown into sections by ATX headings (`#` to `######`), ignoring `#` lines inside fenced
 * code blocks. Returns a flat list in document order and, through `children`, the heading tree.
 */

/** One section: a heading and the text up to the next heading of any level. */
export interface MarkdownSection {
  heading: string;
  level: number;
  /** The section's own text (without sub-sections), trimmed. */
  content: string;
  /** Sub-sections (headings of a deeper level up to the next heading of this level or higher). */
  children: MarkdownSection[];
}

/** What {@link parseMarkdownSections} returns. */
export interface MarkdownDocument {
  /** Text before the first heading, trimmed. */
  preamble: string;
  /** Every section in document order. */
  sections: MarkdownSection[];
  /** Top-level sections with their sub-sections nested. */
  tree: MarkdownSection[];
}

const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/** Parses markdown headings into sections (flat list and tree). */
export function parseMarkdownSections(text: string): MarkdownDocument {
  const lines = text.split(/\r?\n/);
  const sections: MarkdownSection[] = [];
  const preamble: string[] = [];
  let body: string[] = preamble;
  const bodies = new Map<MarkdownSection, string[]>();
  let fence: string | undefined;
  for (const line of lines) {
    const fenceMatch = FENCE.exec(line);
    if (fence !== undefined) {
      if (fenceMatch !== null && fenceMatch[1]?.[0] === fence[0] && (fenceMatch[1]?.length ?? 0) >= fence.length)
        fence = undefined;
      body.push(line);
      continue;
    }
    if (fenceMatch !== null) {
      fence = fenceMatch[1];
      body.push(line);
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading === null) {
      body.push(line);
      continue;
    }
    const section: MarkdownSection = {
      heading: (heading[2] ?? '').trim(),
      level: (heading[1] as string).length,
      content: '',
      children: [],
    };
    sections.push(section);
    body = [];
    bodies.set(section, body);
  }
  for (const section of sections) section.content = (bodies.get(section) ?? []).join('\n').trim();
  const tree: MarkdownSection[] = [];
  const stack: MarkdownSection[] = [];
  for (const section of sections) {
    while (stack.length > 0 && (stack.at(-1) as MarkdownSection).level >= section.level) stack.pop();
    (stack.length === 0 ? tree : (stack.at(-1) as MarkdownSection).children).push(section);
    stack.push(section);
  }
  return { preamble: preamble.join('\n').trim(), sections, tree };
}
