/**
 * Recorder mode: with `SWITCHBOARD_RECORD=1` every request goes through to the live API and the
 * exchange is kept; `save()` writes them, secrets redacted, as a JSON fixture. Without the variable
 * the recorder is inert (no handlers, no dispatcher), so the same test file replays in CI.
 *
 * Two doors, like the replay: `handlers` for MSW (`transport: 'fetch'`), and `dispatcher` /
 * `install()` for the default undici transport (a real undici `Agent` composed with the record
 * interceptor). A recorder that is active but saw nothing fails `save()` loudly rather than writing
 * nothing: that is what a transport it cannot see looks like.
 */
import { bypass, type HttpHandler, http } from 'msw';
import { Agent, type Dispatcher } from 'undici';
import type { RecordedExchange } from './exchange.js';
import { redactExchange } from './redact.js';
import { saveExchanges } from './replay/exchange-store.js';
import { bodyKind, recordInterceptor } from './replay/record-interceptor.js';
import { installDispatcher } from './replay/undici-door.js';

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
  /** An undici dispatcher that records (pass as `transport`); undefined when inactive. */
  readonly dispatcher: Dispatcher | undefined;
  /** Makes every default-transport switchboard record through `dispatcher` until `uninstall()` (no-op when inactive). */
  install(): { uninstall(): Promise<void> };
  /** Writes the exchanges to `file`; no-op when inactive; throws when active but nothing was recorded. */
  save(file?: string): Promise<void>;
}

/** Every env value (8+ characters) of a variable named like *KEY*, *TOKEN*, *SECRET*, *PASSWORD*: what recordings must not hold. */
export function secretsFromEnv(): string[] {
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
          const kind = bodyKind(response.headers.get('content-type') ?? '');
          const binary = kind === 'binary';
          const streamed = kind === 'chunks';
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
          else if (kind === 'json') recorded.response.body = parseBody(text);
          else recorded.response.bodyText = text;
          exchanges.push(redactExchange(recorded, secrets));
          const headers = new Headers(response.headers);
          headers.delete('content-encoding');
          headers.delete('content-length');
          return new Response(binary ? bytes : text, { status: response.status, headers });
        }),
      ]
    : [];
  const agent = active ? new Agent() : undefined;
  const dispatcher = agent?.compose(
    recordInterceptor((exchange) => exchanges.push(exchange), secrets, options.include),
  );
  return {
    active,
    handlers,
    exchanges,
    dispatcher,
    install() {
      if (agent === undefined || dispatcher === undefined) return { uninstall: async () => undefined };
      return installDispatcher({ dispatcher, close: () => agent.close() });
    },
    async save(file = options.file) {
      if (!active || file === undefined) return;
      if (exchanges.length === 0)
        throw new Error(
          `recordExchanges: recording was on but no exchange was seen, so ${file} was not written. Use the MSW handlers with transport: 'fetch', or recorder.install() / transport: recorder.dispatcher for the default transport.`,
        );
      await saveExchanges(file, exchanges);
    },
  };
}
