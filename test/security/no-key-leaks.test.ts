/**
 * The proof that no API key reaches a log line, an error, a cache key or value, or a file.
 *
 * Distinctive fake keys (OpenAI bearer, Anthropic x-api-key, a Gemini key sent as the `?key=` query
 * parameter, an AWS key pair signing Bedrock with SigV4) are given through provider settings and,
 * in a second round, through the environment. Every call runs with a debug/trace logger (pino and
 * the built-in writer) against a loopback server that echoes the credentials it received in every
 * error body and header: successful chats and streams, 401/429/500, retries, fallbacks, a timeout,
 * a connection failure, cached responses (in-process, Store and disk backends), sessions, the
 * recorder's redaction. Everything produced is then searched for each key as is, URL-encoded,
 * JSON-escaped, hex, base64/base64url at every byte alignment, and for every 12-character window.
 * The test also checks the keys really were sent (so a pass is not vacuous) and that one call's
 * lines share one request id.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import {
  type CacheBackend,
  createLogger,
  createSwitchboard,
  DiskCacheBackend,
  defineProvider,
  type LogFields,
  LruCacheBackend,
  MemoryStore,
  memoryDestination,
  ResponseCache,
  type Store,
  StoreCacheBackend,
} from '@switchboard/core';
import { createAnthropic } from '@switchboard/provider-anthropic';
import { createBedrock } from '@switchboard/provider-bedrock';
import { geminiDescriptor, geminiModelAliases, geminiModels } from '@switchboard/provider-gemini';
import { createOpenAI } from '@switchboard/provider-openai';
import { redactExchange } from '@switchboard/testing';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LeakServer, startLeakServer } from './leak-server.js';

const OPENAI_KEY = 'sk-test-LEAKCANARY-0123456789abcdef';
const ANTHROPIC_KEY = 'sk-ant-api03-LEAKCANARY-anthropic-0123456789';
const GEMINI_KEY = 'AIzaSyLEAKCANARY-gemini-0123456789abcde';
const AWS_ACCESS_KEY = 'AKIALEAKCANARY012345';
const AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYLEAKCANARY99';
const CANARIES = [OPENAI_KEY, ANTHROPIC_KEY, GEMINI_KEY, AWS_ACCESS_KEY, AWS_SECRET];
const PROMPT = 'PROMPT-CANARY-the-launch-codes-are-0000';

/** base64 fragments of `secret` that appear whatever bytes surround it (one per byte alignment). */
function base64Fragments(secret: string): string[] {
  const out: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const bytes = Buffer.concat([Buffer.alloc(offset), Buffer.from(secret)]);
    const encoded = bytes.toString('base64');
    const fragment = encoded.slice(offset === 0 ? 0 : offset + 1, Math.floor(bytes.length / 3) * 4);
    out.push(fragment, fragment.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return out;
}

/** Every 12-character stretch of `secret`: a key cut short by an echo is still a leak. */
function windows(secret: string): string[] {
  const out: string[] = [];
  for (let start = 0; start + 12 <= secret.length; start++) out.push(secret.slice(start, start + 12));
  return out;
}

function leakForms(secret: string): string[] {
  return [
    secret,
    encodeURIComponent(secret),
    encodeURIComponent(encodeURIComponent(secret)),
    JSON.stringify(secret).slice(1, -1),
    Buffer.from(secret).toString('hex'),
    ...base64Fragments(secret),
    ...windows(secret),
  ];
}

/** Fails with the place and the form found when any canary is in `text`. */
function expectNoKey(text: string, where: string): void {
  for (const canary of CANARIES)
    for (const form of leakForms(canary))
      if (text.includes(form))
        expect.fail(`${where}: contains ${canary === form ? 'a key' : `an encoded key (${form})`}`);
}

/** Every way an error can be printed or serialized. */
function errorTexts(error: unknown): string[] {
  const texts = [String(error), inspect(error, { depth: Number.POSITIVE_INFINITY, showHidden: true })];
  try {
    texts.push(JSON.stringify(error));
  } catch {
    // circular: covered by inspect
  }
  for (let cause: unknown = error; cause instanceof Error; cause = cause.cause) {
    texts.push(cause.toString(), cause.message, cause.stack ?? '', JSON.stringify(Object.entries(cause)));
    const partial = (cause as { partial?: unknown }).partial;
    if (partial !== undefined) texts.push(JSON.stringify(partial));
  }
  if (error instanceof AggregateError) for (const inner of error.errors) texts.push(...errorTexts(inner));
  return texts;
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

/** A store that keeps a copy of every key and value written to it. */
function recordingStore(written: string[]): Store {
  const store = new MemoryStore();
  return new Proxy(store, {
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

function filesUnder(dir: string): { path: string; text: string }[] {
  const out: { path: string; text: string }[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path));
    else out.push({ path, text: readFileSync(path, 'latin1') });
  }
  return out;
}

let server: LeakServer;
let tmp: string;
beforeAll(async () => {
  server = await startLeakServer();
  tmp = mkdtempSync(join(tmpdir(), 'sb-leak-'));
});
afterAll(async () => {
  await server.close();
  rmSync(tmp, { recursive: true, force: true });
});

const ask = (text = 'Hi') => [{ role: 'user' as const, content: `${text} ${PROMPT}` }];

/** Gemini with its key as the `key` query parameter (the API accepts both; the catalog picks the header). */
function geminiByQuery(settings: { apiKey?: string; baseURL: string }) {
  return defineProvider(
    {
      descriptor: { ...geminiDescriptor, auth: { ...geminiDescriptor.auth, type: 'query', queryParam: 'key' } },
      models: geminiModels,
      aliases: geminiModelAliases,
    },
    settings,
  );
}

type Mode = 'settings' | 'env';

/**
 * How the logger is given: `pino` = `createLogger` writing through pino; `tee` = a plain object
 * forwarding to two built-in-writer loggers (memory and a file), adapted like any user logger;
 * `instance` = a ready pino instance writing to memory and a file (pino.multistream).
 */
type Kind = 'pino' | 'tee' | 'instance';

function setup(mode: Mode, kind: Kind, extra: { cache?: ResponseCache; store?: Store } = {}) {
  const out = memoryDestination();
  const logFile = join(tmp, `log-${mode}-${kind}-${Math.random().toString(36).slice(2)}.jsonl`);
  const engine = kind === 'pino' ? 'pino' : 'builtin';
  const fileOut = createLogger({ level: 'trace', destination: logFile, engine });
  const captured = createLogger({ level: 'trace', destination: out, engine });
  // Both loggers get every line: the memory one is searched, the file one proves files stay clean.
  const tee = {
    level: 'trace',
    trace: (m: string, d?: LogFields) => {
      captured.trace(m, d);
      fileOut.trace(m, d);
    },
    debug: (m: string, d?: LogFields) => {
      captured.debug(m, d);
      fileOut.debug(m, d);
    },
    info: (m: string, d?: LogFields) => {
      captured.info(m, d);
      fileOut.info(m, d);
    },
    warn: (m: string, d?: LogFields) => {
      captured.warn(m, d);
      fileOut.warn(m, d);
    },
    error: (m: string, d?: LogFields) => {
      captured.error(m, d);
      fileOut.error(m, d);
    },
  };
  const key = (apiKey: string) => (mode === 'settings' ? { apiKey } : {});
  const env: Record<string, string> = {
    AWS_ACCESS_KEY_ID: AWS_ACCESS_KEY,
    AWS_SECRET_ACCESS_KEY: AWS_SECRET,
    AWS_REGION: 'us-east-1',
    BEDROCK_BASE_URL: `${server.url}/bedrock`,
    ...(mode === 'env'
      ? { OPENAI_API_KEY: OPENAI_KEY, ANTHROPIC_API_KEY: ANTHROPIC_KEY, GEMINI_API_KEY: GEMINI_KEY }
      : {}),
  };
  const sb = createSwitchboard({
    providers: [
      createOpenAI({ ...key(OPENAI_KEY), baseURL: `${server.url}/openai/v1` }),
      createAnthropic({ ...key(ANTHROPIC_KEY), baseURL: `${server.url}/anthropic/v1` }),
      geminiByQuery({ ...key(GEMINI_KEY), baseURL: `${server.url}/gemini/v1beta` }),
      createBedrock(),
    ],
    env,
    logger:
      kind === 'pino'
        ? captured
        : kind === 'tee'
          ? tee
          : pino(
              { level: 'trace' },
              pino.multistream([
                { level: 'trace', stream: out },
                { level: 'trace', stream: pino.destination({ dest: logFile, sync: true }) },
              ]),
            ),
    clock: { sleep: async () => undefined },
    retry: { maxRetries: 2, initialDelayMs: 1 },
    breaker: { failureThreshold: 2, cooldownMs: 60_000 },
    ...(extra.cache === undefined ? {} : { cache: extra.cache }),
    ...(extra.store === undefined ? {} : { store: extra.store }),
  });
  return { sb, out, logFile, env };
}

describe.each([
  ['settings', 'pino'],
  ['env', 'pino'],
  ['settings', 'tee'],
  ['env', 'instance'],
] as const)('keys given through %s, logger kind %s', (mode, kind) => {
  it('no key in any log line, log file, error, response, cache entry or session', async () => {
    const cacheWrites: string[] = [];
    const storeWrites: string[] = [];
    const diskDir = join(tmp, `cache-${mode}-${kind}`);
    const { sb, out, logFile } = setup(mode, kind, {
      store: recordingStore(storeWrites),
    });
    const artifacts: { where: string; text: string }[] = [];
    const keep = (where: string, value: unknown) =>
      artifacts.push({ where, text: typeof value === 'string' ? value : inspect(value, { depth: Infinity }) });
    const failing = async (where: string, run: () => Promise<unknown>) => {
      try {
        await run();
        expect.fail(`${where}: expected an error`);
      } catch (error) {
        for (const text of errorTexts(error)) keep(`${where} error`, text);
        return error as Error & { kind?: string };
      }
    };
    const received = server.received.length;

    // successful chats on all four auth schemes, and streams
    for (const model of [
      'openai/gpt-4o-mini',
      'anthropic/claude-sonnet-4-5',
      'gemini/gemini-2.5-flash',
      'bedrock/anthropic.claude-sonnet-4-5-20250929-v1:0',
    ]) {
      server.script('ok');
      const res = await sb.chat({ model, messages: ask(), retry: false });
      expect(res.text).toBe('Hello');
      keep(`${model} response`, res);
    }
    for (const model of ['openai/gpt-4o-mini', 'gemini/gemini-2.5-flash']) {
      server.script('ok');
      const stream = sb.stream({ model, messages: ask() });
      for await (const event of stream) keep(`${model} stream event`, event);
      keep(`${model} stream response`, await stream.response);
    }

    // 401 (echoing the key), 429 then success (retry), 500s exhausting retries, fallback to another provider
    server.script(401);
    expect((await failing('401', () => sb.chat({ model: 'openai/gpt-4o-mini', messages: ask() })))?.kind).toBe(
      'authentication',
    );
    server.script(401);
    await failing('gemini 401', () => sb.chat({ model: 'gemini/gemini-2.5-flash', messages: ask(), retry: false }));
    server.script(401);
    await failing('bedrock 401', () =>
      sb.chat({ model: 'bedrock/anthropic.claude-sonnet-4-5-20250929-v1:0', messages: ask(), retry: false }),
    );
    server.script(429, 'ok');
    keep('429 then ok', await sb.chat({ model: 'anthropic/claude-sonnet-4-5', messages: ask() }));
    server.script(500, 500, 500);
    await failing('500 x3', () => sb.chat({ model: 'gemini/gemini-2.5-flash', messages: ask() }));
    server.script(500, 500, 500, 'ok');
    const fellBack = await sb.chat({
      model: 'openai/gpt-4o-mini',
      messages: ask(),
      fallback: ['anthropic/claude-sonnet-4-5'],
      breaker: false,
    });
    expect(fellBack.provider).toBe('anthropic');
    keep('fallback response (with attempts)', fellBack);
    server.script(429, 429, 429);
    const stream = sb.stream({ model: 'openai/gpt-4o-mini', messages: ask(), breaker: false });
    for await (const event of stream) keep('failed stream event', event);
    await failing('failed stream response', () => stream.response);

    // two failures open the Bedrock breaker; the next call is refused by it
    const bedrockModel = 'bedrock/anthropic.claude-sonnet-4-5-20250929-v1:0';
    for (let i = 0; i < 2; i++) {
      server.script(500);
      await failing('bedrock 500', () => sb.chat({ model: bedrockModel, messages: ask(), retry: false }));
    }
    expect(
      (await failing('breaker open', () => sb.chat({ model: bedrockModel, messages: ask() })))?.kind,
    ).toBeDefined();

    // a timeout and a connection that cannot be made (the URL carries the Gemini key)
    server.script('hang');
    expect(
      (
        await failing('timeout', () =>
          sb.chat({ model: 'openai/gpt-4o-mini', messages: ask(), timeout: 200, retry: false, breaker: false }),
        )
      )?.kind,
    ).toBe('timeout');
    const unreachable = createSwitchboard({
      providers: [geminiByQuery({ apiKey: GEMINI_KEY, baseURL: 'http://127.0.0.1:9/v1beta' })],
      logger: createLogger({ level: 'trace', destination: out, engine: kind === 'pino' ? 'pino' : 'builtin' }),
    });
    await failing('connection refused', () =>
      unreachable.chat({ model: 'gemini/gemini-2.5-flash', messages: ask(), retry: false }),
    );
    await unreachable.close();

    // cached responses: in-process LRU, Store and disk backends (keys and stored values)
    for (const [name, backend] of [
      ['lru', new LruCacheBackend()],
      ['store', new StoreCacheBackend(recordingStore(storeWrites))],
      ['disk', new DiskCacheBackend({ dir: diskDir })],
    ] as const) {
      const cached = setup(mode, kind, { cache: new ResponseCache({ backend: recording(backend, cacheWrites) }) });
      for (const model of ['openai/gpt-4o-mini', 'gemini/gemini-2.5-flash']) {
        server.script('ok');
        await cached.sb.chat({ model, messages: ask('cache me'), cache: true });
        const hit = await cached.sb.chat({ model, messages: ask('cache me'), cache: true });
        expect(hit.cached).toBe(true);
        keep(`${name} cache hit`, hit);
        server.script('ok');
        for await (const event of cached.sb.stream({ model, messages: ask('stream me'), cache: true }))
          keep(`${name} cached stream`, event);
      }
      for (const line of cached.out.lines) keep(`${name} cache log`, line);
      await cached.sb.close();
    }
    expect(cacheWrites.length).toBeGreaterThan(0);
    for (const text of cacheWrites) keep('cache key or value', text);
    const diskFiles = filesUnder(diskDir);
    expect(diskFiles.length).toBeGreaterThan(0);
    for (const file of diskFiles) keep(`disk cache file ${file.path}`, file.path + file.text);

    // a session: its JSON and what it persists in the Store
    const session = sb.session({
      model: 'openai/gpt-4o-mini',
      system: 'be brief',
      persist: { store: recordingStore(storeWrites) },
    } as Parameters<typeof sb.session>[0]);
    server.script('ok');
    await session.chat('hello');
    keep('session JSON', JSON.stringify(session.toJSON()));
    for (const text of storeWrites) keep('store write', text);

    // the recorder's redaction of an exchange carrying every key
    const exchange = {
      request: {
        method: 'POST',
        url: `${server.url}/gemini/v1beta/models/x:generateContent?key=${GEMINI_KEY}`,
        headers: { authorization: `Bearer ${OPENAI_KEY}`, 'x-api-key': ANTHROPIC_KEY, 'x-goog-api-key': GEMINI_KEY },
        body: { note: `echo ${AWS_SECRET} ${AWS_ACCESS_KEY}` },
      },
      response: {
        status: 401,
        headers: { 'set-cookie': `session=${OPENAI_KEY}` },
        bodyText: `bad key ${ANTHROPIC_KEY}`,
        chunks: [`data: ${OPENAI_KEY}`],
      },
    };
    keep('recorded fixture', JSON.stringify(redactExchange(exchange, CANARIES)));

    await sb.close();

    // the keys did go out (so the searches above are meaningful)...
    const sent = JSON.stringify(server.received.slice(received));
    for (const canary of [OPENAI_KEY, ANTHROPIC_KEY, encodeURIComponent(GEMINI_KEY), AWS_ACCESS_KEY])
      expect(sent, `the server saw ${canary}`).toContain(canary);
    // ...and the server echoed them back in the errors
    expect(sent.length).toBeGreaterThan(0);

    // the logs were written at debug/trace level and cover the HTTP exchange, retries and fallbacks
    const records = out.records();
    const components = new Set(records.map((record) => record.component));
    for (const component of ['protocol', 'retry', 'fallback', 'runtime', 'breaker'])
      expect(components, `lines from ${component}`).toContain(component);
    expect(out.lines.some((line) => line.includes(PROMPT))).toBe(true);

    for (const line of out.lines) keep('log line', line);
    keep('log file', readFileSync(logFile, 'utf8'));
    if (kind !== 'pino') expect(readFileSync(logFile, 'utf8').length).toBeGreaterThan(0);
    for (const { where, text } of artifacts) expectNoKey(text, where);
  });
});

describe('request-scoped logging', () => {
  it('every line of one call (retries and fallback included) carries the same request id; concurrent calls differ', async () => {
    const { sb, out } = setup('settings', 'pino');
    server.script(500, 500, 500, 'ok');
    await sb.chat({
      model: 'openai/gpt-4o-mini',
      messages: ask(),
      fallback: ['anthropic/claude-sonnet-4-5'],
      breaker: false,
      cache: true,
      requestId: 'call-A',
    });
    const records = out.records();
    const components = new Set(records.map((record) => record.component));
    for (const component of ['runtime', 'cache', 'protocol', 'retry', 'fallback'])
      expect(components).toContain(component);
    for (const record of records) expect(record.requestId, JSON.stringify(record)).toBe('call-A');

    out.clear();
    server.script('ok', 'ok', 'ok');
    await Promise.all([
      sb.chat({ model: 'openai/gpt-4o-mini', messages: ask('one') }),
      sb.chat({ model: 'anthropic/claude-sonnet-4-5', messages: ask('two') }),
      (async () => {
        let text = '';
        for await (const event of sb.stream({ model: 'gemini/gemini-2.5-flash', messages: ask('three') }))
          if (event.type === 'text-delta') text += event.text;
        return text;
      })(),
    ]);
    const byProvider = new Map<string, Set<unknown>>();
    for (const record of out.records()) {
      expect(typeof record.requestId).toBe('string');
      if (typeof record.provider === 'string') {
        const ids = byProvider.get(record.provider) ?? new Set();
        ids.add(record.requestId);
        byProvider.set(record.provider, ids);
      }
    }
    expect([...byProvider.keys()].sort()).toEqual(['anthropic', 'gemini', 'openai']);
    const ids = [...byProvider.values()].map((set) => {
      expect(set.size).toBe(1);
      return [...set][0];
    });
    expect(new Set(ids).size).toBe(3);
    await sb.close();
  });

  it('redactContent keeps prompts and completions out of every line', async () => {
    const out = memoryDestination();
    const sb = createSwitchboard({
      providers: [createOpenAI({ apiKey: OPENAI_KEY, baseURL: `${server.url}/openai/v1` })],
      logger: createLogger({ level: 'trace', destination: out, redactContent: true }),
    });
    server.script('ok', 'ok');
    await sb.chat({ model: 'openai/gpt-4o-mini', messages: ask() });
    for await (const _ of sb.stream({ model: 'openai/gpt-4o-mini', messages: ask() })) {
      // drain
    }
    expect(out.lines.length).toBeGreaterThan(0);
    for (const line of out.lines) {
      expect(line).not.toContain('PROMPT-CANARY');
      expectNoKey(line, 'log line');
    }
    await sb.close();
  });
});
