/**
 * Recorder mode: with `SWITCHBOARD_RECORD=1` the handlers pass every request through to the live
 * API and keep the exchange; `save()` writes them, secrets redacted, as a JSON fixture. Without the
 * variable the recorder is inert (no handlers), so the same test file replays in CI.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { bypass, type HttpHandler, http } from 'msw';
import type { RecordedExchange } from './exchange.js';
import { redactExchange } from './redact.js';

/** Options of `recordExchanges`. */
export interface RecordOptions {
  /** Where `save()` writes the fixture (JSON array of exchanges). */
  file?: string;
  /** Record only requests whose URL passes (default: all). */
  include?: (url: URL) => boolean;
  /** Literal secrets to scrub from bodies too (default: every env value of a variable named like *KEY*, *TOKEN*, *SECRET*). */
  secrets?: readonly string[];
  /** Overrides the environment check (default: `SWITCHBOARD_RECORD === '1'`). */
  enabled?: boolean;
}

/** A running recorder. */
export interface Recorder {
  /** True when recording (live calls). */
  readonly active: boolean;
  /** MSW handlers to `server.use(...)`; empty when inactive. */
  readonly handlers: HttpHandler[];
  /** The exchanges recorded so far, already redacted. */
  readonly exchanges: RecordedExchange[];
  /** Writes the exchanges to `file` (no-op when inactive or nothing was recorded). */
  save(file?: string): Promise<void>;
}

function secretsFromEnv(): string[] {
  const out: string[] = [];
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && value.length >= 8 && /KEY|TOKEN|SECRET|PASSWORD/i.test(name)) out.push(value);
  }
  return out;
}

function headersToRecord(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    out[name] = value;
  });
  return out;
}

function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Creates a recorder (inert unless `SWITCHBOARD_RECORD=1`). */
export function recordExchanges(options: RecordOptions = {}): Recorder {
  const active = options.enabled ?? process.env.SWITCHBOARD_RECORD === '1';
  const exchanges: RecordedExchange[] = [];
  const secrets = options.secrets ?? secretsFromEnv();
  const handlers: HttpHandler[] = active
    ? [
        http.all('*', async ({ request }) => {
          const url = new URL(request.url);
          if (options.include !== undefined && !options.include(url)) return undefined;
          const requestText = await request.clone().text();
          const response = await fetch(bypass(request));
          const contentType = response.headers.get('content-type') ?? '';
          const streamed = contentType.includes('event-stream') || contentType.includes('ndjson');
          const binary = contentType.includes('amazon.eventstream') || contentType.includes('octet-stream');
          const chunks: string[] = [];
          let bytes = new Uint8Array(0);
          if (binary) bytes = new Uint8Array(await response.arrayBuffer());
          else if (response.body !== null) {
            const decoder = new TextDecoder();
            for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>)
              chunks.push(decoder.decode(chunk, { stream: true }));
            const rest = decoder.decode();
            if (rest !== '') chunks.push(rest);
          }
          const text = chunks.join('');
          const recorded: RecordedExchange = {
            request: { method: request.method, url: request.url, headers: headersToRecord(request.headers) },
            response: { status: response.status, headers: headersToRecord(response.headers) },
          };
          const requestBody = parseBody(requestText);
          if (requestBody !== undefined) recorded.request.body = requestBody;
          if (binary) recorded.response.bodyBase64 = Buffer.from(bytes).toString('base64');
          else if (streamed) recorded.response.chunks = chunks;
          else if (contentType.includes('json')) recorded.response.body = parseBody(text);
          else recorded.response.bodyText = text;
          exchanges.push(redactExchange(recorded, secrets));
          const headers = new Headers(response.headers);
          headers.delete('content-encoding');
          headers.delete('content-length');
          return new Response(binary ? bytes : text, { status: response.status, headers });
        }),
      ]
    : [];
  return {
    active,
    handlers,
    exchanges,
    async save(file = options.file) {
      if (!active || exchanges.length === 0 || file === undefined) return;
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, `${JSON.stringify(exchanges, null, 2)}\n`);
    },
  };
}
