import { readFileSync } from 'node:fs';
import type { Document, Node } from 'yaml';
import { isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import type { Diagnostic } from './diagnostics.js';
import { formatPath } from './diagnostics.js';

/** A parsed YAML file that still knows where each node came from. */
export interface YamlSource {
  /** Path shown in diagnostics. */
  displayPath: string;
  document: Document;
  lineCounter: LineCounter;
}

/** Parses YAML text, keeping node ranges; syntax errors become diagnostics. */
export function parseYaml(text: string, displayPath: string): { source: YamlSource; diagnostics: Diagnostic[] } {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const source: YamlSource = { displayPath, document, lineCounter };
  const diagnostics = document.errors.map((error) => {
    const { line, col } = lineCounter.linePos(error.pos[0]);
    return { file: displayPath, line, column: col, path: '', message: error.message.split('\n')[0] ?? error.code };
  });
  return { source, diagnostics };
}

/** Reads and parses a YAML file. */
export function readYaml(file: string, displayPath: string): { source: YamlSource; diagnostics: Diagnostic[] } {
  return parseYaml(readFileSync(file, 'utf8'), displayPath);
}

/**
 * The node at `path`, or the deepest existing ancestor when the path goes further than the document
 * (a missing key points at the object that lacks it). With `key`, the last segment's key node.
 */
export function nodeAt(source: YamlSource, path: readonly (string | number)[], key = false): Node | undefined {
  let node: unknown = source.document.contents;
  for (let index = 0; index < path.length; index++) {
    const segment = path[index];
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
      if (!pair) return node;
      if (key && index === path.length - 1) return pair.key as Node;
      node = pair.value;
    } else if (node && typeof node === 'object' && 'items' in node && Array.isArray(node.items)) {
      const item: unknown = node.items[Number(segment)];
      if (item === undefined) return node as Node;
      node = item;
    } else {
      return node as Node | undefined;
    }
  }
  return node as Node | undefined;
}

/** A diagnostic pointing at the node at `path`. */
export function diagnosticAt(
  source: YamlSource,
  path: readonly (string | number)[],
  message: string,
  options: { key?: boolean; displayPath?: readonly (string | number)[] } = {},
): Diagnostic {
  const node = nodeAt(source, path, options.key ?? false);
  const offset = node?.range?.[0] ?? 0;
  const { line, col } = source.lineCounter.linePos(offset);
  return { file: source.displayPath, line, column: col, path: formatPath(options.displayPath ?? path), message };
}
