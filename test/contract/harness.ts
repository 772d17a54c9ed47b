/**
 * Contract-test harness: replays the project's fixtures (test/contract/fixtures/<provider>/*.json)
 * through `@switchboard/testing`'s replay engine, captures the request the SDK sent, and runs one
 * case through `createSwitchboard` on either transport (the default undici one, answered by the
 * engine's undici door through `installReplay`, or `transport: 'fetch'`, answered by its MSW door),
 * or straight through the protocol adapter with the same auth/URL rules the runtime applies
 * (CONTRACT_VIA=adapter). Every case runs on {@link TRANSPORTS}, the transport in the test's name.
 *
 * Any protocol works: the adapter comes from core's registry by `descriptor.protocol`. Fixture bodies
 * are `body` (JSON), `bodyText` (raw text, SSE or NDJSON) or `bodyBase64` (binary, e.g. AWS
 * eventstream); bodies are sent in 64-byte chunks through both doors so decoders see split lines.
 *
 * A case's key reaches the provider as its `apiKey` setting, except for `aws-sigv4` auth: there the
 * harness signs with a fixed fake AWS environment ({@link FAKE_AWS}) whose secret access key is the
 * case's key, so the usual "the key is never sent" checks cover the AWS secret.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type {
  CallContext,
  ContractCaseSpec,
  FinishReason,
  HttpRequestSpec,
  ListedModel,
  ModelInfo,
  ModelSpec,
  PreparedChatRequest,
  PreparedEmbedRequest,
  PreparedMessage,
  PreparedPart,
  ProtocolStreamEvent,
  ProviderDescriptor,
  ProviderSpec,
  SwitchboardError,
  ToolCall,
  Usage,
} from '@switchboard/core';
import { defineProvider, getProtocolAdapter } from '@switchboard/core';
import type { RecordedExchange, RecordedResponse, ReplayRequest } from '@switchboard/testing';
import { createReplayEngine, type InstalledReplay, installReplay, replayExchanges } from '@switchboard/testing';
import { setupServer } from 'msw/node';
import { parse as parseYaml } from 'yaml';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const FIXTURES_DIR = resolve(REPO_ROOT, 'test/contract/fixtures');
const CATALOG_DIR = resolve(REPO_ROOT, 'catalog/providers');
const TEST_PROVIDERS_DIR = resolve(REPO_ROOT, 'test/contract/providers');

// ---------------------------------------------------------------------------------------------
// Fixtures

export interface FixtureResponse {
  status?: number;
  headers?: Record<string, string>;
  /** JSON body. */
  body?: unknown;
  /** Raw body text (SSE, NDJSON, plain text errors). */
  bodyText?: string;
  /** Binary body, base64. */
  bodyBase64?: string;
}

export interface FixtureFile {
  /** Recorded: { source, repo, path, commit, licence }; made from docs: "synthesized from <url>". */
  provenance: unknown;
  request?: { method?: string; url?: string; headers?: Record<string, string>; body?: unknown };
  response: FixtureResponse;
}

/** Loads `test/contract/fixtures/<path>` (`.json` optional; `<path>.synthesized.json` is found too). */
export function loadFixture(path: string): FixtureFile {
  const candidates = path.endsWith('.json') ? [path] : [`${path}.json`, `${path}.synthesized.json`];
  const file =
    candidates.map((c) => resolve(FIXTURES_DIR, c)).find((f) => existsSync(f)) ??
    resolve(FIXTURES_DIR, candidates[0] ?? path);
  const fixture = JSON.parse(readFileSync(file, 'utf8')) as FixtureFile;
  if (fixture.provenance === undefined) throw new Error(`fixture ${path} has no provenance`);
  return fixture;
}

// ---------------------------------------------------------------------------------------------
// Transports, replay doors and request capture

/** The transports every contract case runs on: core's default (undici) and `fetch`. */
export type TransportName = 'undici' | 'fetch';
export const TRANSPORTS: readonly TransportName[] = ['undici', 'fetch'];

/** `createSwitchboard` options selecting a transport: none for the default, so the test is what users run. */
export function transportOption(transport: TransportName): { transport?: 'fetch' } {
  return transport === 'fetch' ? { transport: 'fetch' } : {};
}

/** A fixture response as a recorded one (a body without a content type is JSON, a text body plain text). */
export function fixtureAsRecorded(res: FixtureResponse): RecordedResponse {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(res.headers ?? {})) headers[name.toLowerCase()] = value;
  headers['content-type'] ??= res.body !== undefined ? 'application/json' : 'text/plain';
  const out: RecordedResponse = { status: res.status ?? 200, headers };
  if (res.bodyBase64 !== undefined) out.bodyBase64 = res.bodyBase64;
  else if (res.bodyText !== undefined) out.bodyText = res.bodyText;
  else if (res.body !== undefined) out.bodyText = JSON.stringify(res.body);
  return out;
}

export interface CapturedRequest {
  method: string;
  url: string;
  /** Path plus query, e.g. `/v1/chat/completions?api-version=...`. */
  path: string;
  /** Lower-cased headers with every occurrence of the API key replaced by `[REDACTED]`. */
  headers: Record<string, string>;
  bodyText: string;
  /** Parsed JSON body, or undefined. */
  body: unknown;
  /** Headers exactly as sent (kept only in memory, for the auth assertion). */
  rawHeaders: Record<string, string>;
}

export interface MockServer {
  server: ReturnType<typeof setupServer>;
  captured: CapturedRequest[];
  /** Serves `response` for every request, through both doors, and captures them. */
  serve(response: FixtureResponse, secret?: string): void;
  /** Serves recorded exchanges matched by request (method, URL, body), through both doors. */
  serveExchanges(exchanges: readonly RecordedExchange[], secret?: string): void;
  reset(): void;
  close(): Promise<void>;
}

export function redact(text: string, secret: string | undefined): string {
  return secret ? text.split(secret).join('[REDACTED]') : text;
}

function capture(request: ReplayRequest, secret: string | undefined): CapturedRequest {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(request.headers)) headers[k] = redact(v, secret);
  const url = new URL(request.url);
  return {
    method: request.method,
    url: request.url,
    path: url.pathname + url.search,
    headers,
    bodyText: request.bodyText,
    body: typeof request.body === 'string' ? undefined : request.body,
    rawHeaders: { ...request.headers },
  };
}

/**
 * Starts the replay for a test file: an MSW server (the fetch door; any request no case set up is an
 * error) and, per `serve`, the engine installed as the default transport's dispatcher (the undici
 * door). Call in `beforeAll`; `close` in `afterAll`.
 */
export function startMockServer(): MockServer {
  const server = setupServer();
  server.listen({ onUnhandledRequest: 'error' });
  const captured: CapturedRequest[] = [];
  let installed: InstalledReplay | undefined;
  const serveEngine = (exchanges: readonly RecordedExchange[], secret: string | undefined, matchAll: boolean) => {
    const engine = createReplayEngine(exchanges, {
      chunkSize: 64,
      onRequest: (request) => captured.push(capture(request, secret)),
      ...(matchAll ? { matcher: () => true } : {}),
    });
    void installed?.uninstall();
    installed = installReplay(engine);
    server.resetHandlers(...replayExchanges(engine));
  };
  return {
    server,
    captured,
    serve(response, secret) {
      serveEngine(
        [{ request: { method: 'ANY', url: 'https://any.test/' }, response: fixtureAsRecorded(response) }],
        secret,
        true,
      );
    },
    serveExchanges(exchanges, secret) {
      serveEngine(exchanges, secret, false);
    },
    reset() {
      captured.length = 0;
      server.resetHandlers();
      void installed?.uninstall();
      installed = undefined;
    },
    async close() {
      server.close();
      await installed?.uninstall();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Providers and cases

export interface LoadedProvider {
  descriptor: ProviderDescriptor;
  models: ModelInfo[];
  /** Cases from the catalog YAML's `tests:`. */
  tests: ContractCaseSpec[];
  /** Where the descriptor came from. */
  source: string;
}

/** A provider from `catalog/providers/<id>.yaml`, else a test-only descriptor in `test/contract/providers/`. */
export function loadProvider(id: string): LoadedProvider {
  for (const dir of [CATALOG_DIR, TEST_PROVIDERS_DIR]) {
    const file = resolve(dir, `${id}.yaml`);
    if (!existsSync(file)) continue;
    const spec = parseYaml(readFileSync(file, 'utf8')) as ProviderSpec;
    const { models = [], tests = [], ...descriptor } = spec;
    return {
      descriptor: descriptor as ProviderDescriptor,
      models: (models as ModelSpec[]).map((m) => ({ ...m, provider: spec.id, ref: `${spec.id}/${m.id}` })),
      tests,
      source: file,
    };
  }
  throw new Error(`no provider YAML for '${id}' in catalog/providers or test/contract/providers`);
}

/** Ids of every catalog provider YAML (template files starting with `_` excluded). */
export function catalogProviderIds(): string[] {
  if (!existsSync(CATALOG_DIR)) return [];
  return readdirSync(CATALOG_DIR)
    .filter((f) => f.endsWith('.yaml') && !f.startsWith('_'))
    .map((f) => f.slice(0, -5))
    .sort();
}

/** The fake AWS identity used for `aws-sigv4` providers (AWS's documentation example access key id). */
export const FAKE_AWS = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', sessionToken: 'FwoGZXIvYXdzEXAMPLEsessionTOKEN' };

/**
 * How a case's key is handed to the provider: as the `apiKey` setting, or for `aws-sigv4` auth as the
 * secret access key of a fixed fake AWS environment (access key id and session token from FAKE_AWS).
 */
export function credentialsFor(
  descriptor: ProviderDescriptor,
  apiKey: string,
): { apiKey?: string; env?: Record<string, string> } {
  if (descriptor.auth.type !== 'aws-sigv4') return { apiKey };
  return {
    env: {
      AWS_ACCESS_KEY_ID: FAKE_AWS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: apiKey,
      AWS_SESSION_TOKEN: FAKE_AWS.sessionToken,
    },
  };
}

/** Provider settings a case may carry (Azure's resource/deployment params, a base URL). */
export type CaseSettings = NonNullable<ContractCaseSpec['settings']>;

// ---------------------------------------------------------------------------------------------
// Running a case

/** What a case produced, normalized across the two run paths. */
export interface Normalized {
  text?: string;
  reasoning?: string;
  toolCalls?: ToolCall[];
  finishReason?: FinishReason;
  rawFinishReason?: string;
  usage?: Partial<Usage>;
  citations?: string[];
  id?: string;
  model?: string;
  embeddings?: number[][];
  inputTokens?: number;
  models?: ListedModel[];
}

export interface CaseOutcome {
  request: CapturedRequest | undefined;
  result?: Normalized;
  error?: SwitchboardError;
  /** Which path ran the case. */
  via: 'switchboard' | 'adapter';
}

export interface RunOptions {
  apiKey: string;
  settings?: CaseSettings;
  /** The transport createSwitchboard uses (default: undici, core's default). */
  transport?: TransportName;
}

function resolveResponse(spec: ContractCaseSpec): FixtureResponse {
  if (spec.response.fixture !== undefined) {
    const fixture = loadFixture(spec.response.fixture);
    return {
      ...fixture.response,
      ...(spec.response.status !== undefined ? { status: spec.response.status } : {}),
      headers: { ...(fixture.response.headers ?? {}), ...(spec.response.headers ?? {}) },
    };
  }
  const { fixture: _f, ...inline } = spec.response;
  return typeof inline.body === 'string' ? { ...inline, bodyText: inline.body, body: undefined } : inline;
}

function fill(template: string, params: Record<string, string>): string {
  return template.replace(/\{([A-Za-z0-9_-]+)\}/g, (whole, name: string) => params[name] ?? whole);
}

function modelIdOf(input: Record<string, unknown>, provider: LoadedProvider): string {
  const model = input.model;
  if (typeof model === 'string')
    return model.startsWith(`${provider.descriptor.id}/`) ? model.slice(provider.descriptor.id.length + 1) : model;
  return provider.descriptor.defaultModel;
}

/** The CallContext the runtime would build, from the descriptor and case settings. */
export function buildContext(provider: LoadedProvider, modelId: string, options: RunOptions): CallContext {
  const params: Record<string, string> = {};
  for (const p of provider.descriptor.params ?? []) if (p.default !== undefined) params[p.name] = p.default;
  Object.assign(params, options.settings?.params ?? {});
  const baseURL = fill(options.settings?.baseURL ?? provider.descriptor.baseURL, params).replace(/\/+$/, '');
  const credentials = credentialsFor(provider.descriptor, options.apiKey);
  return {
    descriptor: provider.descriptor,
    settings: {
      ...(credentials.apiKey !== undefined ? { apiKey: credentials.apiKey } : {}),
      ...(options.settings ?? {}),
    },
    model: provider.models.find((m) => m.id === modelId || m.aliases?.includes(modelId)),
    modelId,
    baseURL,
    params,
    apiKey: credentials.apiKey,
    env: credentials.env ?? {},
  };
}

/** Auth, catalog headers and dialect query parameters, as the runtime adds them. */
export async function finalize(ctx: CallContext, spec: HttpRequestSpec): Promise<HttpRequestSpec> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(spec.headers)) headers[k.toLowerCase()] = v;
  for (const [k, v] of Object.entries(ctx.descriptor.headers ?? {})) headers[k.toLowerCase()] = fill(v, ctx.params);
  const url = new URL(spec.url);
  for (const [k, v] of Object.entries(ctx.descriptor.dialect?.queryParams ?? {})) {
    if (!url.searchParams.has(k)) url.searchParams.set(k, fill(v, ctx.params));
  }
  const { auth } = ctx.descriptor;
  if (ctx.apiKey !== undefined) {
    if (auth.type === 'bearer')
      headers[(auth.header ?? 'authorization').toLowerCase()] = `${auth.prefix ?? 'Bearer '}${ctx.apiKey}`;
    else if (auth.type === 'header')
      headers[(auth.header ?? 'x-api-key').toLowerCase()] = `${auth.prefix ?? ''}${ctx.apiKey}`;
    else if (auth.type === 'query') url.searchParams.set(auth.queryParam ?? 'key', ctx.apiKey);
  }
  const out: HttpRequestSpec = { ...spec, url: url.toString(), headers };
  const adapter = getProtocolAdapter(ctx.descriptor.protocol, ctx.descriptor.id);
  return auth.type === 'aws-sigv4' && adapter.sign ? adapter.sign(ctx, out) : out;
}

function toParts(content: unknown): PreparedPart[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  if (!Array.isArray(content)) return [];
  return content.map((p: Record<string, unknown>) => {
    if (p.type === 'image') {
      const image = String(p.image ?? p.url ?? '');
      const data = /^data:([^;]+);base64,(.*)$/.exec(image);
      return data
        ? { type: 'image', data: data[2], mediaType: data[1] ?? 'image/png', ...(p.detail ? { detail: p.detail } : {}) }
        : {
            type: 'image',
            url: image,
            mediaType: String(p.mediaType ?? 'image/png'),
            ...(p.detail ? { detail: p.detail } : {}),
          };
    }
    return { type: 'text', text: String(p.text ?? '') };
  }) as PreparedPart[];
}

/** A public `ChatRequest`-shaped input (strings for content, JSON-schema tools) as a PreparedChatRequest. */
export function toPreparedChat(input: Record<string, unknown>, stream: boolean): PreparedChatRequest {
  const messages: PreparedMessage[] = ((input.messages as Record<string, unknown>[]) ?? []).map((m) => {
    switch (m.role) {
      case 'system':
        return { role: 'system', content: String(m.content) };
      case 'assistant':
        return {
          role: 'assistant',
          content: typeof m.content === 'string' ? m.content : '',
          toolCalls: (m.toolCalls as ToolCall[] | undefined) ?? [],
        };
      case 'tool':
        return {
          role: 'tool',
          toolCallId: String(m.toolCallId),
          content: String(m.content),
          ...(m.name ? { name: String(m.name) } : {}),
        };
      default:
        return { role: 'user', content: toParts(m.content) };
    }
  });
  const tools: Record<string, unknown>[] = Array.isArray(input.tools)
    ? (input.tools as Record<string, unknown>[])
    : Object.entries((input.tools as Record<string, Record<string, unknown>>) ?? {}).map(([name, t]) => ({
        name,
        ...t,
      }));
  const prepared: PreparedChatRequest = {
    messages,
    tools: tools.map((t) => ({
      name: String(t.name),
      ...(t.description !== undefined ? { description: String(t.description) } : {}),
      parameters: (t.parameters as Record<string, unknown>) ?? { type: 'object', properties: {} },
    })),
    providerOptions: (input.providerOptions as Record<string, unknown>) ?? {},
    stream,
  };
  for (const key of [
    'temperature',
    'maxTokens',
    'topP',
    'frequencyPenalty',
    'presencePenalty',
    'stop',
    'seed',
    'reasoning',
    'toolChoice',
    'responseFormat',
  ] as const) {
    if (input[key] !== undefined) (prepared as unknown as Record<string, unknown>)[key] = input[key];
  }
  return prepared;
}

/** Folds protocol stream events into a normalized result (what the runtime's accumulator does). */
export function accumulate(events: ProtocolStreamEvent[]): { result: Normalized; error?: SwitchboardError } {
  const result: Normalized = { text: '', toolCalls: [], usage: {} };
  let reasoning = '';
  let error: SwitchboardError | undefined;
  const calls = new Map<number, { id?: string; name?: string; args: string }>();
  for (const e of events) {
    switch (e.type) {
      case 'text-delta':
        result.text += e.text;
        break;
      case 'reasoning-delta':
        reasoning += e.text;
        break;
      case 'tool-call-delta': {
        const c = calls.get(e.index) ?? { args: '' };
        c.id ??= e.id;
        c.name ??= e.name;
        c.args += e.argumentsDelta;
        calls.set(e.index, c);
        break;
      }
      case 'tool-call':
        calls.set(e.index, { id: e.id, name: e.name, args: e.arguments });
        break;
      case 'usage':
        Object.assign(result.usage as object, e.usage);
        break;
      case 'finish':
        result.finishReason = e.finishReason;
        if (e.rawFinishReason !== undefined) result.rawFinishReason = e.rawFinishReason;
        break;
      case 'metadata':
        if (e.id !== undefined) result.id ??= e.id;
        if (e.model !== undefined) result.model ??= e.model;
        if (e.citations !== undefined) result.citations = e.citations;
        break;
      case 'error':
        error ??= e.error;
        break;
    }
  }
  if (reasoning !== '') result.reasoning = reasoning;
  result.toolCalls = [...calls.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, c]) => {
      let args: Record<string, unknown> = {};
      try {
        args = c.args.trim() === '' ? {} : (JSON.parse(c.args) as Record<string, unknown>);
      } catch {
        args = { __raw: c.args };
      }
      return { id: c.id ?? '', name: c.name ?? '', arguments: args };
    });
  if (result.toolCalls.length > 0 && result.finishReason === undefined) result.finishReason = 'tool-calls';
  return error ? { result, error } : { result };
}

async function runViaAdapter(
  provider: LoadedProvider,
  spec: ContractCaseSpec,
  options: RunOptions,
): Promise<Omit<CaseOutcome, 'request'>> {
  const adapter = getProtocolAdapter(provider.descriptor.protocol, provider.descriptor.id);
  const input = spec.input;
  const ctx = buildContext(provider, modelIdOf(input, provider), options);
  const streaming = spec.kind === 'stream' || (spec.kind === 'error' && input.stream === true);
  let built: HttpRequestSpec;
  let embedReq: PreparedEmbedRequest | undefined;
  if (spec.kind === 'embed' || (spec.kind === 'error' && input.input !== undefined)) {
    if (!adapter.embedRequest) throw new Error(`${provider.descriptor.protocol} has no embeddings`);
    const raw = input.input;
    embedReq = {
      input: Array.isArray(raw) ? raw.map(String) : [String(raw)],
      encoding: (input.encoding as 'float' | 'base64') ?? 'float',
      providerOptions: (input.providerOptions as Record<string, unknown>) ?? {},
      ...(input.dimensions !== undefined ? { dimensions: Number(input.dimensions) } : {}),
    };
    built = adapter.embedRequest(ctx, embedReq);
  } else if (spec.kind === 'models') {
    if (!adapter.listModelsRequest) throw new Error(`${provider.descriptor.protocol} has no models list`);
    built = adapter.listModelsRequest(ctx);
  } else {
    built = adapter.chatRequest(ctx, toPreparedChat(input, streaming));
  }
  const req = await finalize(ctx, built);
  const res = await fetch(req.url, { method: req.method, headers: req.headers, body: req.body });
  if (res.status < 200 || res.status >= 300) {
    return { via: 'adapter', error: adapter.parseError(ctx, res.status, res.headers, await res.text()) };
  }
  if (streaming) {
    const decoder = adapter.streamDecoder(ctx);
    const events: ProtocolStreamEvent[] = [];
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      events.push(...decoder.push(value));
    }
    events.push(...decoder.end());
    const { result, error } = accumulate(events);
    return error ? { via: 'adapter', result, error } : { via: 'adapter', result };
  }
  const json = JSON.parse(await res.text()) as unknown;
  if (embedReq && adapter.parseEmbed) {
    const r = adapter.parseEmbed(ctx, json, embedReq);
    return { via: 'adapter', result: { embeddings: r.embeddings, inputTokens: r.inputTokens } };
  }
  if (spec.kind === 'models' && adapter.parseModels)
    return { via: 'adapter', result: { models: adapter.parseModels(ctx, json) } };
  const r = adapter.parseChat(ctx, json);
  const result: Normalized = { text: r.text, toolCalls: r.toolCalls, finishReason: r.finishReason, usage: r.usage };
  if (r.rawFinishReason !== undefined) result.rawFinishReason = r.rawFinishReason;
  if (r.reasoning !== undefined) result.reasoning = r.reasoning;
  if (r.citations !== undefined) result.citations = r.citations;
  if (r.id !== undefined) result.id = r.id;
  if (r.model !== undefined) result.model = r.model;
  return { via: 'adapter', result };
}

type SwitchboardLike = {
  chat(req: Record<string, unknown>): Promise<Record<string, unknown>>;
  stream(req: Record<string, unknown>): AsyncIterable<unknown> & { response: Promise<Record<string, unknown>> };
  embed(req: Record<string, unknown>): Promise<Record<string, unknown>>;
  listModels?(provider?: string): Promise<ListedModel[]>;
};

/** `createSwitchboard` when core exports it (and CONTRACT_VIA is not `adapter`). */
async function loadCreateSwitchboard(): Promise<((options: Record<string, unknown>) => SwitchboardLike) | undefined> {
  if (process.env.CONTRACT_VIA === 'adapter') return undefined;
  const core = (await import('@switchboard/core')) as Record<string, unknown>;
  return typeof core.createSwitchboard === 'function'
    ? (core.createSwitchboard as (o: Record<string, unknown>) => SwitchboardLike)
    : undefined;
}

function normalizeResponse(r: Record<string, unknown>): Normalized {
  const out: Normalized = {};
  for (const key of [
    'text',
    'reasoning',
    'toolCalls',
    'finishReason',
    'rawFinishReason',
    'usage',
    'citations',
    'id',
    'model',
  ] as const) {
    if (r[key] !== undefined) (out as Record<string, unknown>)[key] = r[key];
  }
  return out;
}

async function runViaSwitchboard(
  create: (options: Record<string, unknown>) => SwitchboardLike,
  provider: LoadedProvider,
  spec: ContractCaseSpec,
  options: RunOptions,
): Promise<Omit<CaseOutcome, 'request'>> {
  const credentials = credentialsFor(provider.descriptor, options.apiKey);
  const definition = defineProvider(
    { descriptor: provider.descriptor, models: provider.models, aliases: {} },
    {
      ...(credentials.apiKey !== undefined ? { apiKey: credentials.apiKey } : {}),
      ...(options.settings?.baseURL ? { baseURL: options.settings.baseURL } : {}),
      ...(options.settings?.params ? { params: options.settings.params } : {}),
    },
  );
  const sb = create({
    providers: [definition],
    ...transportOption(options.transport ?? 'undici'),
    retry: { maxRetries: 0 },
    cache: false,
    ...(credentials.env ? { env: credentials.env } : {}),
  });
  const modelId = modelIdOf(spec.input, provider);
  const input = { ...spec.input, model: `${provider.descriptor.id}/${modelId}` };
  delete (input as Record<string, unknown>).stream;
  try {
    if (spec.kind === 'embed' || (spec.kind === 'error' && spec.input.input !== undefined)) {
      const r = await sb.embed(input);
      return {
        via: 'switchboard',
        result: {
          embeddings: r.embeddings as number[][],
          inputTokens: (r.usage as { inputTokens: number }).inputTokens,
        },
      };
    }
    if (spec.kind === 'models') {
      if (!sb.listModels) throw new Error('createSwitchboard has no listModels');
      return { via: 'switchboard', result: { models: await sb.listModels(provider.descriptor.id) } };
    }
    if (spec.kind === 'stream' || spec.input.stream === true) {
      const stream = sb.stream(input);
      for await (const _ of stream) {
        // drain
      }
      return { via: 'switchboard', result: normalizeResponse(await stream.response) };
    }
    return { via: 'switchboard', result: normalizeResponse(await sb.chat(input)) };
  } catch (error) {
    return { via: 'switchboard', error: error as SwitchboardError };
  }
}

/** Serves the case's response through `mock`, runs the case, and returns what was sent and produced. */
export async function runCase(
  mock: MockServer,
  provider: LoadedProvider,
  spec: ContractCaseSpec,
  options: RunOptions,
): Promise<CaseOutcome> {
  mock.reset();
  mock.serve(resolveResponse(spec), options.apiKey);
  const create = await loadCreateSwitchboard();
  let outcome: Omit<CaseOutcome, 'request'>;
  try {
    outcome = create
      ? await runViaSwitchboard(create, provider, spec, options)
      : await runViaAdapter(provider, spec, options);
  } catch (error) {
    outcome = { via: create ? 'switchboard' : 'adapter', error: error as SwitchboardError };
  }
  return { ...outcome, request: mock.captured[0] };
}
