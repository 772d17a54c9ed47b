/**
 * Recorded exchanges on disk: a JSON array of exchanges per file (what the recorder writes), or one
 * exchange per file. A directory loads every `.json` file under it, in name order. Each loaded
 * exchange remembers its file, so a miss can say where the closest recording lives.
 */
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { RecordedExchange } from '../exchange.js';

const sources = new WeakMap<RecordedExchange, string>();

/** The file (and position) an exchange was loaded from, if it was loaded by {@link loadExchanges}. */
export function sourceOf(exchange: RecordedExchange): string | undefined {
  return sources.get(exchange);
}

function isExchange(value: unknown): value is RecordedExchange {
  if (value === null || typeof value !== 'object') return false;
  const { request, response } = value as Partial<RecordedExchange>;
  return (
    typeof request === 'object' &&
    request !== null &&
    typeof request.method === 'string' &&
    typeof request.url === 'string' &&
    typeof response === 'object' &&
    response !== null
  );
}

/** Parses one file's text; throws naming the file and the entry that is not an exchange. */
export function parseExchanges(text: string, file: string): RecordedExchange[] {
  const parsed = JSON.parse(text) as unknown;
  const list = Array.isArray(parsed) ? parsed : [parsed];
  return list.map((entry, i) => {
    if (!isExchange(entry))
      throw new Error(
        `${file}: entry ${i} is not a recorded exchange (needs request.method, request.url and response)`,
      );
    sources.set(entry, list.length > 1 ? `${file}#${i}` : file);
    return entry;
  });
}

async function jsonFiles(path: string): Promise<string[]> {
  if (!(await stat(path)).isDirectory()) return [path];
  const entries = await readdir(path, { withFileTypes: true });
  const out: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) out.push(...(await jsonFiles(child)));
    else if (entry.name.endsWith('.json')) out.push(child);
  }
  return out;
}

/** Loads exchanges from files and directories, in the order given (directories in name order). */
export async function loadExchanges(...paths: string[]): Promise<RecordedExchange[]> {
  const out: RecordedExchange[] = [];
  for (const path of paths)
    for (const file of await jsonFiles(path)) out.push(...parseExchanges(await readFile(file, 'utf8'), file));
  return out;
}

/** Writes exchanges as pretty JSON (diffs well in review), creating the directory. */
export async function saveExchanges(file: string, exchanges: readonly RecordedExchange[]): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(exchanges, null, 2)}\n`);
}
