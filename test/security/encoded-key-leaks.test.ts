/**
 * The proof that a key echoed back in any encoding is removed everywhere the switchboard hands it
 * on. A loopback provider (see `leak-server.ts`) repeats every credential it received raw, base64,
 * base64url, as the base64 of `user:key` (Basic auth), percent- and form-encoded, JSON-escaped
 * (`\/` and `\uXXXX`), as a 20-character prefix and as a 12-character suffix: in a 401 JSON body,
 * a plain-text 500 body, a response header, a 200 body and a stream's error event.
 *
 * Realistic keys are used (an OpenAI project key of 164 characters, an Anthropic `sk-ant-api03-`
 * key, a 39-character Gemini key sent as `?key=`, an AWS key pair with a session token signing
 * Bedrock with SigV4). Everything produced is then searched for each key in every encoding and for
 * every 12-character window of it: error messages, `JSON.stringify` and `util.inspect` of errors,
 * their bodies and causes, OpenTelemetry spans (in-memory exporter), the Prometheus export, the
 * telemetry snapshot, every event payload, the log lines, the cache entries and a saved session.
 */
import { inspect } from 'node:util';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import {
  type CacheBackend,
  createLogger,
  createSwitchboard,
  defineProvider,
  LruCacheBackend,
  MemoryStore,
  memoryDestination,
  ResponseCache,
  type Store,
} from '@switchboard/core';
import { createAnthropic } from '@switchboard/provider-anthropic';
import { createBedrock } from '@switchboard/provider-bedrock';
import { geminiDescriptor, geminiModelAliases, geminiModels } from '@switchboard/provider-gemini';
import { createOpenAI } from '@switchboard/provider-openai';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leakForms } from './leak-forms.js';
import { type LeakServer, startLeakServer } from './leak-server.js';

const OPENAI_KEY =
  'sk-proj-Q3vT9xLmZp8RkW2nYc5HbJ7dF4gS6aE1uI0oP9lKjH8gF7dS6aQ2wE3rT4yU5iO6pA7sD8fG9hJ0kL1zX2cV3bN4mQ5wE6rT7yU8iO9pA0sD1fG2hJ3kL4zX5cV6bN7mQ8wE9rT0yU1iO2pA3sD4fG5hJ6kT3BlbkFJ';
const ANTHROPIC_KEY =
  'sk-ant-api03-Xy7Kp2Lm9Qr4Tv6Wz8Ab1Cd3Ef5Gh7Ij9Kl1Mn3Op5Qr7St9Uv1Wx3Yz5Ab7Cd9Ef1Gh3Ij5Kl7Mn9Op1Qr3St5Uv7Wx9Yz1Ab3C-Dq2RtAA';
const GEMINI_KEY = 'AIzaSyD4x9Kp2Lm7Qr8Tv3Wz6Ab1Cd5Ef0Gh9Ij';
const AWS_ACCESS_KEY = 'AKIAZ7Q4W2E9R1T5Y3U8';
const AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCY9Q2w8E4r1T';
const AWS_SESSION_TOKEN =
  'IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD6m+Xk9Qz2Wc8Lp4Rt7Yv1Bn3Mh5Jd0Fs6Ga8Hk2Le4AiBq7Nw1Tx3Uz5Vy9Ab2Cd4Ef6Gh8Ij0Kl1Mn3Op5Qr7St9Uv1Wx3Yz5Ab7Cd9Ef1Gh3Ij5Kl7Mn9Op1Qr3St5Uv7Wx9Yz1Ab3Cd5Ef7Gh9Ij1Kl3Mn5Op7Qr9St1Uv3Wx5Yz7Ab9Cd1Ef3Gh5Ij7Kl9Mn1Op3Qr5St7Uv9Wx1Yz3==';
const KEYS = { OPENAI_KEY, ANTHROPIC_KEY, GEMINI_KEY, AWS_ACCESS_KEY, AWS_SECRET, AWS_SESSION_TOKEN };

const OPENAI_MODEL = 'openai/gpt-4o-mini';
const ANTHROPIC_MODEL = 'anthropic/claude-sonnet-4-5';
const GEMINI_MODEL = 'gemini/gemini-2.5-flash';
const BEDROCK_MODEL = 'bedrock/anthropic.claude-sonnet-4-5-20250929-v1:0';
const MODELS = [OPENAI_MODEL, ANTHROPIC_MODEL, GEMINI_MODEL, BEDROCK_MODEL];

const LEAK_FORMS = Object.entries(KEYS).map(([name, key]) => ({ name, forms: leakForms(key) }));

/** Where any key is found in `texts`, as `place: KEY (encoding)`, each once. */
function leaksIn(texts: readonly { where: string; text: string }[]): string[] {
  const found = new Set<string>();
  for (const { where, text } of texts)
    for (const { name, forms } of LEAK_FORMS)
      for (const [form, encoding] of forms) if (text.includes(form)) found.add(`${where}: ${name} (${encoding})`);
  return [...found];
}

/** Fails naming each place, key and encoding found. */
function expectNoKey(text: string, where: string): void {
  expect(leaksIn([{ where, text }])).toEqual([]);
}

/** Every way an error can be printed, serialized or walked. */
function errorTexts(error: unknown): string[] {
  const texts = [String(error), inspect(error, { depth: 10 }), inspect(error, { depth: 10, showHidden: true })];
  texts.push(JSON.stringify(error) ?? '');
  for (let cause: unknown = error; cause instanceof Error; cause = cause.cause) {
    const fields = cause as Error & { body?: unknown; code?: unknown; partial?: unknown };
    texts.push(cause.message, cause.stack ?? '', inspect(fields.body, { depth: 10 }), String(fields.code));
    texts.push(JSON.stringify(fields.body) ?? '', JSON.stringify(fields.partial) ?? '');
  }
  return texts;
}

/** The text of a finished span: name, attributes, status and events (exceptions included). */
function spanText(span: ReadableSpan): string {
  return JSON.stringify({
    name: span.name,
    attributes: span.attributes,
    status: span.status,
    events: span.events.map((event) => ({ name: event.name, attributes: event.attributes })),
  });
}

/** A cache backend that keeps a copy of every key and value written through it. */
function recording(backend: CacheBackend, written: string[]): CacheBackend {
  return new Proxy(backend, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver);
      if (name === 'set' && typeof value === 'function')
        return (key: string, entry: string, ttl?: number) => {
          written.push(key, entry);
          return value.call(target, key, entry, ttl);
        };
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** A store that keeps a copy of every string written to it. */
function recordingStore(written: string[]): Store {
  return new Proxy(new MemoryStore(), {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (name === 'set' || name === 'compareAndSet')
          for (const arg of args) if (typeof arg === 'string') written.push(arg);
        return value.apply(target, args);
      };
    },
  });
}

/** Gemini with its key as the `key` query parameter. */
function geminiByQuery(settings: { apiKey: string; baseURL: string }) {
  return defineProvider(
    {
      descriptor: { ...geminiDescriptor, auth: { ...geminiDescriptor.auth, type: 'query', queryParam: 'key' } },
      models: geminiModels,
      aliases: geminiModelAliases,
    },
    settings,
  );
}

let server: LeakServer;
beforeAll(async () => {
  server = await startLeakServer();
});
afterAll(async () => {
  await server.close();
});

let asked = 0;
/** A fresh question each time (the cache is on: a repeated one would be answered from it). */
const ask = () => [{ role: 'user' as const, content: `Hi ${++asked}` }];

function setup() {
  const exporter = new InMemorySpanExporter();
  const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }).getTracer('leaks');
  const registry = new Registry();
  const logs = memoryDestination();
  const cacheWrites: string[] = [];
  const storeWrites: string[] = [];
  const events: { name: string; payload: unknown }[] = [];
  const sb = createSwitchboard({
    providers: [
      createOpenAI({ apiKey: OPENAI_KEY, baseURL: `${server.url}/openai/v1` }),
      createAnthropic({ apiKey: ANTHROPIC_KEY, baseURL: `${server.url}/anthropic/v1` }),
      geminiByQuery({ apiKey: GEMINI_KEY, baseURL: `${server.url}/gemini/v1beta` }),
      createBedrock(),
    ],
    env: {
      AWS_ACCESS_KEY_ID: AWS_ACCESS_KEY,
      AWS_SECRET_ACCESS_KEY: AWS_SECRET,
      AWS_SESSION_TOKEN: AWS_SESSION_TOKEN,
      AWS_REGION: 'us-east-1',
      BEDROCK_BASE_URL: `${server.url}/bedrock`,
    },
    logger: createLogger({ level: 'trace', destination: logs, engine: 'pino' }),
    telemetry: { tracer, meterRegistry: registry },
    cache: new ResponseCache({ backend: recording(new LruCacheBackend(), cacheWrites), storeRaw: true }),
    clock: { sleep: async () => undefined },
    retry: { maxRetries: 1, initialDelayMs: 1 },
    breaker: { failureThreshold: 2, cooldownMs: 60_000 },
  });
  for (const name of ['retry', 'fallback', 'breaker', 'health'] as const)
    sb.on(name, (payload: unknown) => events.push({ name, payload }));
  return { sb, exporter, logs, cacheWrites, storeWrites, events };
}

/** Runs `call`, expecting it to fail, and returns the error. */
async function failure(run: () => Promise<unknown>): Promise<Error> {
  try {
    await run();
  } catch (error) {
    return error as Error;
  }
  return expect.fail('expected the call to fail');
}

describe('a key echoed in any encoding leaks nowhere', () => {
  it.each(MODELS)(
    '%s: errors, events, spans, metrics, telemetry, logs and cache hold no form of any key',
    async (model) => {
      const { sb, exporter, logs, cacheWrites, events } = setup();
      const texts: { where: string; text: string }[] = [];
      const keep = (where: string, text: string) => texts.push({ where, text });
      const errors: Error[] = [];
      const received = server.received.length;

      // a 401 echoing every encoding in its JSON body and a header
      server.script('echo-error');
      errors.push(await failure(() => sb.chat({ model, messages: ask(), retry: false, breaker: false })));
      // a plain-text 500 echoing them (kept verbatim as the body), retried once: a retry event carries it
      server.script('echo-text', 'echo-text');
      errors.push(await failure(() => sb.chat({ model, messages: ask(), breaker: false })));
      // a 200 whose body (the response's raw) echoes them, cached with its raw body
      server.script('echo-ok');
      const answer = await sb.chat({ model, messages: ask(), cache: true, breaker: false });
      expect(answer.text).toBe('Hello');
      // a failure falling back to another provider: the fallback event carries the error
      server.script('echo-text', 'ok');
      const other = model === OPENAI_MODEL ? ANTHROPIC_MODEL : OPENAI_MODEL;
      const fellBack = await sb.chat({ model, messages: ask(), fallback: [other], retry: false, breaker: false });
      expect(fellBack.text).toBe('Hello');
      // two failures open the breaker: its event's reason is the error message
      for (let attempt = 0; attempt < 2; attempt++) {
        server.script('echo-text');
        errors.push(await failure(() => sb.chat({ model, messages: ask(), retry: false })));
      }
      // a stream that sends text, then an error event echoing everything (protocols with SSE errors)
      if (model === OPENAI_MODEL || model === GEMINI_MODEL) {
        server.script('echo-stream');
        const stream = sb.stream({ model, messages: ask(), retry: false, breaker: false });
        for await (const event of stream) {
          keep('stream event', inspect(event, { depth: 10 }));
          if (event.type === 'error') errors.push(event.error);
        }
        errors.push(await failure(() => stream.response));
      }

      // the server did receive this provider's credentials and echoed them (so the searches mean something)
      const sent = server.received.slice(received);
      expect(sent.length).toBeGreaterThanOrEqual(7);
      const wire = JSON.stringify(sent);
      const expected: Record<string, string[]> = {
        [OPENAI_MODEL]: [OPENAI_KEY],
        [ANTHROPIC_MODEL]: [ANTHROPIC_KEY],
        [GEMINI_MODEL]: [GEMINI_KEY],
        [BEDROCK_MODEL]: [AWS_ACCESS_KEY, AWS_SESSION_TOKEN],
      };
      for (const key of expected[model] ?? []) expect(wire).toContain(key);

      for (const error of errors) for (const text of errorTexts(error)) keep('error', text);
      for (const { name, payload } of events) {
        keep(`${name} event`, inspect(payload, { depth: 10 }));
        keep(`${name} event JSON`, JSON.stringify(payload));
      }
      expect(events.map((event) => event.name)).toEqual(expect.arrayContaining(['retry', 'fallback', 'breaker']));
      const spans = exporter.getFinishedSpans();
      expect(spans.some((span) => span.events.some((event) => event.name === 'exception'))).toBe(true);
      for (const span of spans) keep(`span ${span.name}`, spanText(span));
      keep('metrics', await sb.metrics());
      keep('telemetry snapshot', JSON.stringify(sb.telemetry?.snapshot()));
      keep('telemetry export', JSON.stringify(sb.telemetry));
      keep('telemetry CSV', sb.telemetry?.toCSV() ?? '');
      expect(logs.lines.length).toBeGreaterThan(0);
      for (const line of logs.lines) keep('log line', line);
      expect(cacheWrites.some((entry) => entry.includes('"raw"'))).toBe(true);
      for (const entry of cacheWrites) keep('cache entry', entry);

      expect(leaksIn(texts)).toEqual([]);
      // the echo did reach the error, redacted
      expect(errors[0]?.message).toContain('[redacted]');
      await sb.close();
    },
  );

  it('a saved session drops credential-named and key-looking providerOptions (with a warning) and holds no key', async () => {
    const { sb, logs, storeWrites } = setup();
    const store = recordingStore(storeWrites);
    const session = sb.session({
      model: OPENAI_MODEL,
      defaults: {
        providerOptions: {
          api_key: OPENAI_KEY,
          user: 'alice',
          prompt_cache_key: 'conversation-42',
          proxy: { authorization: `Bearer ${ANTHROPIC_KEY}`, region: 'eu-west-1' },
          routing_hint: GEMINI_KEY,
          opaque: 'Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MHF3ZXJ0eXVpb3Bhc2RmZ2g',
        },
      },
      persist: { store },
    });
    server.script('ok');
    await session.chat('hello');
    const saved = session.toJSON();
    expect(saved.defaults.providerOptions).toEqual({
      user: 'alice',
      prompt_cache_key: 'conversation-42',
      proxy: { region: 'eu-west-1' },
    });
    expect(storeWrites.length).toBeGreaterThan(0);
    for (const text of [JSON.stringify(saved), ...storeWrites]) expectNoKey(text, 'saved session');
    const warnings = logs.lines.filter((line) => line.includes('is not saved because'));
    for (const path of ['api_key', 'proxy.authorization', 'routing_hint', 'opaque'])
      expect(
        warnings.some((line) => line.includes(`providerOptions.${path} `)),
        path,
      ).toBe(true);
    // one warning per path, however often the session saves
    await session.save();
    expect(logs.lines.filter((line) => line.includes('is not saved because'))).toHaveLength(warnings.length);
    await sb.close();
  });
});
