/**
 * Real recorded exchanges (../shared/fixtures, see its INDEX.md) fed through the openai-chat adapter.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { DialectSpec, ProviderDescriptor } from '../../types/catalog.js';
import type { CallContext } from '../../types/protocol.js';
import type { ToolCall, Usage } from '../../types/requests.js';
import type { ProtocolStreamEvent } from '../adapter.js';
import { openaiChatAdapter } from './index.js';

const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../../../shared/fixtures');
const HAVE_FIXTURES = existsSync(resolve(FIXTURES, 'INDEX.md'));

interface Exchange {
  request: { method: string; uri: string; body: unknown };
  response: { status: number; headers: Headers; bodyText: string };
}

function headersOf(raw: unknown): Headers {
  const h = new Headers();
  if (raw && typeof raw === 'object') {
    for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
      for (const value of Array.isArray(v) ? v : [v]) h.append(k, String(value));
    }
  }
  return h;
}

function bodyString(body: unknown): string {
  if (typeof body === 'string') return body;
  if (body && typeof body === 'object' && 'string' in body) return String((body as { string: unknown }).string ?? '');
  return '';
}

/** Reads a vcrpy / Ruby VCR cassette into plain exchanges. */
export function readCassette(file: string): Exchange[] {
  const doc = parseYaml(readFileSync(resolve(FIXTURES, file), 'utf8')) as Record<string, unknown>;
  const list = (doc.interactions ?? doc.http_interactions) as Record<string, any>[];
  return list.map((i) => {
    const req = i.request;
    const res = i.response;
    const reqText = req.parsed_body !== undefined ? JSON.stringify(req.parsed_body) : bodyString(req.body);
    let reqBody: unknown;
    try {
      reqBody = JSON.parse(reqText);
    } catch {
      reqBody = reqText;
    }
    const bodyText = res.parsed_body !== undefined ? JSON.stringify(res.parsed_body) : bodyString(res.body);
    return {
      request: { method: String(req.method).toUpperCase(), uri: req.uri, body: reqBody },
      response: { status: Number(res.status?.code ?? res.status), headers: headersOf(res.headers), bodyText },
    };
  });
}

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(resolve(FIXTURES, file), 'utf8'));
}

/** A `.chunks.txt` file (one SSE data payload per line) back into SSE text. */
function chunksToSse(file: string, done = true): string {
  const lines = readFileSync(resolve(FIXTURES, file), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');
  return lines.map((l) => `data: ${l}\n\n`).join('') + (done ? 'data: [DONE]\n\n' : '');
}

export function ctxFor(
  id: string,
  dialect: DialectSpec = {},
  extra: Partial<ProviderDescriptor> = {},
  apiKey = 'test-key-123456789',
): CallContext {
  const descriptor: ProviderDescriptor = {
    id,
    name: id,
    protocol: 'openai-chat',
    baseURL: 'https://api.example.com/v1',
    auth: { type: 'bearer', env: [] },
    endpoints: { chat: '/chat/completions', embeddings: '/embeddings', models: '/models' },
    capabilities: [],
    defaultModel: 'm',
    dialect,
    ...extra,
  };
  return {
    descriptor,
    settings: {},
    model: undefined,
    modelId: 'm',
    baseURL: descriptor.baseURL,
    params: {},
    apiKey,
    env: {},
  };
}

interface Accumulated {
  text: string;
  reasoning: string;
  toolCalls: ToolCall[];
  usage: Partial<Usage>;
  finish?: string;
  rawFinish?: string;
  id?: string;
  model?: string;
  citations?: string[];
  errors: ProtocolStreamEvent[];
  events: ProtocolStreamEvent[];
}

/** Runs SSE text through the decoder in awkward chunk sizes and accumulates the events. */
export function decode(ctx: CallContext, sse: string, chunkSize = 37): Accumulated {
  const decoder = openaiChatAdapter.streamDecoder(ctx);
  const bytes = new TextEncoder().encode(sse);
  const events: ProtocolStreamEvent[] = [];
  for (let i = 0; i < bytes.length; i += chunkSize) events.push(...decoder.push(bytes.slice(i, i + chunkSize)));
  events.push(...decoder.end());
  const acc: Accumulated = { text: '', reasoning: '', toolCalls: [], usage: {}, errors: [], events };
  const calls = new Map<number, { id?: string; name?: string; args: string }>();
  for (const e of events) {
    switch (e.type) {
      case 'text-delta':
        acc.text += e.text;
        break;
      case 'reasoning-delta':
        acc.reasoning += e.text;
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
        Object.assign(acc.usage, e.usage);
        break;
      case 'finish':
        acc.finish = e.finishReason;
        acc.rawFinish = e.rawFinishReason;
        break;
      case 'metadata':
        if (e.id) acc.id = e.id;
        if (e.model) acc.model = e.model;
        if (e.citations) acc.citations = e.citations;
        break;
      case 'error':
        acc.errors.push(e);
        break;
    }
  }
  acc.toolCalls = [...calls.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, c]) => ({ id: c.id ?? '', name: c.name ?? '', arguments: c.args === '' ? {} : JSON.parse(c.args) }));
  return acc;
}

const OPENAI: DialectSpec = {
  maxTokensParam: 'max_completion_tokens',
  systemMessage: 'developer-message',
  streamUsage: 'include-usage-option',
};

describe.skipIf(!HAVE_FIXTURES)('openai-chat on recorded fixtures', () => {
  describe('openai', () => {
    const ctx = ctxFor('openai', OPENAI);

    it('parses a non-streamed completion (ace)', () => {
      const [ex] = readCassette('openai/chat-nonstream.ace.yml');
      const r = openaiChatAdapter.parseChat(ctx, JSON.parse(ex!.response.bodyText));
      expect(r.text).toBe('4');
      expect(r.finishReason).toBe('stop');
      expect(r.rawFinishReason).toBe('stop');
      expect(r.id).toBe('chatcmpl-Bl2gsOK0FDPZ93LnJNYYzFkkoth4T');
      expect(r.model).toBe('gpt-4o-2024-08-06');
      expect(r.usage).toEqual({
        inputTokens: 20,
        outputTokens: 1,
        totalTokens: 21,
        cacheReadTokens: 0,
        reasoningTokens: 0,
      });
      expect(r.toolCalls).toEqual([]);
    });

    it('keeps reasoning tokens inside output tokens (o3-mini)', () => {
      const [ex] = readCassette('openai/chat-nonstream-reasoning-usage.pydantic-ai.yaml');
      const body = JSON.parse(ex!.response.bodyText);
      const r = openaiChatAdapter.parseChat(ctx, body);
      expect(r.usage.outputTokens).toBe(body.usage.completion_tokens);
      expect(r.usage.reasoningTokens).toBe(body.usage.completion_tokens_details.reasoning_tokens);
      expect(r.usage.reasoningTokens).toBeGreaterThan(0);
      expect(r.usage.totalTokens).toBe(body.usage.total_tokens);
      expect(r.text).toBe(body.choices[0].message.content);
    });

    it('parses a no-argument tool call and a second call after the tool result', () => {
      const [first, second] = readCassette('openai/chat-toolcall-nonstream.pydantic-ai.yaml');
      const r1 = openaiChatAdapter.parseChat(ctx, JSON.parse(first!.response.bodyText));
      expect(r1.toolCalls).toEqual([{ id: 'call_iXFttys57ap0o16JSlC8yhYo', name: 'get_user_country', arguments: {} }]);
      expect(r1.finishReason).toBe('tool-calls');
      expect(r1.text).toBe('');
      expect(r1.usage).toMatchObject({ inputTokens: 68, outputTokens: 12, totalTokens: 80 });
      const body2 = JSON.parse(second!.response.bodyText);
      const r2 = openaiChatAdapter.parseChat(ctx, body2);
      const tc = body2.choices[0].message.tool_calls[0];
      expect(r2.toolCalls).toEqual([
        { id: tc.id, name: tc.function.name, arguments: JSON.parse(tc.function.arguments) },
      ]);
    });

    it('decodes the streamed text fixture with a usage-only final chunk', () => {
      const acc = decode(ctx, chunksToSse('openai/chat-stream-text.vercel.chunks.txt'));
      const lines = readFileSync(resolve(FIXTURES, 'openai/chat-stream-text.vercel.chunks.txt'), 'utf8')
        .trim()
        .split('\n');
      const expected = lines.map((l) => JSON.parse(l).choices[0]?.delta?.content ?? '').join('');
      expect(acc.text).toBe(expected);
      expect(acc.text.startsWith('**Holiday Name:**')).toBe(true);
      expect(acc.finish).toBe('stop');
      expect(acc.usage).toEqual({
        inputTokens: 16,
        outputTokens: 300,
        totalTokens: 316,
        cacheReadTokens: 0,
        reasoningTokens: 0,
      });
      expect(acc.id).toBe('chatcmpl-D8Z5oo6uDh67AD85p73ksdT1KxhE0');
      expect(acc.model).toBe('gpt-4.1-nano-2025-04-14');
    });

    it('decodes a streamed tool call split across deltas, then the text answer', () => {
      const [call, answer] = readCassette('openai/chat-stream-toolcall-then-text.pydantic-ai.yaml');
      const a1 = decode(ctx, call!.response.bodyText, 11);
      expect(a1.toolCalls).toEqual([
        { id: 'call_ZR5UUuTt3pf61kjwAJIYdVMj', name: 'get_capital', arguments: { country: 'UK' } },
      ]);
      expect(a1.finish).toBe('tool-calls');
      expect(a1.rawFinish).toBe('tool_calls');
      expect(a1.usage).toMatchObject({ inputTokens: 53, outputTokens: 15, totalTokens: 68 });
      const a2 = decode(ctx, answer!.response.bodyText);
      expect(a2.text).toBe('The capital of the UK is London.');
      expect(a2.finish).toBe('stop');
    });

    it('builds the request the recording shows for the tool round trip', () => {
      const [, second] = readCassette('openai/chat-stream-toolcall-then-text.pydantic-ai.yaml');
      const sent = second!.request.body as Record<string, any>;
      const spec = openaiChatAdapter.chatRequest(
        ctxFor('openai', { streamUsage: 'include-usage-option' }, { baseURL: 'https://api.openai.com/v1' }),
        {
          messages: [
            {
              role: 'user',
              content: [{ type: 'text', text: 'What is the capital of the UK? Use the tool, then answer.' }],
            },
            {
              role: 'assistant',
              content: '',
              toolCalls: [{ id: 'call_ZR5UUuTt3pf61kjwAJIYdVMj', name: 'get_capital', arguments: { country: 'UK' } }],
            },
            { role: 'tool', toolCallId: 'call_ZR5UUuTt3pf61kjwAJIYdVMj', content: 'London' },
          ],
          tools: [{ name: 'get_capital', description: '', parameters: sent.tools[0].function.parameters }],
          toolChoice: 'auto',
          providerOptions: {},
          stream: true,
        },
      );
      const body = JSON.parse(spec.body!);
      expect(spec.url).toBe('https://api.openai.com/v1/chat/completions');
      expect(body.messages).toEqual(sent.messages);
      expect(body.stream_options).toEqual({ include_usage: true });
      expect(body.tool_choice).toBe('auto');
      expect(body.tools[0].function).toMatchObject({
        name: 'get_capital',
        parameters: sent.tools[0].function.parameters,
      });
    });

    it('decodes base64 float32 embeddings', () => {
      const [ex] = readCassette('openai/embeddings-base64.pydantic-ai.yaml');
      const body = JSON.parse(ex!.response.bodyText);
      const r = openaiChatAdapter.parseEmbed!(ctx, body, { input: ['x'], encoding: 'base64', providerOptions: {} });
      const b64 = body.data[0].embedding as string;
      expect(r.embeddings[0]).toHaveLength(Buffer.from(b64, 'base64').length / 4);
      expect(r.embeddings[0]![0]).toBeCloseTo(Buffer.from(b64, 'base64').readFloatLE(0), 7);
      expect(r.inputTokens).toBe(body.usage.prompt_tokens);
    });

    it('reads float embeddings', () => {
      const body = readJson('openai/embeddings-float.vercel.json') as any;
      const r = openaiChatAdapter.parseEmbed!(ctx, body, { input: ['a', 'b'], encoding: 'float', providerOptions: {} });
      expect(r.embeddings).toEqual(body.data.map((d: any) => d.embedding));
    });

    it('maps a 401 invalid_api_key with request id', () => {
      const [ex] = readCassette('openai/error-401-invalid-api-key.ace.yml');
      // The recording was made with the literal key `invalid-key`, which the server echoes back.
      const keyed = ctxFor('openai', OPENAI, {}, 'invalid-key');
      const e = openaiChatAdapter.parseError(keyed, ex!.response.status, ex!.response.headers, ex!.response.bodyText);
      expect(e.kind).toBe('authentication');
      expect(e.status).toBe(401);
      expect(JSON.stringify(e.body)).not.toContain('invalid-key');
      expect(e.code).toBe('invalid_api_key');
      expect(e.retryable).toBe(false);
      expect(e.requestId).toBe(ex!.response.headers.get('x-request-id'));
      expect(e.message).toContain('Incorrect API key provided');
      expect(e.message).not.toMatch(/invalid-key\b|\*{3}/);
    });

    it('maps 400 unsupported value / parameter to invalid-request', () => {
      const [ex] = readCassette('openai/error-400-unsupported-value.pydantic-ai.yaml');
      const e = openaiChatAdapter.parseError(ctx, 400, ex!.response.headers, ex!.response.bodyText);
      expect(e.kind).toBe('invalid-request');
      expect(e.code).toBe('unsupported_value');
      const body = JSON.stringify(readJson('openai/error-400-unsupported-parameter.vercel.json'));
      const e2 = openaiChatAdapter.parseError(ctx, 400, new Headers(), body);
      expect(e2.kind).toBe('invalid-request');
      expect(e2.code).toBe('unsupported_parameter');
    });

    it('maps insufficient_quota on 429 to quota-exceeded, not retryable', () => {
      const body = JSON.stringify(readJson('openai/error-insufficient-quota.vercel.json'));
      const e = openaiChatAdapter.parseError(ctx, 429, new Headers({ 'retry-after': '3' }), body);
      expect(e.kind).toBe('quota-exceeded');
      expect(e.retryable).toBe(false);
    });

    it('maps an embeddings 404 model_not_found', () => {
      const [ex] = readCassette('openai/embeddings-error-404.pydantic-ai.yaml');
      const e = openaiChatAdapter.parseError(ctx, ex!.response.status, ex!.response.headers, ex!.response.bodyText);
      expect(e.status).toBe(404);
      expect(e.kind).toBe('not-found');
      expect(e.code).toBe('model_not_found');
    });
  });

  describe('azure-openai', () => {
    const ctx = ctxFor(
      'azure-openai',
      { modelInPath: true, queryParams: { 'api-version': '{apiVersion}' }, streamUsage: 'include-usage-option' },
      { baseURL: 'https://{resource}.openai.azure.com/openai/deployments/{deployment}' },
    );
    const azure: CallContext = {
      ...ctx,
      baseURL: 'https://fake-azure-endpoint.openai.azure.com/openai/deployments/gpt-4o-mini',
      params: { apiVersion: '2024-12-01-preview' },
      modelId: 'gpt-4o-mini',
    };

    it('builds the deployment URL with api-version and no model in the body', () => {
      const [ex] = readCassette('azure-openai/chat-nonstream.crewai.yaml');
      const spec = openaiChatAdapter.chatRequest(azure, {
        messages: [{ role: 'user', content: [{ type: 'text', text: 'Say hello' }] }],
        tools: [],
        providerOptions: {},
        stream: false,
      });
      expect(spec.url).toBe(ex!.request.uri);
      expect(JSON.parse(spec.body!)).toEqual({ messages: [{ role: 'user', content: 'Say hello' }] });
    });

    it('parses the non-streamed reply', () => {
      const [ex] = readCassette('azure-openai/chat-nonstream.crewai.yaml');
      const r = openaiChatAdapter.parseChat(azure, JSON.parse(ex!.response.bodyText));
      expect(r.text).toBe('Hello! How can I assist you today?');
      expect(r.usage).toEqual({
        inputTokens: 9,
        outputTokens: 10,
        totalTokens: 19,
        cacheReadTokens: 0,
        reasoningTokens: 0,
      });
    });

    it('decodes the stream with an empty-id prompt_filter_results first chunk', () => {
      const [ex] = readCassette('azure-openai/chat-stream.crewai.yaml');
      const acc = decode(azure, ex!.response.bodyText);
      expect(acc.errors).toEqual([]);
      expect(acc.text.length).toBeGreaterThan(0);
      expect(acc.finish).toBe('stop');
      expect(acc.id).toMatch(/^chatcmpl-/);
      expect(acc.usage.inputTokens).toBeGreaterThan(0);
      const model = decode(azure, chunksToSse('azure-openai/chat-stream-model-router.vercel.chunks.txt'));
      expect(model.errors).toEqual([]);
      expect(model.text.length).toBeGreaterThan(0);
    });

    it('parses a tool call with empty content_filter_results', () => {
      const [ex] = readCassette('azure-openai/chat-tool-calls-nonstream.crewai.yaml');
      const body = JSON.parse(ex!.response.bodyText);
      const r = openaiChatAdapter.parseChat(azure, body);
      const tc = body.choices[0].message.tool_calls[0];
      expect(r.toolCalls).toEqual([
        { id: tc.id, name: tc.function.name, arguments: JSON.parse(tc.function.arguments) },
      ]);
      expect(r.finishReason).toBe('tool-calls');
    });
  });

  describe('groq', () => {
    const ctx = ctxFor('groq', { streamUsage: 'final-chunk' });
    it('parses non-streamed text', () => {
      const [ex] = readCassette('groq/chat-nonstream.pydantic-ai.yaml');
      const body = JSON.parse(ex!.response.bodyText);
      const r = openaiChatAdapter.parseChat(ctx, body);
      expect(r.text).toBe(body.choices[0].message.content);
      expect(r.usage).toEqual({
        inputTokens: body.usage.prompt_tokens,
        outputTokens: body.usage.completion_tokens,
        totalTokens: body.usage.total_tokens,
      });
      const v = readJson('groq/chat-nonstream.vercel.json') as any;
      expect(openaiChatAdapter.parseChat(ctx, v).text).toBe(v.choices[0].message.content);
    });
    it('reads usage from x_groq.usage at the end of a stream', () => {
      const acc = decode(ctx, chunksToSse('groq/chat-stream-text.vercel.chunks.txt'));
      expect(acc.usage).toEqual({ inputTokens: 45, outputTokens: 662, totalTokens: 707 });
      expect(acc.finish).toBe('stop');
      expect(acc.text.endsWith('.')).toBe(true);
      // Only x_groq.usage present: still read.
      const onlyGroq =
        'data: {"id":"x","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"x_groq":{"usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7}}}\n\n';
      expect(decode(ctx, onlyGroq).usage).toEqual({ inputTokens: 5, outputTokens: 2, totalTokens: 7 });
    });
    it('decodes a whole tool call in one delta', () => {
      const acc = decode(ctx, chunksToSse('groq/chat-stream-tool-call.vercel.chunks.txt'));
      expect(acc.toolCalls).toEqual([{ id: 'tk85n1k4m', name: 'weather', arguments: {} }]);
      expect(acc.finish).toBe('tool-calls');
      expect(acc.usage).toMatchObject({ inputTokens: 210, outputTokens: 15, totalTokens: 225 });
      const body = readJson('groq/chat-nonstream-tool-call.vercel.json') as any;
      const r = openaiChatAdapter.parseChat(ctx, body);
      const tc = body.choices[0].message.tool_calls[0];
      expect(r.toolCalls).toEqual([
        { id: tc.id, name: tc.function.name, arguments: JSON.parse(tc.function.arguments) },
      ]);
    });
    it('maps 400 tool_use_failed to invalid-request', () => {
      const [ex] = readCassette('groq/error-400-tool-use-failed.pydantic-ai.yaml');
      const e = openaiChatAdapter.parseError(ctx, ex!.response.status, ex!.response.headers, ex!.response.bodyText);
      expect(e.kind).toBe('invalid-request');
      expect(e.code).toBe('tool_use_failed');
    });
  });

  describe('mistral', () => {
    const ctx = ctxFor('mistral', {
      streamUsage: 'final-chunk',
      toolCallIdPattern: '^[a-zA-Z0-9]{9}$',
      toolChoiceRequired: false,
    });
    it('parses non-streamed text with tool_calls: null', () => {
      const [ex] = readCassette('mistral/chat-nonstream.pydantic-ai.yaml');
      const body = JSON.parse(ex!.response.bodyText);
      const r = openaiChatAdapter.parseChat(ctx, body);
      expect(r.text).toBe(body.choices[0].message.content);
      expect(r.toolCalls).toEqual([]);
      expect(r.usage.inputTokens).toBe(body.usage.prompt_tokens);
      const sent = ex!.request.body as Record<string, unknown>;
      expect(sent.frequency_penalty).toBeDefined();
    });
    it('parses a tool call without type or index', () => {
      const body = readJson('mistral/chat-nonstream-tool-call.vercel.json') as any;
      const r = openaiChatAdapter.parseChat(ctx, body);
      const tc = body.choices[0].message.tool_calls[0];
      expect(tc.id).toMatch(/^[a-zA-Z0-9]{9}$/);
      expect(r.toolCalls).toEqual([
        { id: tc.id, name: tc.function.name, arguments: JSON.parse(tc.function.arguments) },
      ]);
    });
    it('streams text with usage on the finish chunk', () => {
      const [ex] = readCassette('mistral/chat-stream-text.magentic.yaml');
      const acc = decode(ctx, ex!.response.bodyText);
      expect(acc.finish).toBe('stop');
      expect(acc.usage.inputTokens).toBeGreaterThan(0);
      expect(acc.text.length).toBeGreaterThan(0);
      const v = decode(ctx, chunksToSse('mistral/chat-stream-text.vercel.chunks.txt'));
      expect(v.text.length).toBeGreaterThan(0);
      expect(v.finish).toBe('stop');
    });
    it('streams a whole tool call with no index', () => {
      const [ex] = readCassette('mistral/chat-stream-tool-call.magentic.yaml');
      const acc = decode(ctx, ex!.response.bodyText);
      expect(acc.toolCalls).toHaveLength(1);
      expect(acc.toolCalls[0]).toMatchObject({ id: 'x2LypFllt', name: 'plus' });
      expect(acc.finish).toBe('tool-calls');
    });
    it('streams an incremental tool call whose second delta has name ""', () => {
      const acc = decode(ctx, chunksToSse('mistral/chat-stream-incremental-tool-call.vercel.chunks.txt'));
      expect(acc.toolCalls).toEqual([
        { id: 'chatcmpl-tool-9f149c74c42f265b', name: 'webSearchTool', arguments: { query: 'current Berlin weather' } },
      ]);
      expect(acc.usage).toEqual({ inputTokens: 171, outputTokens: 14, totalTokens: 185, cacheReadTokens: 128 });
      const v = decode(ctx, chunksToSse('mistral/chat-stream-tool-call.vercel.chunks.txt'));
      expect(v.toolCalls).toHaveLength(1);
    });
    it('rewrites non-conforming tool call ids consistently and maps required to any', () => {
      const spec = openaiChatAdapter.chatRequest(ctx, {
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'hi' }] },
          {
            role: 'assistant',
            content: '',
            toolCalls: [{ id: 'call_ZR5UUuTt3pf61kjwAJIYdVMj', name: 'f', arguments: {} }],
          },
          { role: 'tool', toolCallId: 'call_ZR5UUuTt3pf61kjwAJIYdVMj', content: 'ok' },
          { role: 'assistant', content: '', toolCalls: [{ id: 'x2LypFllt', name: 'f', arguments: {} }] },
          { role: 'tool', toolCallId: 'x2LypFllt', content: 'ok' },
        ],
        tools: [{ name: 'f', parameters: { type: 'object' } }],
        toolChoice: 'required',
        providerOptions: {},
        stream: false,
      });
      const body = JSON.parse(spec.body!);
      const newId = body.messages[1].tool_calls[0].id;
      expect(newId).toMatch(/^[a-zA-Z0-9]{9}$/);
      expect(body.messages[2].tool_call_id).toBe(newId);
      expect(body.messages[3].tool_calls[0].id).toBe('x2LypFllt');
      expect(body.tool_choice).toBe('any');
    });
  });

  describe('openrouter', () => {
    const ctx = ctxFor('openrouter', { reasoningField: 'reasoning', streamUsage: 'include-usage-option' });
    it('parses a tool call with content ""', () => {
      const [ex] = readCassette('openrouter/chat-tool-call-nonstream.pydantic-ai.yaml');
      const body = JSON.parse(ex!.response.bodyText);
      const r = openaiChatAdapter.parseChat(ctx, body);
      const tc = body.choices[0].message.tool_calls[0];
      expect(r.toolCalls).toEqual([
        { id: tc.id, name: tc.function.name, arguments: JSON.parse(tc.function.arguments) },
      ]);
      expect(r.finishReason).toBe('tool-calls');
    });
    it('streams text then a tool call, usage with cost kept raw', () => {
      const [ex] = readCassette('openrouter/chat-stream-tool-call-usage-cost.magentic.yaml');
      const acc = decode(ctx, ex!.response.bodyText);
      expect(acc.usage).toEqual({
        inputTokens: 173,
        outputTokens: 40,
        totalTokens: 213,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        reasoningTokens: 0,
      });
      expect(acc.toolCalls.length).toBeGreaterThan(0);
      expect(acc.errors).toEqual([]);
    });
    it('streams reasoning deltas from the reasoning field', () => {
      const [ex] = readCassette('openrouter/chat-stream-reasoning.pydantic-ai.yaml');
      const acc = decode(ctx, ex!.response.bodyText);
      expect(acc.reasoning.startsWith('This is a simple arithmetic question. 2+2 equals 4.')).toBe(true);
      expect(acc.text).toContain('4');
      expect(acc.finish).toBe('stop');
    });
    it('maps 401 No cookie auth credentials found', () => {
      const [ex] = readCassette('openrouter/error-401-no-auth.crewai.yaml');
      const e = openaiChatAdapter.parseError(ctx, ex!.response.status, ex!.response.headers, ex!.response.bodyText);
      expect(e.kind).toBe('authentication');
      expect(e.message).toContain('No cookie auth credentials found');
    });
    it('converts /models pricing per token to per 1M', () => {
      const models = openaiChatAdapter.parseModels!(ctx, {
        data: [
          {
            id: 'anthropic/claude-sonnet-4.5',
            name: 'Anthropic: Claude Sonnet 4.5',
            context_length: 1000000,
            pricing: { prompt: '0.000003', completion: '0.000015' },
          },
        ],
      });
      expect(models).toEqual([
        expect.objectContaining({
          id: 'anthropic/claude-sonnet-4.5',
          provider: 'openrouter',
          name: 'Anthropic: Claude Sonnet 4.5',
          contextWindow: 1000000,
          pricing: { input: 3, output: 15 },
        }),
      ]);
    });
  });

  describe('perplexity', () => {
    const ctx = ctxFor('perplexity', { citationsField: 'citations', streamUsage: 'every-chunk' });
    it('parses citations', () => {
      const body = readJson('perplexity/chat-nonstream.vercel.json') as any;
      const r = openaiChatAdapter.parseChat(ctx, body);
      expect(r.citations).toEqual(body.citations);
      expect(r.text).toBe(body.choices[0].message.content);
      expect(r.usage).toMatchObject({
        inputTokens: body.usage.prompt_tokens,
        outputTokens: body.usage.completion_tokens,
      });
      const c = readJson('perplexity/chat-nonstream-citations.vercel.json') as any;
      expect(openaiChatAdapter.parseChat(ctx, c).citations).toEqual(c.citations);
    });
    it('takes the last cumulative usage and citations once', () => {
      const file = 'perplexity/chat-stream-text.vercel.chunks.txt';
      const lines = readFileSync(resolve(FIXTURES, file), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      const acc = decode(ctx, chunksToSse(file, false));
      const last = lines[lines.length - 1];
      expect(acc.usage).toMatchObject({
        inputTokens: last.usage.prompt_tokens,
        outputTokens: last.usage.completion_tokens,
      });
      expect(acc.citations).toEqual(last.citations);
      expect(acc.events.filter((e) => e.type === 'metadata' && e.citations)).toHaveLength(1);
      expect(acc.text).toBe(lines.map((l) => l.choices[0]?.delta?.content ?? '').join(''));
    });
    it('maps search_results to URLs', () => {
      const r = openaiChatAdapter.parseChat(ctxFor('perplexity', { citationsField: 'search_results' }), {
        choices: [{ index: 0, message: { content: 'x' }, finish_reason: 'stop' }],
        search_results: [{ title: 'A', url: 'https://a.example' }],
      });
      expect(r.citations).toEqual(['https://a.example']);
    });
  });

  describe('xai', () => {
    const ctx = ctxFor('xai', { reasoningField: 'reasoning_content' });
    it('adds reasoning tokens counted apart to output tokens', () => {
      const body = readJson('xai/chat-nonstream.vercel.json') as any;
      const r = openaiChatAdapter.parseChat(ctx, body);
      expect(r.text).toBe('Hello');
      expect(r.reasoning).toBe(body.choices[0].message.reasoning_content);
      expect(r.usage).toEqual({
        inputTokens: 12,
        outputTokens: 229,
        totalTokens: 241,
        cacheReadTokens: 2,
        reasoningTokens: 228,
      });
    });
    it('streams reasoning, text and usage-only chunk', () => {
      const acc = decode(ctx, chunksToSse('xai/chat-stream-text.vercel.chunks.txt'));
      expect(acc.reasoning.length).toBeGreaterThan(0);
      expect(acc.usage).toEqual({
        inputTokens: 12,
        outputTokens: 291,
        totalTokens: 303,
        cacheReadTokens: 11,
        reasoningTokens: 290,
      });
      expect(acc.finish).toBe('stop');
    });
    it('streams a whole tool call after reasoning', () => {
      const acc = decode(ctx, chunksToSse('xai/chat-stream-tool-call.vercel.chunks.txt'));
      expect(acc.toolCalls).toHaveLength(1);
      expect(acc.finish).toBe('tool-calls');
      const body = readJson('xai/chat-nonstream-tool-call.vercel.json') as any;
      const tc = body.choices[0].message.tool_calls[0];
      expect(openaiChatAdapter.parseChat(ctx, body).toolCalls).toEqual([
        { id: tc.id, name: tc.function.name, arguments: JSON.parse(tc.function.arguments) },
      ]);
    });
  });

  describe('lmstudio', () => {
    const ctx = ctxFor('lmstudio', {});
    it('parses pretty-printed JSON with extra stats', () => {
      const [ex] = readCassette('lmstudio/chat-nonstream.ace.yml');
      const r = openaiChatAdapter.parseChat(ctx, JSON.parse(ex!.response.bodyText));
      expect(r.text).toBe('4');
      expect(r.model).toBe('mistralai/devstral-small-2505');
      expect(r.finishReason).toBe('stop');
    });
  });

  describe('ollama /v1', () => {
    const ctx = ctxFor('ollama', { reasoningField: 'reasoning' });
    it('parses the reasoning field and json content', () => {
      const [ex] = readCassette('ollama/v1-chat-nonstream-json-schema.pydantic-ai.yaml');
      const r = openaiChatAdapter.parseChat(ctx, JSON.parse(ex!.response.bodyText));
      expect(JSON.parse(r.text)).toEqual({ city: 'Paris', country: 'France' });
      expect(r.reasoning).toMatch(/^Okay, the user is asking/);
      expect(r.usage).toEqual({ inputTokens: 136, outputTokens: 15, totalTokens: 151 });
    });
    it('streams', () => {
      const [ex] = readCassette('ollama/v1-chat-stream.magentic.yaml');
      const acc = decode(ctx, ex!.response.bodyText);
      expect(acc.text.startsWith('Hello')).toBe(true);
      expect(acc.finish).toBe('stop');
    });
  });
});
