import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import YAML from 'yaml';
import type { SwitchboardError } from '../../errors/errors.js';
import type { ProviderDescriptor } from '../../types/catalog.js';
import type { CallContext, PreparedChatRequest } from '../../types/protocol.js';
import type { ProtocolStreamEvent } from '../adapter.js';
import { bedrockConverseAdapter, loadAwsDeps, signBedrockRequest } from './index.js';

const FIXTURES = fileURLToPath(new URL('../../../../../test/contract/fixtures/bedrock/', import.meta.url));
const SHARED = fileURLToPath(new URL('../../../../../../shared/fixtures/bedrock/', import.meta.url));
const fixture = (name: string) => JSON.parse(readFileSync(`${FIXTURES}${name}`, 'utf8'));

const descriptor = {
  id: 'bedrock',
  name: 'Amazon Bedrock',
  protocol: 'bedrock-converse',
  baseURL: 'https://bedrock-runtime.{region}.amazonaws.com',
  auth: { type: 'aws-sigv4', env: ['AWS_BEARER_TOKEN_BEDROCK'], optional: true },
  endpoints: {},
  capabilities: [],
  defaultModel: 'amazon.nova-micro-v1:0',
} as unknown as ProviderDescriptor;

function ctx(modelId: string, extra: Partial<CallContext> = {}): CallContext {
  return {
    descriptor,
    settings: {},
    model: undefined,
    modelId,
    baseURL: 'https://bedrock-runtime.us-east-1.amazonaws.com',
    params: { region: 'us-east-1' },
    apiKey: undefined,
    env: {},
    ...extra,
  };
}

function chat(partial: Partial<PreparedChatRequest>): PreparedChatRequest {
  return { messages: [], tools: [], providerOptions: {}, stream: false, ...partial };
}

const codec = new EventStreamCodec(toUtf8, fromUtf8);
/** Frames `{ "<eventType>": payload }` entries like Bedrock does (`...Exception` names as exceptions). */
function encodeEvents(events: Record<string, unknown>[]): Uint8Array {
  const frames = events.map((entry) => {
    const [name, payload] = Object.entries(entry)[0] as [string, unknown];
    const exception = /Exception$/.test(name);
    return codec.encode({
      headers: {
        [exception ? ':exception-type' : ':event-type']: { type: 'string', value: name },
        ':content-type': { type: 'string', value: 'application/json' },
        ':message-type': { type: 'string', value: exception ? 'exception' : 'event' },
      },
      body: fromUtf8(JSON.stringify(payload)),
    });
  });
  const out = new Uint8Array(frames.reduce((n, f) => n + f.byteLength, 0));
  let at = 0;
  for (const f of frames) {
    out.set(f, at);
    at += f.byteLength;
  }
  return out;
}

function decodeAll(c: CallContext, bytes: Uint8Array, chunkSize: number): ProtocolStreamEvent[] {
  const decoder = bedrockConverseAdapter.streamDecoder(c);
  const events: ProtocolStreamEvent[] = [];
  for (let i = 0; i < bytes.byteLength; i += chunkSize) events.push(...decoder.push(bytes.subarray(i, i + chunkSize)));
  events.push(...decoder.end());
  return events;
}

const textOf = (events: ProtocolStreamEvent[]) => events.map((e) => (e.type === 'text-delta' ? e.text : '')).join('');

beforeAll(async () => {
  await loadAwsDeps();
});

describe('bedrock-converse chatRequest', () => {
  it('rebuilds the recorded pydantic-ai streaming request (URL-encoded model id, system blocks)', () => {
    const recorded = fixture('converse-stream-text.pydantic-ai.json');
    const spec = bedrockConverseAdapter.chatRequest(
      ctx('us.amazon.nova-micro-v1:0'),
      chat({
        stream: true,
        temperature: 0,
        messages: [
          { role: 'system', content: 'You are a helpful chatbot.' },
          { role: 'user', content: [{ type: 'text', text: 'What is the capital of France?' }] },
        ],
      }),
    );
    expect(spec.method).toBe('POST');
    expect(spec.url).toBe(recorded.request.url);
    expect(spec.url).toBe(
      'https://bedrock-runtime.us-east-1.amazonaws.com/model/us.amazon.nova-micro-v1%3A0/converse-stream',
    );
    expect(JSON.parse(spec.body ?? '')).toEqual(recorded.request.body);
  });

  it('omits an empty inferenceConfig (the recorded SDK sends {})', () => {
    const recorded = fixture('converse-nonstream.pydantic-ai.json');
    const spec = bedrockConverseAdapter.chatRequest(
      ctx('us.amazon.nova-micro-v1:0'),
      chat({
        messages: [
          { role: 'system', content: 'You are a chatbot.' },
          { role: 'user', content: [{ type: 'text', text: 'Hello!' }] },
        ],
      }),
    );
    expect(spec.url).toBe(recorded.request.url);
    const { inferenceConfig, ...rest } = recorded.request.body;
    expect(inferenceConfig).toEqual({});
    expect(JSON.parse(spec.body ?? '')).toEqual(rest);
  });

  it('maps parts, tool history, tools, tool choice, options and providerOptions', () => {
    const spec = bedrockConverseAdapter.chatRequest(
      ctx('anthropic.claude-3-haiku-20240307-v1:0'),
      chat({
        maxTokens: 256,
        temperature: 0.5,
        topP: 0.9,
        stop: 'END',
        reasoning: { budgetTokens: 2048 },
        messages: [
          { role: 'system', content: 'Be brief.' },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'Look:' },
              { type: 'image', data: 'iVBORw0KGgo=', mediaType: 'image/png' },
              { type: 'file', data: 'JVBERi0=', mediaType: 'application/pdf', filename: 'report (v2).pdf' },
            ],
          },
          {
            role: 'assistant',
            content: 'Checking.',
            toolCalls: [
              { id: 'tooluse_1', name: 'top_song', arguments: { sign: 'WZPZ' } },
              { id: 'tooluse_2', name: 'top_song', arguments: { sign: 'WKRP' } },
            ],
          },
          { role: 'tool', toolCallId: 'tooluse_1', content: 'Elemental Hotel' },
          { role: 'tool', toolCallId: 'tooluse_2', content: 'Never Gonna' },
          { role: 'user', content: [{ type: 'text', text: 'Thanks' }] },
        ],
        tools: [
          {
            name: 'top_song',
            description: 'Most popular song',
            parameters: { type: 'object', properties: { sign: { type: 'string' } } },
          },
        ],
        toolChoice: 'required',
        providerOptions: { top_k: 40, guardrailConfig: { guardrailIdentifier: 'g1', guardrailVersion: '1' } },
      }),
    );
    expect(spec.url).toBe(
      'https://bedrock-runtime.us-east-1.amazonaws.com/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse',
    );
    expect(spec.headers).toEqual({ 'content-type': 'application/json', accept: 'application/json' });
    expect(JSON.parse(spec.body ?? '')).toEqual({
      system: [{ text: 'Be brief.' }],
      messages: [
        {
          role: 'user',
          content: [
            { text: 'Look:' },
            { image: { format: 'png', source: { bytes: 'iVBORw0KGgo=' } } },
            { document: { format: 'pdf', name: 'report (v2)', source: { bytes: 'JVBERi0=' } } },
          ],
        },
        {
          role: 'assistant',
          content: [
            { text: 'Checking.' },
            { toolUse: { toolUseId: 'tooluse_1', name: 'top_song', input: { sign: 'WZPZ' } } },
            { toolUse: { toolUseId: 'tooluse_2', name: 'top_song', input: { sign: 'WKRP' } } },
          ],
        },
        {
          role: 'user',
          content: [
            { toolResult: { toolUseId: 'tooluse_1', content: [{ text: 'Elemental Hotel' }] } },
            { toolResult: { toolUseId: 'tooluse_2', content: [{ text: 'Never Gonna' }] } },
            { text: 'Thanks' },
          ],
        },
      ],
      inferenceConfig: { maxTokens: 256, temperature: 0.5, topP: 0.9, stopSequences: ['END'] },
      toolConfig: {
        tools: [
          {
            toolSpec: {
              name: 'top_song',
              description: 'Most popular song',
              inputSchema: { json: { type: 'object', properties: { sign: { type: 'string' } } } },
            },
          },
        ],
        toolChoice: { any: {} },
      },
      guardrailConfig: { guardrailIdentifier: 'g1', guardrailVersion: '1' },
      additionalModelRequestFields: { thinking: { type: 'enabled', budget_tokens: 2048 }, top_k: 40 },
    });
  });

  it('maps toolChoice auto / a name / none, and structured output to a forced tool', () => {
    const tools = [{ name: 'f', parameters: { type: 'object' } }];
    const body = (r: Partial<PreparedChatRequest>) =>
      JSON.parse(
        bedrockConverseAdapter.chatRequest(
          ctx('amazon.nova-pro-v1:0'),
          chat({ messages: [{ role: 'user', content: [{ type: 'text', text: 'x' }] }], ...r }),
        ).body ?? '',
      );
    expect(body({ tools, toolChoice: 'auto' }).toolConfig.toolChoice).toEqual({ auto: {} });
    expect(body({ tools, toolChoice: { name: 'f' } }).toolConfig.toolChoice).toEqual({ tool: { name: 'f' } });
    expect(body({ tools, toolChoice: 'none' }).toolConfig).toBeUndefined();
    expect(body({ tools }).toolConfig).toEqual({
      tools: [{ toolSpec: { name: 'f', inputSchema: { json: { type: 'object' } } } }],
    });
    const structured = body({ responseFormat: { type: 'json-schema', name: 'answer', schema: { type: 'object' } } });
    expect(structured.toolConfig.toolChoice).toEqual({ tool: { name: 'answer' } });
    expect(structured.toolConfig.tools[0].toolSpec.name).toBe('answer');
  });

  it('rejects image URLs without bytes and unsupported media types', () => {
    const c = ctx('amazon.nova-pro-v1:0');
    expect(() =>
      bedrockConverseAdapter.chatRequest(
        c,
        chat({
          messages: [{ role: 'user', content: [{ type: 'image', url: 'https://x/y.png', mediaType: 'image/png' }] }],
        }),
      ),
    ).toThrow(/image bytes/);
    expect(() =>
      bedrockConverseAdapter.chatRequest(
        c,
        chat({ messages: [{ role: 'user', content: [{ type: 'image', data: 'AA==', mediaType: 'image/tiff' }] }] }),
      ),
    ).toThrow(/png, jpeg, gif and webp/);
  });
});

describe('bedrock-converse parseChat (recorded fixtures)', () => {
  it('parses the pydantic-ai nova-micro response', () => {
    const body = fixture('converse-nonstream.pydantic-ai.json').response.body;
    const result = bedrockConverseAdapter.parseChat(ctx('us.amazon.nova-micro-v1:0'), body);
    expect(result).toEqual({
      text: "Hello! How can I assist you today? Whether you have questions, need information, or just want to chat, I'm here to help.",
      toolCalls: [],
      finishReason: 'stop',
      rawFinishReason: 'end_turn',
      usage: { inputTokens: 7, outputTokens: 30, totalTokens: 37 },
      raw: body,
    });
  });

  it('counts the vercel fixture cache fields once despite the duplicated ...Count fields', () => {
    const body = fixture('converse-nonstream-cache-usage.vercel.json').response.body;
    const result = bedrockConverseAdapter.parseChat(ctx('anthropic.claude-sonnet-4-5'), body);
    expect(result.text).toBe(
      'Let me count the "r"s in "strawberry":\n\ns-t-**r**-a-w-b-e-**r**-**r**-y\n\nThere are **3** "r"s in "strawberry."',
    );
    expect(result.usage).toEqual({
      inputTokens: 22,
      outputTokens: 57,
      totalTokens: 79,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
    });
    const cached = bedrockConverseAdapter.parseChat(ctx('x'), {
      ...body,
      usage: {
        inputTokens: 5,
        cacheReadInputTokens: 100,
        cacheReadInputTokenCount: 100,
        cacheWriteInputTokens: 20,
        cacheWriteInputTokenCount: 20,
        outputTokens: 7,
        totalTokens: 132,
      },
    });
    expect(cached.usage).toEqual({
      inputTokens: 125,
      outputTokens: 7,
      totalTokens: 132,
      cacheReadTokens: 100,
      cacheWriteTokens: 20,
    });
  });

  it('parses toolUse and reasoningContent blocks and maps stop reasons', () => {
    const body = fixture('converse-tool-use.synthesized.json').response.body;
    const result = bedrockConverseAdapter.parseChat(ctx('anthropic.claude-3-haiku-20240307-v1:0'), body);
    expect(result.toolCalls).toEqual([
      { id: 'tooluse_kZJMlvQmRJ6eAyJE5GIl7Q', name: 'top_song', arguments: { sign: 'WZPZ' } },
    ]);
    expect(result.finishReason).toBe('tool-calls');
    const reasoning = bedrockConverseAdapter.parseChat(ctx('x'), {
      output: {
        message: {
          role: 'assistant',
          content: [{ reasoningContent: { reasoningText: { text: 'Think.', signature: 's' } } }, { text: 'Done.' }],
        },
      },
      stopReason: 'max_tokens',
      usage: { inputTokens: 1, outputTokens: 2, totalTokens: 3 },
    });
    expect(reasoning).toMatchObject({ text: 'Done.', reasoning: 'Think.', finishReason: 'length' });
    for (const [raw, mapped] of [
      ['stop_sequence', 'stop'],
      ['guardrail_intervened', 'content-filter'],
      ['content_filtered', 'content-filter'],
      ['something_new', 'other'],
    ]) {
      const answer = { output: { message: { role: 'assistant', content: [] } }, stopReason: raw };
      expect(bedrockConverseAdapter.parseChat(ctx('x'), answer).finishReason).toBe(mapped);
    }
  });
});

describe('bedrock-converse stream decoder', () => {
  // The text payloads of the recorded frames, joined (independently read from the raw bytes).
  const recordedText =
    'The capital of France is Paris. Paris is not only the capital city but also the most populous city in France, and it is a major center for culture, commerce, fashion, and international diplomacy. Known for its historical landmarks, such as the Eiffel Tower, the Louvre Museum, and Notre-Dame Cathedral, Paris is often referred to as "The City of Light" or "The City of Love."';

  it.each([7, 1000, 1, 6616])('decodes the recorded eventstream fed in %i-byte chunks', (size) => {
    const bytes = new Uint8Array(
      Buffer.from(fixture('converse-stream-text.pydantic-ai.json').response.bodyBase64, 'base64'),
    );
    const events = decodeAll(ctx('us.amazon.nova-micro-v1:0'), bytes, size);
    expect(textOf(events)).toBe(recordedText);
    expect(events.filter((e) => e.type === 'error')).toEqual([]);
    expect(events.slice(-2)).toEqual([
      { type: 'finish', finishReason: 'stop', rawFinishReason: 'end_turn' },
      { type: 'usage', usage: { inputTokens: 13, outputTokens: 82, totalTokens: 95 } },
    ]);
  });

  it.skipIf(!existsSync(SHARED))('uses bytes identical to the shared derived .bin and the cassette', () => {
    const bin = readFileSync(`${SHARED}converse-stream-text.pydantic-ai.derived.eventstream.bin`);
    const local = Buffer.from(fixture('converse-stream-text.pydantic-ai.json').response.bodyBase64, 'base64');
    expect(local.equals(bin)).toBe(true);
    const cassette = YAML.parse(readFileSync(`${SHARED}converse-stream-text.pydantic-ai.yaml`, 'utf8'), {
      customTags: ['binary'],
    });
    expect(Buffer.from(cassette.interactions[0].response.body.string).equals(bin)).toBe(true);
  });

  it('decodes the vercel recorded events (re-framed) into the exact text and usage', () => {
    const events = fixture('converse-stream-text.vercel.json').response.events as Record<string, unknown>[];
    const out = decodeAll(ctx('x'), encodeEvents(events), 13);
    expect(textOf(out)).toBe(
      'Let me count the "r"s in "strawberry":\n\ns-t-**r**-a-w-b-e-**r**-**r**-y\n\nThere are **3** r\'s in "strawberry."',
    );
    expect(out.slice(-2)).toEqual([
      { type: 'finish', finishReason: 'stop', rawFinishReason: 'end_turn' },
      { type: 'usage', usage: { inputTokens: 22, outputTokens: 55, totalTokens: 77 } },
    ]);
  });

  it.each([
    'converse-stream-text.vercel.json',
    'converse-stream-tool-use.synthesized.json',
    'converse-stream-throttling-exception.synthesized.json',
  ])('%s: bodyBase64 is exactly its events framed', (name) => {
    const fx = fixture(name);
    expect(Buffer.from(encodeEvents(fx.response.events)).toString('base64')).toBe(fx.response.bodyBase64);
  });

  it('streams tool calls: start (id, name) then input string deltas', () => {
    const events = fixture('converse-stream-tool-use.synthesized.json').response.events as Record<string, unknown>[];
    const out = decodeAll(ctx('x'), encodeEvents(events), 5);
    expect(out).toEqual([
      { type: 'text-delta', text: 'Let me look that up.' },
      { type: 'tool-call-delta', index: 1, id: 'tooluse_kZJMlvQmRJ6eAyJE5GIl7Q', name: 'top_song', argumentsDelta: '' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: '' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: '{"sign": "W' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: 'ZPZ"}' },
      { type: 'finish', finishReason: 'tool-calls', rawFinishReason: 'tool_use' },
      { type: 'usage', usage: { inputTokens: 375, outputTokens: 63, totalTokens: 438 } },
    ]);
  });

  it('turns reasoning deltas into reasoning-delta events', () => {
    const out = decodeAll(
      ctx('x'),
      encodeEvents([
        { contentBlockDelta: { contentBlockIndex: 0, delta: { reasoningContent: { text: 'Hmm' } } } },
        { contentBlockDelta: { contentBlockIndex: 0, delta: { reasoningContent: { signature: 'sig' } } } },
        { messageStop: { stopReason: 'end_turn' } },
      ]),
      3,
    );
    expect(out).toEqual([
      { type: 'reasoning-delta', text: 'Hmm' },
      { type: 'finish', finishReason: 'stop', rawFinishReason: 'end_turn' },
    ]);
  });

  it('turns exception frames into error events and keeps the text before them', () => {
    const events = fixture('converse-stream-throttling-exception.synthesized.json').response.events as Record<
      string,
      unknown
    >[];
    const out = decodeAll(ctx('anthropic.claude-3-haiku-20240307-v1:0'), encodeEvents(events), 11);
    expect(out[0]).toEqual({ type: 'text-delta', text: 'Hello' });
    const error = (out[1] as { type: 'error'; error: SwitchboardError }).error;
    expect(out[1]?.type).toBe('error');
    expect(error.kind).toBe('rate-limit');
    expect(error.retryable).toBe(true);
    expect(error.code).toBe('ThrottlingException');
    expect(error.message).toContain('Too many requests');
    const modelError = decodeAll(
      ctx('x'),
      encodeEvents([{ modelStreamErrorException: { message: 'boom', originalStatusCode: 500 } }]),
      64,
    );
    expect((modelError[0] as { error: SwitchboardError }).error).toMatchObject({
      kind: 'provider',
      retryable: true,
      status: 424,
    });
  });

  it('reports a body that ends inside a frame, and a corrupt CRC', () => {
    const bytes = encodeEvents([
      { contentBlockDelta: { contentBlockIndex: 0, delta: { text: 'Hi' } } },
      { messageStop: { stopReason: 'end_turn' } },
    ]);
    const out = decodeAll(ctx('x'), bytes.subarray(0, bytes.byteLength - 3), 1000);
    expect(out[0]).toEqual({ type: 'text-delta', text: 'Hi' });
    expect(out).toHaveLength(2);
    expect((out[1] as { error: SwitchboardError }).error).toMatchObject({
      kind: 'invalid-response',
      provider: 'bedrock',
    });
    expect((out[1] as { error: SwitchboardError }).error.message).toContain('ended inside an event-stream frame');
    const corrupt = bytes.slice();
    corrupt[20] = (corrupt[20] ?? 0) ^ 0xff;
    const damaged = decodeAll(ctx('x'), corrupt, 1000);
    expect(damaged).toHaveLength(1);
    expect((damaged[0] as { error: SwitchboardError }).error).toMatchObject({ kind: 'invalid-response' });
  });
});

describe('bedrock-converse parseError', () => {
  const parse = (name: string, model = 'anthropic.claude-3-haiku-20240307-v1:0') => {
    const { response } = fixture(name);
    return bedrockConverseAdapter.parseError(
      ctx(model),
      response.status,
      new Headers(response.headers),
      JSON.stringify(response.body),
    );
  };

  it('maps the recorded invalid-model 400 (a ValidationException per AWS docs; header stripped) to invalid-request', () => {
    const error = parse('error-400-invalid-model.pydantic-ai.json', 'us.does-not-exist-model-v1:0');
    expect(error).toMatchObject({
      kind: 'invalid-request',
      status: 400,
      retryable: false,
      provider: 'bedrock',
      model: 'us.does-not-exist-model-v1:0',
    });
    expect(error.message).toContain('The provided model identifier is invalid.');
  });

  it.each([
    ['error-403-unrecognized-client.synthesized.json', 'authentication', 403, 'UnrecognizedClientException', false],
    ['error-403-access-denied.synthesized.json', 'permission', 403, 'AccessDeniedException', false],
    ['error-404-resource-not-found.synthesized.json', 'not-found', 404, 'ResourceNotFoundException', false],
    ['error-429-throttling.synthesized.json', 'rate-limit', 429, 'ThrottlingException', true],
    ['error-400-context-length.synthesized.json', 'context-length-exceeded', 400, 'ValidationException', false],
    ['error-503-service-unavailable.synthesized.json', 'provider', 503, 'ServiceUnavailableException', true],
  ])('%s -> %s', (name, kind, status, code, retryable) => {
    const error = parse(name);
    const { response } = fixture(name);
    expect(error).toMatchObject({ kind, status, code, retryable, requestId: response.headers['x-amzn-requestid'] });
  });

  it('reads __type from the body, honours retry-after and catalog rules', () => {
    const e1 = bedrockConverseAdapter.parseError(
      ctx('x'),
      400,
      new Headers(),
      JSON.stringify({ __type: 'com.amazon.coral.validate#ValidationException', message: 'Malformed input request' }),
    );
    expect(e1).toMatchObject({ kind: 'invalid-request', code: 'ValidationException' });
    const e2 = bedrockConverseAdapter.parseError(
      ctx('x'),
      429,
      new Headers({ 'retry-after': '3' }),
      '{"message":"slow down"}',
    );
    expect(e2).toMatchObject({ kind: 'rate-limit', retryAfterMs: 3000 });
    const e3 = bedrockConverseAdapter.parseError(
      ctx('x', {
        descriptor: { ...descriptor, errors: [{ match: 'ModelNotReadyException', kind: 'provider', retryable: true }] },
      }),
      429,
      new Headers({
        'x-amzn-errortype': 'ModelNotReadyException:http://internal.amazon.com/coral/com.amazon.bedrock/',
      }),
      '{"message":"Model is not ready"}',
    );
    expect(e3).toMatchObject({ kind: 'provider', retryable: true });
  });
});

describe('bedrock-converse sign', () => {
  const env = {
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
    AWS_SESSION_TOKEN: 'session-token-example',
  };
  const now = () => new Date('2015-08-30T12:36:00Z');
  const request = () =>
    bedrockConverseAdapter.chatRequest(
      ctx('us.amazon.nova-micro-v1:0'),
      chat({ messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello!' }] }] }),
    );

  it('signs with SigV4 (service bedrock, region, fixed clock) and never leaks the secret', async () => {
    const signed = await signBedrockRequest(ctx('us.amazon.nova-micro-v1:0', { env }), request(), { now });
    const auth = signed.headers.authorization ?? '';
    expect(auth).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20150830\/us-east-1\/bedrock\/aws4_request, SignedHeaders=accept;content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token, Signature=[0-9a-f]{64}$/,
    );
    expect(signed.headers['x-amz-date']).toBe('20150830T123600Z');
    expect(signed.headers['x-amz-security-token']).toBe('session-token-example');
    expect(signed.headers.host).toBeUndefined();
    expect(signed.url).toBe(request().url);
    expect(signed.body).toBe(request().body);
    expect(JSON.stringify(signed)).not.toContain(env.AWS_SECRET_ACCESS_KEY);
    // Deterministic for a fixed clock; the signature changes with the body.
    const again = await signBedrockRequest(ctx('us.amazon.nova-micro-v1:0', { env }), request(), { now });
    expect(again.headers.authorization).toBe(auth);
    const other = await signBedrockRequest(
      ctx('us.amazon.nova-micro-v1:0', { env }),
      { ...request(), body: '{}' },
      { now },
    );
    expect(other.headers.authorization).not.toBe(auth);
  });

  it('takes the region from AWS_REGION when no param is set, and omits the token without a session', async () => {
    const { AWS_SESSION_TOKEN: _t, ...longTerm } = env;
    const signed = await signBedrockRequest(
      ctx('m', {
        params: {},
        env: { ...longTerm, AWS_REGION: 'eu-west-3' },
        baseURL: 'https://bedrock-runtime.eu-west-3.amazonaws.com',
      }),
      {
        method: 'POST',
        url: 'https://bedrock-runtime.eu-west-3.amazonaws.com/model/m/converse',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      },
      { now },
    );
    expect(signed.headers.authorization).toContain(
      'Credential=AKIDEXAMPLE/20150830/eu-west-3/bedrock/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date,',
    );
    expect(signed.headers['x-amz-security-token']).toBeUndefined();
  });

  it('sends a Bedrock API key as a bearer token instead of signing', async () => {
    const signed = await bedrockConverseAdapter.sign?.(
      ctx('m', { env: { ...env, AWS_BEARER_TOKEN_BEDROCK: 'bedrock-api-key-123' } }),
      request(),
    );
    expect(signed?.headers.authorization).toBe('Bearer bedrock-api-key-123');
    expect(signed?.headers['x-amz-date']).toBeUndefined();
  });

  it('treats an access key id given as apiKey as SigV4 credentials, anything else as a Bedrock API key', async () => {
    const sigv4 = await signBedrockRequest(
      ctx('m', { apiKey: 'AKIAIOSFODNN7EXAMPLE', env: { AWS_SECRET_ACCESS_KEY: env.AWS_SECRET_ACCESS_KEY } }),
      request(),
      { now },
    );
    expect(sigv4.headers.authorization).toContain(
      'Credential=AKIAIOSFODNN7EXAMPLE/20150830/us-east-1/bedrock/aws4_request',
    );
    const bearer = await signBedrockRequest(
      ctx('m', { settings: { apiKey: 'ABSKQmVkcm9ja0FQSUtleQ' }, env }),
      request(),
      { now },
    );
    expect(bearer.headers.authorization).toBe('Bearer ABSKQmVkcm9ja0FQSUtleQ');
  });

  it('throws a ConfigurationError without credentials', async () => {
    await expect(signBedrockRequest(ctx('m'), request())).rejects.toMatchObject({
      kind: 'configuration',
      setting: 'AWS_ACCESS_KEY_ID',
    });
  });
});

describe('bedrock-converse embeddings', () => {
  it('builds and parses a Titan v2 call', () => {
    const fx = fixture('embed-titan-v2.synthesized.json');
    const c = ctx('amazon.titan-embed-text-v2:0');
    const req = { input: ['Why is the sky blue?'], dimensions: 256, encoding: 'float' as const, providerOptions: {} };
    const spec = bedrockConverseAdapter.embedRequest?.(c, req);
    expect(spec?.url).toBe(fx.request.url);
    expect(JSON.parse(spec?.body ?? '')).toEqual(fx.request.body);
    expect(bedrockConverseAdapter.parseEmbed?.(c, fx.response.body, req)).toEqual({
      embeddings: [[0.0123, -0.0456, 0.0789, -0.0112]],
      inputTokens: 6,
      raw: fx.response.body,
    });
    expect(() => bedrockConverseAdapter.embedRequest?.(c, { ...req, input: ['a', 'b'] })).toThrow(/one text per call/);
  });

  it('builds and parses a Cohere Embed call', () => {
    const fx = fixture('embed-cohere.synthesized.json');
    const c = ctx('cohere.embed-english-v3');
    const req = {
      input: ['Why is the sky blue?', 'Why is the grass green?'],
      encoding: 'float' as const,
      providerOptions: {},
    };
    const spec = bedrockConverseAdapter.embedRequest?.(c, req);
    expect(spec?.url).toBe(fx.request.url);
    expect(JSON.parse(spec?.body ?? '')).toEqual(fx.request.body);
    expect(bedrockConverseAdapter.parseEmbed?.(c, fx.response.body, req)?.embeddings).toEqual(
      fx.response.body.embeddings,
    );
    const one = { ...req, input: ['Why is the sky blue?'] };
    expect(bedrockConverseAdapter.parseEmbed?.(c, { embeddings: { float: [[1, 2]] } }, one)?.embeddings).toEqual([
      [1, 2],
    ]);
  });

  it('rejects other model families', () => {
    expect(() =>
      bedrockConverseAdapter.embedRequest?.(ctx('meta.llama3'), {
        input: ['a'],
        encoding: 'float',
        providerOptions: {},
      }),
    ).toThrow(/Titan and Cohere/);
  });
});

describe('missing AWS packages', () => {
  it('fails with a ConfigurationError naming the packages', async () => {
    vi.resetModules();
    vi.doMock('@smithy/signature-v4', () => {
      throw new Error("Cannot find package '@smithy/signature-v4'");
    });
    try {
      const fresh = await import('./aws-deps.js');
      await expect(fresh.loadAwsDeps()).rejects.toMatchObject({ kind: 'configuration' });
      await expect(fresh.loadAwsDeps()).rejects.toThrow(
        /@smithy\/signature-v4@\^5\.7\.5 @aws-crypto\/sha256-js@\^5\.2\.0 @smithy\/eventstream-codec@\^4\.5\.2 @smithy\/util-utf8@\^4\.5\.2/,
      );
      expect(() => fresh.requireAwsDeps()).toThrow(/npm install/);
    } finally {
      vi.doUnmock('@smithy/signature-v4');
      vi.resetModules();
    }
  });
});
