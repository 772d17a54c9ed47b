import { readFile, stat } from 'node:fs/promises';
import { request } from 'undici';

/** Limits of one download of an upstream catalog. */
export interface ReadLocationOptions {
  /** Milliseconds to wait for the response headers, and between body chunks. Default 30 s. */
  timeoutMs?: number;
  /** Largest body accepted, in bytes. Default 64 MiB (api.json is ~4 MB, LiteLLM's map ~2 MB). */
  maxBytes?: number;
}

export const DEFAULT_MODELS_DEV_URL = 'https://models.dev/api.json';
export const DEFAULT_LITELLM_URL =
  'https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json';

const isUrl = (location: string): boolean => /^https?:\/\//i.test(location);

/**
 * Reads an upstream catalog from an http(s) URL (undici, with a timeout and a size cap, so a stuck
 * or runaway server cannot hang or exhaust the maintainer's machine) or from a local file. Errors
 * name the location and what went wrong.
 */
export async function readLocation(location: string, options: ReadLocationOptions = {}): Promise<string> {
  const maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
  if (!isUrl(location)) {
    const info = await stat(location).catch((error: NodeJS.ErrnoException) => {
      throw new Error(`cannot read ${location}: ${error.code ?? error.message}`);
    });
    if (info.size > maxBytes) throw new Error(`${location} is ${info.size} bytes, above the ${maxBytes}-byte cap`);
    return readFile(location, 'utf8');
  }
  const timeoutMs = options.timeoutMs ?? 30_000;
  let response: Awaited<ReturnType<typeof request>>;
  try {
    response = await request(location, { headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  } catch (error) {
    throw new Error(`cannot download ${location}: ${(error as Error).message}`, { cause: error });
  }
  if (response.statusCode !== 200) {
    await response.body.dump();
    throw new Error(`cannot download ${location}: HTTP ${response.statusCode}`);
  }
  const declared = Number(response.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body.dump();
    throw new Error(`${location} is ${declared} bytes, above the ${maxBytes}-byte cap`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      response.body.destroy();
      throw new Error(`${location} is larger than the ${maxBytes}-byte cap`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads a location and parses it as JSON; the error names the location. */
export async function readJsonLocation(location: string, options: ReadLocationOptions = {}): Promise<unknown> {
  const text = await readLocation(location, options);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new Error(`${location} is not JSON: ${(error as Error).message}`, { cause: error });
  }
}
