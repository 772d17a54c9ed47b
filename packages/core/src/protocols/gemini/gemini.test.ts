import { describe, expect, it } from 'vitest';
import type { PreparedChatRequest, PreparedMessage } from '../../types/protocol.js';
import {
  bodyText,
  decodeStream,
  type Fixture,
  fixtureHeaders,
  foldEvents,
  loadDescriptor,
  loadFixture,
  makeContext,
} from '../anthropic-messages/test-helpers.js';
import { parseDuration } from './errors.js';
import { geminiAdapter as adapter } from './index.js';
import { SKIP_SIGNATURE } from './request.js';
import { toGeminiSchema } from './schema.js';
import { createJsonArraySplitter } from './stream.js';

const { descriptor } = loadDescriptor('gemini');
const ctxFor = (modelId: string) => makeContext(descriptor, modelId);
const fx = (name: string): Fixture => loadFixture('gemini', name);
const BASE = 'https://generativelanguage.googleapis.com/v1beta';

function prepared(over: Partial<PreparedChatRequest> & { messages: PreparedMessage[] }): PreparedChatRequest {
  return { tools: [], providerOptions: {}, stream: false, ...over };
}
const user = (text: string): PreparedMessage => ({ role: 'user', content: [{ type: 'text', text }] });
const sentBody = (req: { body?: string }) => JSON.parse(req.body ?? 'null');
const TEXT_ONLY = { generationConfig: { responseModalities: ['TEXT'] } };

/**
 * The google-genai SDK (pydantic-ai) writes OpenAPI types upper-case and `parameters_json_schema` in
 * snake case, and signatures in URL-safe base64; the API takes either spelling. Normalize to ours.
 */
function normalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalize);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const key = k === 'parameters_json_schema' ? 'parametersJsonSchema' : k;
    if (key === 'type' && typeof v === 'string') out[key] = v.toLowerCase();
    else if (key === 'thoughtSignature' && typeof v === 'string')
      out[key] = v.replaceAll('-', '+').replaceAll('_', '/');
    else out[key] = normalize(v);
  }
  return out;
}

describe('gemini chatRequest', () => {
  it('builds the recorded system-instruction request (pydantic-ai)', () => {
    const f = fx('generate-nonstream.pydantic-ai');
    const req = adapter.chatRequest(
      ctxFor('gemini-2.5-flash'),
      prepared({
        messages: [{ role: 'system', content: 'You are a chatbot.' }, user('Hello!')],
        providerOptions: TEXT_ONLY,
      }),
    );
    expect(req.method).toBe('POST');
    expect(req.url).toBe(f.request?.url);
    expect(req.headers).toEqual({ 'content-type': 'application/json' });
    expect(sentBody(req)).toEqual(f.request?.body);
  });

  it('builds the recorded generationConfig (ace; the key goes in by the runtime)', () => {
    const f = fx('generate-nonstream.ace');
    const req = adapter.chatRequest(
      ctxFor('gemini-2.0-flash-lite'),
      prepared({ messages: [user('What is 2+2? Reply with just the number.')], temperature: 0.7, maxTokens: 8192 }),
    );
    expect(req.url).toBe(f.request?.url.replace(/\?key=.*$/, ''));
    expect(sentBody(req)).toEqual(f.request?.body);
  });

  it('builds the recorded streaming request with ?alt=sse', () => {
    const f = fx('stream-sse-text.pydantic-ai');
    const req = adapter.chatRequest(
      ctxFor('gemini-2.0-flash-exp'),
      prepared({
        messages: [{ role: 'system', content: 'You are a helpful chatbot.' }, user('What is the capital of France?')],
        temperature: 0,
        stream: true,
      }),
    );
    expect(req.url).toBe(f.request?.url);
    expect(sentBody(req)).toEqual(f.request?.body);
  });

  it('passes providerOptions through (recorded llm-gemini safetySettings + thinkingConfig)', () => {
    const f = fx('stream-json-array-text.llm-gemini');
    const recorded = f.request?.body as { safetySettings: unknown; generationConfig: Record<string, unknown> };
    const req = adapter.chatRequest(
      ctxFor('gemini-flash-latest'),
      prepared({
        messages: [user('Name for a pet pelican, just the name')],
        stream: true,
        providerOptions: { safetySettings: recorded.safetySettings, generationConfig: recorded.generationConfig },
      }),
    );
    expect(sentBody(req)).toEqual(f.request?.body);
  });

  it('builds the recorded function-calling request and functionResponse round trip (gemini-2.0: OpenAPI parameters)', () => {
    const first = fx('function-call-nonstream.pydantic-ai.0');
    const second = fx('function-call-nonstream.pydantic-ai.1');
    const tools = [
      {
        name: 'get_user_country',
        description: '',
        parameters: { type: 'object', properties: {}, additionalProperties: false },
      },
      {
        name: 'final_result',
        description: 'The final response which ends this conversation',
        parameters: {
          type: 'object',
          title: 'CityLocation',
          properties: { city: { type: 'string' }, country: { type: 'string' } },
          required: ['city', 'country'],
        },
      },
    ];
    // pydantic-ai names every tool in allowedFunctionNames and sends an empty generationConfig.
    const expected = (f: Fixture) => {
      const body = normalize(structuredClone(f.request?.body)) as Record<string, unknown> & {
        toolConfig: { functionCallingConfig: Record<string, unknown> };
        tools: { functionDeclarations: { parameters: Record<string, unknown> }[] }[];
      };
      delete body.toolConfig.functionCallingConfig.allowedFunctionNames;
      delete body.generationConfig;
      const decl = body.tools[0]?.functionDeclarations[1];
      if (decl) decl.parameters.title = 'CityLocation';
      return body;
    };
    const ctx = ctxFor('gemini-2.0-flash');
    const question = user('What is the largest city in the user country?');
    const req = adapter.chatRequest(ctx, prepared({ messages: [question], tools, toolChoice: 'required' }));
    expect(req.url).toBe(first.request?.url);
    expect(sentBody(req)).toEqual(expected(first));
    const call = { id: 'pyd_ai_3fa5644dae1d4aad997ae39c70006fbd', name: 'get_user_country', arguments: {} };
    const roundTrip = prepared({
      messages: [
        question,
        { role: 'assistant', content: '', toolCalls: [call] },
        // No name: looked up from the assistant's call.
        { role: 'tool', toolCallId: call.id, content: '{"return_value":"Mexico"}' },
      ],
      tools,
      toolChoice: 'required',
    });
    expect(sentBody(adapter.chatRequest(ctx, roundTrip))).toEqual(expected(second));
  });

  it('sends back the thought signature of a streamed function call (gemini-3, parametersJsonSchema)', () => {
    const first = fx('stream-sse-function-call-thought-signature.pydantic-ai.0');
    const second = fx('stream-sse-function-call-thought-signature.pydantic-ai.1');
    const ctx = ctxFor('gemini-3-pro-preview');
    const tools = [
      {
        name: 'get_country',
        description: '',
        parameters: { additionalProperties: false, properties: {}, type: 'object' },
      },
    ];
    const question = user('What is the capital of the user country? Call the tool');
    const req = adapter.chatRequest(
      ctx,
      prepared({ messages: [question], tools, stream: true, providerOptions: TEXT_ONLY }),
    );
    expect(req.url).toBe(first.request?.url);
    expect(sentBody(req)).toEqual(normalize(first.request?.body));

    const [call] = foldEvents(decodeStream(adapter, ctx, bodyText(first))).toolCalls;
    if (call === undefined) throw new Error('no tool call');
    const roundTrip = prepared({
      messages: [
        question,
        { role: 'assistant', content: '', toolCalls: [call] },
        { role: 'tool', toolCallId: call.id, name: 'get_country', content: '{"return_value":"Mexico"}' },
      ],
      tools,
      stream: true,
      providerOptions: TEXT_ONLY,
    });
    const ours = JSON.stringify(sentBody(adapter.chatRequest(ctx, roundTrip))).replaceAll(
      call.id,
      'pyd_ai_29bf73b69e02448588e15893d47a3e7e',
    );
    expect(JSON.parse(ours)).toEqual(normalize(second.request?.body));
  });

  it('uses the documented placeholder signature for gemini-3 calls it never saw', () => {
    const body = sentBody(
      adapter.chatRequest(
        ctxFor('gemini-3-pro-preview'),
        prepared({
          messages: [
            user('q'),
            { role: 'assistant', content: '', toolCalls: [{ id: 'elsewhere_1', name: 'f', arguments: { a: 1 } }] },
            { role: 'tool', toolCallId: 'elsewhere_1', content: 'ok' },
          ],
        }),
      ),
    );
    expect(body.contents[1]).toEqual({
      role: 'model',
      parts: [{ functionCall: { args: { a: 1 }, id: 'elsewhere_1', name: 'f' }, thoughtSignature: SKIP_SIGNATURE }],
    });
    expect(body.contents[2]).toEqual({
      role: 'user',
      parts: [{ functionResponse: { id: 'elsewhere_1', name: 'f', response: { output: 'ok' } } }],
    });
  });

  it('maps images, files, stop, seed, penalties, tool choice, structured output and thinking', () => {
    const schema = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      properties: { n: { type: ['integer', 'null'] } },
      required: ['n'],
      additionalProperties: false,
    };
    const build = (modelId: string, over: Partial<PreparedChatRequest>) =>
      sentBody(
        adapter.chatRequest(
          ctxFor(modelId),
          prepared({
            messages: [
              {
                role: 'user',
                content: [
                  { type: 'text', text: 'Look' },
                  { type: 'image', data: 'iVBORw0KGgo=', mediaType: 'image/png' },
                  { type: 'image', url: 'gs://bucket/cat.jpg', mediaType: 'image/jpeg' },
                  { type: 'file', data: 'JVBERi0xLjQ=', mediaType: 'application/pdf' },
                ],
              },
            ],
            ...over,
          }),
        ),
      );
    const modern = build('gemini-2.5-flash', {
      stop: ['END'],
      seed: 7,
      topP: 0.5,
      presencePenalty: 0.1,
      frequencyPenalty: 0.2,
      tools: [{ name: 'lookup', parameters: { type: 'object', properties: {} } }],
      toolChoice: { name: 'lookup' },
      responseFormat: { type: 'json-schema', name: 'out', schema },
      reasoning: { budgetTokens: 512 },
    });
    expect(modern.contents[0].parts).toEqual([
      { text: 'Look' },
      { inlineData: { mimeType: 'image/png', data: 'iVBORw0KGgo=' } },
      { fileData: { mimeType: 'image/jpeg', fileUri: 'gs://bucket/cat.jpg' } },
      { inlineData: { mimeType: 'application/pdf', data: 'JVBERi0xLjQ=' } },
    ]);
    expect(modern.toolConfig).toEqual({ functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['lookup'] } });
    expect(modern.tools).toEqual([
      {
        functionDeclarations: [
          { description: '', name: 'lookup', parametersJsonSchema: { type: 'object', properties: {} } },
        ],
      },
    ]);
    const { $schema: _s, ...withoutMeta } = schema;
    expect(modern.generationConfig).toEqual({
      topP: 0.5,
      stopSequences: ['END'],
      seed: 7,
      presencePenalty: 0.1,
      frequencyPenalty: 0.2,
      responseMimeType: 'application/json',
      responseJsonSchema: withoutMeta,
      thinkingConfig: { includeThoughts: true, thinkingBudget: 512 },
    });
    const legacy = build('gemini-2.0-flash', {
      responseFormat: { type: 'json-schema', name: 'out', schema },
      toolChoice: 'none',
      tools: [{ name: 'x', parameters: {} }],
    });
    expect(legacy.generationConfig).toEqual({
      responseMimeType: 'application/json',
      responseSchema: { type: 'object', properties: { n: { type: 'integer', nullable: true } }, required: ['n'] },
    });
    expect(legacy.toolConfig).toEqual({ functionCallingConfig: { mode: 'NONE' } });
    expect(
      build('gemini-2.5-pro', { responseFormat: { type: 'json-object' }, reasoning: { effort: 'low' } })
        .generationConfig,
    ).toEqual({
      responseMimeType: 'application/json',
      thinkingConfig: { includeThoughts: true, thinkingBudget: 1024 },
    });
    expect(build('gemini-3-pro-preview', { reasoning: { effort: 'high' } }).generationConfig).toEqual({
      thinkingConfig: { includeThoughts: true, thinkingLevel: 'high' },
    });
  });

  it('fails clearly when a tool result has no function name to send', () => {
    expect(() =>
      adapter.chatRequest(
        ctxFor('gemini-2.5-flash'),
        prepared({ messages: [user('q'), { role: 'tool', toolCallId: 'unknown', content: 'x' }] }),
      ),
    ).toThrow(/function name/);
  });

  it('converts JSON Schema to the OpenAPI subset', () => {
    expect(
      toGeminiSchema({
        type: 'object',
        $defs: { P: { type: 'object', properties: { x: { const: 'a' } } } },
        properties: {
          p: { $ref: '#/$defs/P' },
          l: { type: 'array', items: { anyOf: [{ type: 'string' }, { type: 'null' }] } },
        },
      }),
    ).toEqual({
      type: 'object',
      properties: {
        p: { type: 'object', properties: { x: { enum: ['a'] } } },
        l: { type: 'array', items: { type: 'string', nullable: true } },
      },
    });
  });
});

describe('gemini parseChat on recorded responses', () => {
  const ctx = ctxFor('gemini-2.5-flash');

  it('pydantic-ai: text with thoughtsTokenCount (reasoning counted in output)', () => {
    const f = fx('generate-nonstream.pydantic-ai');
    const { raw, ...result } = adapter.parseChat(ctx, f.response.body);
    expect(raw).toBe(f.response.body);
    expect(result).toEqual({
      text: 'Hello! How can I help you today?',
      toolCalls: [],
      finishReason: 'stop',
      rawFinishReason: 'STOP',
      usage: { inputTokens: 9, outputTokens: 43, totalTokens: 52, reasoningTokens: 34 },
      id: 'bzlXaa_EE_aHqtsPi_zw8Ao',
      model: 'gemini-2.5-flash',
    });
  });

  it('ace: plain answer', () => {
    const { raw: _raw, ...result } = adapter.parseChat(ctx, fx('generate-nonstream.ace').response.body);
    expect(result).toEqual({
      text: '4\n',
      toolCalls: [],
      finishReason: 'stop',
      rawFinishReason: 'STOP',
      usage: { inputTokens: 13, outputTokens: 2, totalTokens: 15 },
      id: 'bFZFaKmtFdfknvgPwf-bgAg',
      model: 'gemini-2.0-flash-lite',
    });
  });

  it('pydantic-ai: functionCall parts -> tool calls with stable ids, STOP -> tool-calls', () => {
    const first = adapter.parseChat(ctx, fx('function-call-nonstream.pydantic-ai.0').response.body);
    expect(first.toolCalls).toEqual([
      { id: 'call_LlteaIDvD9m7nvgPz5Sb0Aw_0', name: 'get_user_country', arguments: {} },
    ]);
    expect([first.finishReason, first.rawFinishReason]).toEqual(['tool-calls', 'STOP']);
    expect(first.usage).toEqual({ inputTokens: 33, outputTokens: 5, totalTokens: 38 });
    const second = adapter.parseChat(ctx, fx('function-call-nonstream.pydantic-ai.1').response.body);
    expect(second.toolCalls).toEqual([
      {
        id: 'call_LlteaOzCOPOdnvgPrJbnoQg_0',
        name: 'final_result',
        arguments: { city: 'Mexico City', country: 'Mexico' },
      },
    ]);
    expect(adapter.parseChat(ctx, fx('function-call-nonstream.pydantic-ai.1').response.body).toolCalls[0]?.id).toBe(
      second.toolCalls[0]?.id,
    );
  });

  it('synthesized: thought parts, cached tokens and MAX_TOKENS', () => {
    const { raw: _raw, ...result } = adapter.parseChat(ctx, fx('generate-cached-thinking.synthesized').response.body);
    expect(result).toEqual({
      text: 'The document describes three topics.',
      reasoning: '**Planning the summary**\n\nThe document covers three topics.',
      toolCalls: [],
      finishReason: 'length',
      rawFinishReason: 'MAX_TOKENS',
      usage: { inputTokens: 4200, outputTokens: 127, totalTokens: 4327, cacheReadTokens: 4096, reasoningTokens: 120 },
      id: 'SynthCachedThinking01',
      model: 'gemini-2.5-flash',
    });
  });

  it('synthesized: a blocked prompt has no candidates -> content-filter', () => {
    const result = adapter.parseChat(ctx, fx('generate-prompt-blocked.synthesized').response.body);
    expect([result.text, result.finishReason, result.rawFinishReason]).toEqual(['', 'content-filter', 'SAFETY']);
  });

  it('maps finish reasons', () => {
    const finish = (finishReason: string) =>
      adapter.parseChat(ctx, { candidates: [{ content: { parts: [] }, finishReason }] }).finishReason;
    expect(
      [
        'STOP',
        'MAX_TOKENS',
        'SAFETY',
        'RECITATION',
        'BLOCKLIST',
        'PROHIBITED_CONTENT',
        'MALFORMED_FUNCTION_CALL',
        'OTHER',
      ].map(finish),
    ).toEqual([
      'stop',
      'length',
      'content-filter',
      'content-filter',
      'content-filter',
      'content-filter',
      'error',
      'other',
    ]);
  });
});

describe('gemini streamDecoder on recorded streams', () => {
  const ctx = ctxFor('gemini-2.5-flash');

  it('pydantic-ai SSE text stream (CRLF framing, cumulative usage)', () => {
    const events = decodeStream(adapter, ctx, bodyText(fx('stream-sse-text.pydantic-ai')));
    expect(events.slice(0, 3)).toEqual([
      { type: 'metadata', id: 'w1peaMz6INOvnvgPgYfPiQY', model: 'gemini-2.0-flash-exp' },
      { type: 'text-delta', text: 'The' },
      { type: 'usage', usage: { inputTokens: 15, outputTokens: 0, totalTokens: 15 } },
    ]);
    expect(foldEvents(events)).toEqual({
      text: 'The capital of France is Paris.\n',
      reasoning: '',
      toolCalls: [],
      usage: { inputTokens: 13, outputTokens: 8, totalTokens: 21 },
      finishReason: 'stop',
      rawFinishReason: 'STOP',
      id: 'w1peaMz6INOvnvgPgYfPiQY',
      model: 'gemini-2.0-flash-exp',
      errors: [],
    });
  });

  it('llm-gemini streamed JSON array (no alt=sse): thought part -> reasoning', () => {
    const folded = foldEvents(decodeStream(adapter, ctx, bodyText(fx('stream-json-array-text.llm-gemini')), 3));
    expect(folded.reasoning).toBe(
      '**Considering the Constraint**\n\nI\'m focusing intently on the "just the name" constraint. It demands a single, direct name; no fluff, no preliminaries. I\'m actively suppressing any inclination to offer multiple options or explain my reasoning. This constraint is paramount.\n\n\n',
    );
    expect(folded.text).toBe('Scoop');
    expect(folded.usage).toEqual({ inputTokens: 11, outputTokens: 293, totalTokens: 304, reasoningTokens: 291 });
    expect([folded.finishReason, folded.id, folded.model]).toEqual([
      'stop',
      'IopyaseNCL-s-8YP7urOoAY',
      'gemini-3.6-flash',
    ]);
  });

  it('pydantic-ai: whole functionCall in one SSE chunk, then an empty STOP chunk -> tool-calls', () => {
    const events = decodeStream(
      adapter,
      ctxFor('gemini-3-pro-preview'),
      bodyText(fx('stream-sse-function-call-thought-signature.pydantic-ai.0')),
    );
    expect(events.filter((e) => e.type === 'tool-call')).toEqual([
      { type: 'tool-call', index: 0, id: 'call_QUVVadTSNJ6_qtsPvN7J8Q0_0', name: 'get_country', arguments: '{}' },
    ]);
    const folded = foldEvents(events);
    expect([folded.text, folded.finishReason, folded.rawFinishReason]).toEqual(['', 'tool-calls', 'STOP']);
    expect(folded.usage).toEqual({ inputTokens: 29, outputTokens: 212, totalTokens: 241, reasoningTokens: 202 });
  });

  it('pydantic-ai: text after the function response', () => {
    const folded = foldEvents(
      decodeStream(adapter, ctx, bodyText(fx('stream-sse-function-call-thought-signature.pydantic-ai.1')), 11),
    );
    expect(folded.text).toBe('The capital of Mexico is Mexico City.');
    expect(folded.usage).toEqual({ inputTokens: 257, outputTokens: 8, totalTokens: 265 });
    expect(folded.finishReason).toBe('stop');
  });

  it('an error object inside a 200 stream becomes an error event; text so far is kept', () => {
    const sse = `data: {"candidates":[{"content":{"parts":[{"text":"Par"}],"role":"model"}}]}\r\n\r\ndata: {"error":{"code":503,"message":"The model is overloaded.","status":"UNAVAILABLE"}}\r\n\r\n`;
    const folded = foldEvents(decodeStream(adapter, ctx, sse));
    expect(folded.text).toBe('Par');
    expect(folded.errors).toEqual([
      { kind: 'provider', message: 'Google Gemini: The model is overloaded.', retryable: true },
    ]);
  });

  it('splits a streamed JSON array with braces and quotes inside strings', () => {
    const splitter = createJsonArraySplitter();
    const text = '[{"a":"}{\\"x"}\n,\r\n{"b":{"c":1}}]';
    const out = [...text].flatMap((c) => splitter.push(c));
    expect(out.map((s) => JSON.parse(s))).toEqual([{ a: '}{"x' }, { b: { c: 1 } }]);
  });
});

describe('gemini parseError', () => {
  const ctx = ctxFor('gemini-2.5-flash');
  const parse = (name: string) => {
    const f = fx(name);
    return adapter.parseError(ctx, f.response.status, fixtureHeaders(f), bodyText(f));
  };

  it('400 API_KEY_INVALID -> authentication (ace)', () => {
    const e = parse('error-400-api-key-invalid.ace');
    expect([e.kind, e.status, e.retryable, e.code]).toEqual(['authentication', 400, false, 'API_KEY_INVALID']);
    expect(e.message).toBe('Google Gemini: API key not valid. Please pass a valid API key.');
  });

  it('429 RESOURCE_EXHAUSTED with RetryInfo 34.4s (vercel)', () => {
    const e = parse('error-429-retry-info.vercel');
    expect([e.kind, e.retryable, e.retryAfterMs, e.code]).toEqual(['rate-limit', true, 34_400, 'RESOURCE_EXHAUSTED']);
  });

  it('404 NOT_FOUND for generateContent and batchEmbedContents (pydantic-ai)', () => {
    expect([
      parse('error-404-model-not-found.pydantic-ai').kind,
      parse('embeddings-error-404.pydantic-ai').kind,
    ]).toEqual(['not-found', 'not-found']);
  });

  it('403, 400 context length, 503 (synthesized from docs)', () => {
    const forbidden = parse('error-403-permission-denied.synthesized');
    expect([forbidden.kind, forbidden.retryable]).toEqual(['permission', false]);
    const long = parse('error-400-context-length.synthesized');
    expect([long.kind, long.retryable]).toEqual(['context-length-exceeded', false]);
    const unavailable = parse('error-503-unavailable.synthesized');
    expect([unavailable.kind, unavailable.retryable]).toEqual(['provider', true]);
  });

  it('without catalog rules the google.rpc status decides', () => {
    const bare = makeContext({ ...descriptor, errors: [] }, 'gemini-2.5-flash');
    const kinds = (
      [
        [
          400,
          'INVALID_ARGUMENT',
          'The input token count (2000000) exceeds the maximum number of tokens allowed (1048576).',
        ],
        [400, 'INVALID_ARGUMENT', 'Invalid JSON payload received.'],
        [401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.'],
        [504, 'DEADLINE_EXCEEDED', 'Deadline expired.'],
        [500, 'INTERNAL', 'An internal error has occurred.'],
      ] as const
    ).map(
      ([code, status, message]) =>
        adapter.parseError(bare, code, new Headers(), JSON.stringify({ error: { code, status, message } })).kind,
    );
    expect(kinds).toEqual(['context-length-exceeded', 'invalid-request', 'authentication', 'timeout', 'provider']);
    expect(parseDuration('34.4s')).toBe(34_400);
    expect(parseDuration('2s')).toBe(2000);
  });
});

describe('gemini embeddings and models', () => {
  it('builds the recorded batchEmbedContents request and parses the vectors (pydantic-ai)', () => {
    const f = fx('embeddings-batch.pydantic-ai');
    const ctx = ctxFor('gemini-embedding-2-preview');
    const req = adapter.embedRequest?.(ctx, {
      input: ['Hello, world!'],
      dimensions: 768,
      encoding: 'float',
      providerOptions: { taskType: 'RETRIEVAL_QUERY' },
    });
    expect(req?.url).toBe(f.request?.url);
    expect(req?.method).toBe('POST');
    expect(JSON.parse(req?.body ?? '')).toEqual(f.request?.body);
    const parsed = adapter.parseEmbed?.(ctx, f.response.body, {
      input: ['Hello, world!'],
      encoding: 'float',
      providerOptions: {},
    });
    expect(parsed?.embeddings).toHaveLength(1);
    expect(parsed?.embeddings[0]).toHaveLength(768);
    expect(parsed?.embeddings[0]?.slice(0, 3)).toEqual([-0.039718185, 0.0070917504, 0.04710465]);
    expect(parsed?.inputTokens).toBe(0);
  });

  it('lists models with their input token limit (synthesized from docs)', () => {
    const f = fx('models-list.synthesized');
    const ctx = ctxFor('gemini-2.5-flash');
    expect(adapter.listModelsRequest?.(ctx)).toEqual({
      method: 'GET',
      url: `${BASE}/models?pageSize=1000`,
      headers: {},
    });
    const models = adapter.parseModels?.(ctx, f.response.body) ?? [];
    expect(models.map(({ raw: _raw, ...m }) => m)).toEqual([
      { id: 'gemini-2.5-flash', provider: 'gemini', name: 'Gemini 2.5 Flash', contextWindow: 1048576 },
      { id: 'gemini-embedding-001', provider: 'gemini', name: 'Gemini Embedding 001', contextWindow: 2048 },
    ]);
  });
});
