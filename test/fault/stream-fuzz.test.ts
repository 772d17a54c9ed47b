/**
 * Stream fuzz test (issue 8, item 3b): thousands of mutated streams per protocol, built from the
 * recorded fixtures, driven through `sb.stream` with each provider's `fetch` setting answering in
 * process (the whole call engine, decoders and accumulator, no socket), plus a handful through a real
 * local HTTP server. Bounded and seeded: the same seed gives
 * the same cases, so a failure names a case that can be replayed.
 *
 * Each case must end in exactly one `finish` or `error` event, never throw, never hang; every error
 * has a `kind`; the partial (or final) text equals the text-delta events delivered; text is always a
 * string; and a stream cut before its end marker never finishes cleanly.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';
import type { ChatResponse, ProtocolId } from '@switchboard/core';
import { createSwitchboard, type StreamEvent } from '@switchboard/core';
import { createAnthropic } from '@switchboard/provider-anthropic';
import { createBedrock } from '@switchboard/provider-bedrock';
import { createGemini } from '@switchboard/provider-gemini';
import { createOllama } from '@switchboard/provider-ollama';
import { createOpenAI } from '@switchboard/provider-openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeEventStreamMessage } from '../support/event-stream.js';
import { type LocalServer, startServer } from '../support/local-server.js';

const SEED = 0x5eed_2026;
/** Mutated cases per protocol (plus one unmutated control per fixture). */
const CASES_PER_PROTOCOL = 2500;
/** Any single case taking longer than this is a hang (in-process cases take well under a millisecond). */
const CASE_DEADLINE_MS = 5_000;

const FIXTURES = fileURLToPath(new URL('../contract/fixtures/', import.meta.url));
const KINDS = new Set([
  'authentication',
  'permission',
  'not-found',
  'rate-limit',
  'context-length-exceeded',
  'invalid-request',
  'content-filter',
  'timeout',
  'network',
  'provider',
  'quota-exceeded',
  'unsupported-capability',
  'configuration',
  'invalid-response',
]);

/** mulberry32: a small seeded PRNG, enough for test-case generation. */
function createRandom(seed: number) {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (max: number): number => Math.floor(next() * max);
  return { next, int, pick: <T>(items: readonly T[]): T => items[int(items.length)] as T };
}
type Random = ReturnType<typeof createRandom>;

// ---------------------------------------------------------------------------------------------------
// Streams as records: SSE messages, NDJSON lines or event-stream frames, mutated, then serialized.

type Format = 'sse' | 'ndjson' | 'json-array' | 'eventstream';

/** One record of a stream. `data` is the JSON text (SSE data, NDJSON line, frame payload). */
interface StreamRecord {
  /** SSE: the lines before `data:` (`event: x`); event-stream: the event type. */
  head: string;
  data: string;
}

interface BaseStream {
  name: string;
  format: Format;
  records: StreamRecord[];
  /** For json-array bases: the raw body (mutated at the byte level only). */
  raw?: string;
}

interface ProtocolCase {
  protocol: ProtocolId;
  label: string;
  bases: BaseStream[];
  /** Whether a record carries the protocol's end marker (the cut-before-end mutation removes it). */
  isEnd(record: StreamRecord): boolean;
  contentType: string;
}

const fromUtf8 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'utf8'));
const toUtf8 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');

/**
 * Encodes one event-stream frame (the test package does not depend on the AWS codec): prelude
 * [total length][headers length][CRC32 of both], string headers, payload, CRC32 of all before.
 */
function encodeFrame(eventType: string, payload: string): Uint8Array {
  const headers = Buffer.concat(
    [
      [':event-type', eventType],
      [':content-type', 'application/json'],
      [':message-type', 'event'],
    ].map(([name, value]) => {
      const nameBytes = Buffer.from(name as string, 'utf8');
      const valueBytes = Buffer.from(value as string, 'utf8');
      const header = Buffer.alloc(1 + nameBytes.length + 1 + 2 + valueBytes.length);
      header.writeUInt8(nameBytes.length, 0);
      nameBytes.copy(header, 1);
      header.writeUInt8(7, 1 + nameBytes.length); // 7: string
      header.writeUInt16BE(valueBytes.length, 2 + nameBytes.length);
      valueBytes.copy(header, 4 + nameBytes.length);
      return header;
    }),
  );
  const body = Buffer.from(payload, 'utf8');
  const total = 12 + headers.length + body.length + 4;
  const frame = Buffer.alloc(total);
  frame.writeUInt32BE(total, 0);
  frame.writeUInt32BE(headers.length, 4);
  frame.writeUInt32BE(crc32(frame.subarray(0, 8)), 8);
  headers.copy(frame, 12);
  body.copy(frame, 12 + headers.length);
  frame.writeUInt32BE(crc32(frame.subarray(0, total - 4)), total - 4);
  return new Uint8Array(frame);
}

function readFixture(dir: string, name: string): { bodyText?: string; bodyBase64?: string; events?: unknown[] } {
  return JSON.parse(readFileSync(`${FIXTURES}${dir}/${name}`, 'utf8')).response;
}

function sseRecords(body: string): StreamRecord[] {
  return body
    .replace(/\r\n/g, '\n')
    .split(/\n\n+/)
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const lines = block.split('\n');
      const dataLines = lines.filter((line) => line.startsWith('data:')).map((line) => line.slice(5).trimStart());
      const head = lines.filter((line) => !line.startsWith('data:')).join('\n');
      return { head, data: dataLines.join('\n') };
    });
}

function ndjsonRecords(body: string): StreamRecord[] {
  return body
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => ({ head: '', data: line }));
}

/** Splits an event-stream body into frames: event type and JSON payload. */
function eventStreamRecords(bytes: Uint8Array): StreamRecord[] {
  const records: StreamRecord[] = [];
  let offset = 0;
  while (offset + 4 <= bytes.byteLength) {
    const length = new DataView(bytes.buffer, bytes.byteOffset + offset, 4).getUint32(0, false);
    const message = decodeEventStreamMessage(bytes.subarray(offset, offset + length));
    const type = message.headers[':event-type'] ?? message.headers[':exception-type'];
    records.push({ head: String(type), data: toUtf8(message.body) });
    offset += length;
  }
  return records;
}

function serialize(base: BaseStream, records: StreamRecord[]): Uint8Array {
  switch (base.format) {
    case 'sse':
      return fromUtf8(records.map((r) => `${r.head === '' ? '' : `${r.head}\n`}data: ${r.data}\n\n`).join(''));
    case 'ndjson':
      return fromUtf8(records.map((r) => `${r.data}\n`).join(''));
    case 'json-array':
      return fromUtf8(base.raw ?? '');
    case 'eventstream': {
      return new Uint8Array(Buffer.concat(records.map((r) => encodeFrame(r.head, r.data))));
    }
  }
}

/**
 * Keeps long recordings (a 180 KB Groq stream) to their first 40 and last 5 records: still a valid
 * stream with its end marker, and fast enough to mutate thousands of times.
 */
function shortened(base: BaseStream): BaseStream {
  if (base.records.length <= 60) return base;
  return { ...base, records: [...base.records.slice(0, 40), ...base.records.slice(-5)] };
}

function loadCases(): ProtocolCase[] {
  const openaiDirs = [
    'openai',
    'azure-openai',
    'deepseek',
    'groq',
    'mistral',
    'openrouter',
    'perplexity',
    'together',
    'vllm',
    'xai',
    'lmstudio',
  ];
  const clean = (name: string) => name.includes('stream') && !/error|exception/.test(name);
  const openaiBases: BaseStream[] = openaiDirs.flatMap((dir) =>
    readdirSync(`${FIXTURES}${dir}`)
      .filter(clean)
      .flatMap((name) => {
        const body = readFixture(dir, name).bodyText;
        return body === undefined
          ? []
          : [{ name: `${dir}/${name}`, format: 'sse' as const, records: sseRecords(body) }];
      }),
  );
  const anthropicBases: BaseStream[] = readdirSync(`${FIXTURES}anthropic`)
    .filter(clean)
    .flatMap((name) => {
      const body = readFixture('anthropic', name).bodyText;
      return body === undefined ? [] : [{ name, format: 'sse' as const, records: sseRecords(body) }];
    });
  const geminiBases: BaseStream[] = readdirSync(`${FIXTURES}gemini`)
    .filter(clean)
    .flatMap((name): BaseStream[] => {
      const body = readFixture('gemini', name).bodyText;
      if (body === undefined) return [];
      return name.includes('json-array')
        ? [{ name, format: 'json-array' as const, records: [], raw: body }]
        : [{ name, format: 'sse' as const, records: sseRecords(body) }];
    });
  const ollamaBases: BaseStream[] = readdirSync(`${FIXTURES}ollama`)
    .filter(clean)
    .flatMap((name) => {
      const body = readFixture('ollama', name).bodyText;
      return body === undefined ? [] : [{ name, format: 'ndjson' as const, records: ndjsonRecords(body) }];
    });
  const bedrockBases: BaseStream[] = readdirSync(`${FIXTURES}bedrock`)
    .filter(clean)
    .flatMap((name) => {
      const base64 = readFixture('bedrock', name).bodyBase64;
      if (base64 === undefined) return [];
      const records = eventStreamRecords(new Uint8Array(Buffer.from(base64, 'base64')));
      return [{ name, format: 'eventstream' as const, records }];
    });
  return [
    {
      protocol: 'openai-chat',
      label: 'OpenAI SSE',
      bases: openaiBases.map(shortened),
      isEnd: (r) => r.data.trim() === '[DONE]' || /"finish_reason"\s*:\s*"/.test(r.data),
      contentType: 'text/event-stream',
    },
    {
      protocol: 'anthropic-messages',
      label: 'Anthropic SSE',
      bases: anthropicBases.map(shortened),
      isEnd: (r) => /message_stop/.test(r.data) || /message_stop/.test(r.head),
      contentType: 'text/event-stream',
    },
    {
      protocol: 'gemini',
      label: 'Gemini SSE',
      bases: geminiBases.map(shortened),
      isEnd: (r) => /"finishReason"/.test(r.data) || /"blockReason"/.test(r.data),
      contentType: 'text/event-stream',
    },
    {
      protocol: 'ollama',
      label: 'Ollama NDJSON',
      bases: ollamaBases.map(shortened),
      isEnd: (r) => /"done"\s*:\s*true/.test(r.data),
      contentType: 'application/x-ndjson',
    },
    {
      protocol: 'bedrock-converse',
      label: 'Bedrock event stream',
      bases: bedrockBases.map(shortened),
      isEnd: (r) => r.head === 'messageStop' || r.head === 'metadata',
      contentType: 'application/vnd.amazon.eventstream',
    },
  ];
}

// ---------------------------------------------------------------------------------------------------
// Mutations.

const RECORD_MUTATIONS = ['duplicate', 'drop', 'reorder', 'value', 'non-json', 'cut-before-end'] as const;
const BYTE_MUTATIONS = ['truncate', 'garbage'] as const;
const ALL_MUTATIONS = [...RECORD_MUTATIONS, ...BYTE_MUTATIONS, 'reset'] as const;
type Mutation = (typeof ALL_MUTATIONS)[number];

const REPLACEMENTS: unknown[] = [null, 0, 42, -1.5, { injected: 1 }, [], ['x'], 'text', '', true];
const NON_JSON = ['{"broken": ', 'garbage', '<html>', '{"a":1}}', 'undefined', '[DONE', '{"text":"\\u12"}'];

/** Replaces one value at a random path of `value` (returns the new value). */
function replaceRandomValue(value: unknown, random: Random, depth = 0): unknown {
  const stop = depth > 0 && random.next() < 0.3;
  if (stop || value === null || typeof value !== 'object') return random.pick(REPLACEMENTS);
  if (Array.isArray(value)) {
    if (value.length === 0) return random.pick(REPLACEMENTS);
    const copy = [...value];
    const index = random.int(copy.length);
    copy[index] = replaceRandomValue(copy[index], random, depth + 1);
    return copy;
  }
  const keys = Object.keys(value);
  if (keys.length === 0) return random.pick(REPLACEMENTS);
  const key = random.pick(keys);
  return {
    ...(value as Record<string, unknown>),
    [key]: replaceRandomValue((value as Record<string, unknown>)[key], random, depth + 1),
  };
}

function mutateRecords(records: StreamRecord[], mutation: Mutation, random: Random, isEnd: ProtocolCase['isEnd']) {
  const out = [...records];
  if (out.length === 0) return out;
  const at = random.int(out.length);
  switch (mutation) {
    case 'duplicate':
      out.splice(at, 0, out[at] as StreamRecord);
      break;
    case 'drop':
      out.splice(at, 1);
      break;
    case 'reorder': {
      const other = random.int(out.length);
      [out[at], out[other]] = [out[other] as StreamRecord, out[at] as StreamRecord];
      break;
    }
    case 'value': {
      const record = out[at] as StreamRecord;
      let parsed: unknown;
      try {
        parsed = JSON.parse(record.data);
      } catch {
        break; // [DONE] and the like: nothing to replace
      }
      out[at] = { head: record.head, data: JSON.stringify(replaceRandomValue(parsed, random)) };
      break;
    }
    case 'non-json':
      out.splice(at, 0, { head: (out[at] as StreamRecord).head, data: random.pick(NON_JSON) });
      break;
    case 'cut-before-end': {
      const end = out.findIndex(isEnd);
      if (end >= 0) out.length = end;
      break;
    }
    default:
      break;
  }
  return out;
}

function mutateBytes(bytes: Uint8Array, mutation: Mutation, random: Random): Uint8Array {
  if (mutation === 'truncate') return bytes.subarray(0, random.int(bytes.byteLength + 1));
  if (mutation === 'garbage') {
    const garbage = new Uint8Array(1 + random.int(8)).map(() => random.int(256));
    const at = random.int(bytes.byteLength + 1);
    return new Uint8Array(Buffer.concat([bytes.subarray(0, at), garbage, bytes.subarray(at)]));
  }
  return bytes;
}

/** Splits bytes into chunks: whole, or random sizes (1 byte up to a few hundred). */
function chunked(bytes: Uint8Array, random: Random): Uint8Array[] {
  if (random.next() < 0.2) return [bytes];
  const max = random.pick([2, 8, 64, 512]);
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < bytes.byteLength; ) {
    const size = 1 + random.int(max);
    chunks.push(bytes.subarray(i, i + size));
    i += size;
  }
  return chunks;
}

interface GeneratedCase {
  mutations: Mutation[];
  chunks: Uint8Array[];
  /** Index of the chunk after which the connection is reset (the transport's network error). */
  resetAfter: number | undefined;
  bytes: Uint8Array;
}

function generate(base: BaseStream, protocol: ProtocolCase, random: Random, mutate: boolean): GeneratedCase {
  const mutations: Mutation[] = [];
  if (mutate) {
    const count = 1 + random.int(3);
    const allowed = base.format === 'json-array' ? [...BYTE_MUTATIONS, 'reset' as const] : ALL_MUTATIONS;
    for (let i = 0; i < count; i += 1) mutations.push(random.pick(allowed));
  }
  let records = base.records;
  for (const mutation of mutations) records = mutateRecords(records, mutation, random, protocol.isEnd);
  let bytes = serialize(base, records);
  for (const mutation of mutations) bytes = mutateBytes(bytes, mutation, random);
  const chunks = chunked(bytes, random);
  const resetAfter = mutations.includes('reset') ? random.int(chunks.length + 1) : undefined;
  return { mutations, chunks, resetAfter, bytes };
}

// ---------------------------------------------------------------------------------------------------
// Running a case through sb.stream with an in-process fetch (no socket) and checking the invariants.

interface Outcome {
  events: StreamEvent[];
  text: string;
  error?: { kind?: unknown; partial?: { text: string } };
  response?: ChatResponse;
}

/** What a reset connection looks like to a fetch body reader: undici's `terminated`, caused by ECONNRESET. */
function connectionReset(): TypeError {
  const cause = Object.assign(new Error('read ECONNRESET (fuzz)'), { code: 'ECONNRESET' });
  return new TypeError('terminated', { cause });
}

/**
 * A fetch that answers every request with the case `current()` returns: status 200, the protocol's
 * content type, the case's chunks one per read, and a connection reset where the case has one.
 */
function inProcessFetch(current: () => { generated: GeneratedCase; contentType: string }): typeof globalThis.fetch {
  return async () => {
    const { generated, contentType } = current();
    let index = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (index === generated.resetAfter) controller.error(connectionReset());
        else if (index >= generated.chunks.length) controller.close();
        else controller.enqueue(generated.chunks[index++] as Uint8Array);
      },
    });
    return new Response(body, { status: 200, headers: { 'content-type': contentType } });
  };
}

/**
 * One switchboard and model per protocol, on `baseURL`, with `fetch` as every provider's transport
 * when given. `resilience` goes to createSwitchboard: the in-process run turns the breaker off, since
 * one switchboard serves thousands of failing cases and an open breaker would refuse later ones
 * before their stream is read (that would test the breaker, not the stream).
 */
function switchboardsFor(baseURL: string, fetch?: typeof globalThis.fetch, resilience: { breaker?: false } = {}) {
  const transport = fetch === undefined ? {} : { fetch };
  return {
    'openai-chat': {
      sb: createSwitchboard({
        providers: [createOpenAI({ apiKey: 'sk-fuzz-0123456789abcdef', baseURL: `${baseURL}/v1`, ...transport })],
        retry: false,
        ...resilience,
      }),
      model: 'openai/gpt-4o-mini',
    },
    'anthropic-messages': {
      sb: createSwitchboard({
        providers: [createAnthropic({ apiKey: 'sk-ant-fuzz-0123456789', baseURL, ...transport })],
        retry: false,
        ...resilience,
      }),
      model: 'anthropic/claude-sonnet-4-5',
    },
    gemini: {
      sb: createSwitchboard({
        providers: [createGemini({ apiKey: 'AIza-fuzz-0123456789', baseURL, ...transport })],
        retry: false,
        ...resilience,
      }),
      model: 'gemini/gemini-2.0-flash',
    },
    ollama: {
      sb: createSwitchboard({ providers: [createOllama({ baseURL, ...transport })], retry: false, ...resilience }),
      model: 'ollama/llama3.2',
    },
    'bedrock-converse': {
      sb: createSwitchboard({
        providers: [createBedrock({ baseURL, ...transport })],
        env: { AWS_ACCESS_KEY_ID: 'AKIAFUZZ', AWS_SECRET_ACCESS_KEY: 'fuzz-secret', AWS_REGION: 'us-east-1' },
        retry: false,
        ...resilience,
      }),
      model: 'bedrock/anthropic.claude-3-haiku-20240307-v1:0',
    },
  };
}
type FuzzSwitchboard = ReturnType<typeof switchboardsFor>['ollama'];

/** Streams one call and collects its events, its text deltas, and how `response` settles. */
async function streamOutcome({ sb, model }: FuzzSwitchboard): Promise<Outcome> {
  const stream = sb.stream({ model: model as never, messages: [{ role: 'user', content: 'Hi' }] });
  const events: StreamEvent[] = [];
  let text = '';
  for await (const event of stream) {
    events.push(event);
    if (event.type === 'text-delta') {
      expect(typeof event.text).toBe('string');
      text += event.text;
    }
  }
  const settled = await stream.response.then(
    (response) => ({ response }),
    (error: Outcome['error']) => ({ error }),
  );
  return { events, text, ...settled };
}

let inProcessCase: { generated: GeneratedCase; contentType: string } | undefined;
const inProcess = switchboardsFor(
  'http://fuzz.invalid',
  inProcessFetch(() => {
    if (inProcessCase === undefined) throw new Error('no fuzz case is running');
    return inProcessCase;
  }),
  { breaker: false },
);

async function runInProcess(protocol: ProtocolCase, generated: GeneratedCase): Promise<Outcome> {
  inProcessCase = { generated, contentType: protocol.contentType };
  return streamOutcome(inProcess[protocol.protocol as 'ollama']);
}

async function withDeadline<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`hung: ${what}`)), CASE_DEADLINE_MS);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

interface Tally {
  cases: number;
  cleanFinishes: number;
  errors: Record<string, number>;
}

function checkOutcome(outcome: Outcome, generated: GeneratedCase, what: string): void {
  const terminal = outcome.events.filter((event) => event.type === 'finish' || event.type === 'error');
  expect(terminal, `${what}: exactly one finish or error, last`).toHaveLength(1);
  expect(outcome.events.at(-1), what).toBe(terminal[0]);
  const last = terminal[0] as StreamEvent;
  if (last.type === 'error') {
    expect(outcome.response, what).toBeUndefined();
    expect(KINDS.has(String(outcome.error?.kind)), `${what}: error kind ${String(outcome.error?.kind)}`).toBe(true);
    expect(outcome.error?.partial?.text, `${what}: partial text`).toBe(outcome.text);
    expect(last.partial.text, what).toBe(outcome.text);
  } else {
    expect(outcome.error, what).toBeUndefined();
    expect(outcome.response?.text, `${what}: final text`).toBe(outcome.text);
  }
  if (generated.mutations.length === 0)
    expect(last.type, `${what}: an unmutated recorded stream finishes`).toBe('finish');
  if (generated.mutations.length === 1 && generated.mutations[0] === 'cut-before-end') {
    expect(last.type, `${what}: cut before its end marker`).toBe('error');
  }
  if (generated.mutations.length === 1 && generated.mutations[0] === 'reset' && last.type === 'error') {
    expect(outcome.error?.kind, `${what}: a connection reset is a network error`).toBe('network');
  }
}

const tallies = new Map<string, Tally>();

afterAll(() => {
  const summary = Object.fromEntries(tallies);
  console.log(`stream fuzz (seed 0x${SEED.toString(16)}): ${JSON.stringify(summary)}`);
});

const protocols = loadCases();

describe(`stream fuzz, seed 0x${SEED.toString(16)}: ${CASES_PER_PROTOCOL} mutated recorded streams per protocol`, () => {
  it.each(protocols.map((protocol) => [protocol.label, protocol] as const))('%s', async (label, protocol) => {
    expect(protocol.bases.length, `${label}: recorded streams found`).toBeGreaterThan(0);
    const random = createRandom(SEED ^ protocol.protocol.length ^ (label.charCodeAt(0) << 8));
    const tally: Tally = { cases: 0, cleanFinishes: 0, errors: {} };
    tallies.set(label, tally);
    const plan = [
      ...protocol.bases.map((base) => ({ base, mutate: false })),
      ...Array.from({ length: CASES_PER_PROTOCOL }, (_, i) => ({
        base: protocol.bases[i % protocol.bases.length] as BaseStream,
        mutate: true,
      })),
    ];
    for (const [index, { base, mutate }] of plan.entries()) {
      const generated = generate(base, protocol, random, mutate);
      const what = `${label} case ${index} (${base.name}; ${generated.mutations.join(', ') || 'unmutated'})`;
      const outcome = await withDeadline(runInProcess(protocol, generated), what);
      checkOutcome(outcome, generated, what);
      tally.cases += 1;
      if (outcome.error === undefined) tally.cleanFinishes += 1;
      else {
        const kind = String(outcome.error.kind);
        tally.errors[kind] = (tally.errors[kind] ?? 0) + 1;
      }
    }
    expect(tally.cleanFinishes).toBeGreaterThan(0);
    expect(Object.keys(tally.errors)).toContain('invalid-response');
  });
});

// ---------------------------------------------------------------------------------------------------
// A handful of cases through a real local HTTP server and `sb.stream` (call-engine, transport, retry).

describe(`stream fuzz over HTTP, seed 0x${SEED.toString(16)}: a few mutated streams per protocol through sb.stream`, () => {
  let server: LocalServer;
  let serve: (res: ServerResponse) => Promise<void> = async (res) => {
    res.end();
  };
  beforeAll(async () => {
    server = await startServer((_request, res) => serve(res));
  });
  afterAll(() => server.close());

  const baseURL = () => `http://127.0.0.1:${server.port}`;
  const switchboards = () => switchboardsFor(baseURL());

  it.each(protocols.map((protocol) => [protocol.label, protocol] as const))('%s', async (label, protocol) => {
    const board = switchboards()[protocol.protocol as 'ollama'];
    const random = createRandom(SEED + label.length);
    for (let index = 0; index < 8; index += 1) {
      const base = protocol.bases[index % protocol.bases.length] as BaseStream;
      const generated = generate(base, protocol, random, index > 0);
      serve = async (res) => {
        res.writeHead(200, { 'content-type': protocol.contentType });
        for (const [at, chunk] of generated.chunks.entries()) {
          if (at === generated.resetAfter) {
            res.socket?.destroy();
            return;
          }
          res.write(chunk);
          // Let the chunk leave as its own packet now and then.
          if (random.next() < 0.2) await new Promise((resolve) => setImmediate(resolve));
        }
        if (generated.resetAfter === generated.chunks.length) {
          res.socket?.destroy();
          return;
        }
        res.end();
      };
      const what = `${label} over HTTP case ${index} (${base.name}; ${generated.mutations.join(', ') || 'unmutated'})`;
      const outcome = await withDeadline(streamOutcome(board), what);
      checkOutcome(outcome, generated, what);
    }
  });
});
