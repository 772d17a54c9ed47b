/**
 * Telemetry through a real switchboard: spans asserted with the OpenTelemetry SDK's in-memory
 * exporter (names, GenAI attributes, nesting of retries and fallbacks, error status), Prometheus
 * metrics scraped as text after calls against the mock provider and the fault server, and the
 * in-process view fed by the same calls.
 */
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { createSwitchboard, type StreamEvent } from '@switchboard/core';
import { createMock } from '@switchboard/provider-mock';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { type FaultServer, startFaultServer } from '../fault/fault-server.js';
import { faultSwitchboard, HI, recordingClock } from '../fault/helpers.js';

function tracing() {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  return { exporter, tracer: provider.getTracer('test') };
}

const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
const idOf = (span: ReadableSpan) => span.spanContext().spanId;

async function drain(stream: AsyncIterable<StreamEvent>) {
  let text = '';
  for await (const event of stream) if (event.type === 'text-delta') text += event.text;
  return text;
}

/** The value of one sample line (`name{labels} value`) in Prometheus text, or undefined. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const match = /^([^{\s]+)(?:\{(.*)\})?\s+(\S+)$/.exec(line);
    if (match === null || match[1] !== name) continue;
    const found: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g))
      found[pair[1] as string] = pair[2] as string;
    if (Object.entries(labels).every(([key, value]) => found[key] === value)) return Number(match[3]);
  }
  return undefined;
}

let server: FaultServer | undefined;
let other: FaultServer | undefined;
afterEach(async () => {
  await server?.close();
  await other?.close();
  server = undefined;
  other = undefined;
});

describe('spans', () => {
  it('one CLIENT span per call with GenAI attributes, one child per attempt', async () => {
    const { exporter, tracer } = tracing();
    const sb = createSwitchboard({
      providers: [createMock({ mock: { response: 'Hello there' } })],
      telemetry: { tracer, metrics: false },
    });
    const res = await sb.chat({
      model: 'mock/mock-chat',
      messages: HI,
      temperature: 0.2,
      maxTokens: 100,
      topP: 0.9,
    });
    const spans = exporter.getFinishedSpans();
    expect(spans).toHaveLength(2);
    const call = spans.find((span) => parentOf(span) === undefined) as ReadableSpan;
    const attempt = spans.find((span) => parentOf(span) !== undefined) as ReadableSpan;
    expect(call.name).toBe('chat mock-chat');
    expect(call.kind).toBe(SpanKind.CLIENT);
    expect(call.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'mock',
      'gen_ai.system': 'mock',
      'gen_ai.request.model': 'mock-chat',
      'gen_ai.request.temperature': 0.2,
      'gen_ai.request.max_tokens': 100,
      'gen_ai.request.top_p': 0.9,
      'gen_ai.response.model': res.model,
      'gen_ai.response.finish_reasons': [res.rawFinishReason ?? res.finishReason],
      'gen_ai.usage.input_tokens': res.usage.inputTokens,
      'gen_ai.usage.output_tokens': res.usage.outputTokens,
      'switchboard.attempts': 1,
      'switchboard.cached': false,
    });
    expect(call.status.code).toBe(SpanStatusCode.UNSET);
    expect(attempt.name).toBe('chat mock-chat');
    expect(parentOf(attempt)).toBe(idOf(call));
    expect(attempt.attributes['switchboard.attempt']).toBe(1);
  });

  it('a retried call: attempt spans are siblings under the call span, the failed one with status ERROR', async () => {
    server = await startFaultServer([
      { type: 'status', status: 503 },
      { type: 'status', status: 503 },
      { type: 'ok', text: 'fine' },
    ]);
    const { exporter, tracer } = tracing();
    const sb = faultSwitchboard(server.baseURL, server.baseURL, {
      clock: recordingClock(),
      telemetry: { tracer, metrics: false },
    });
    const res = await sb.chat({ model: 'openai/gpt-4o-mini', messages: HI });
    const spans = exporter.getFinishedSpans();
    const call = spans.find((span) => parentOf(span) === undefined) as ReadableSpan;
    const attempts = spans.filter((span) => parentOf(span) === idOf(call));
    expect(spans).toHaveLength(4);
    expect(attempts.map((span) => span.attributes['switchboard.attempt'])).toEqual([1, 2, 3]);
    expect(attempts.map((span) => span.status.code)).toEqual([
      SpanStatusCode.ERROR,
      SpanStatusCode.ERROR,
      SpanStatusCode.UNSET,
    ]);
    expect(attempts[0]?.attributes['error.type']).toBe('provider');
    expect(attempts[0]?.events.some((event) => event.name === 'exception')).toBe(true);
    expect(attempts[2]?.attributes['gen_ai.response.id']).toBe(res.id);
    expect(call.attributes).toMatchObject({
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.usage.input_tokens': res.usage.inputTokens,
      'switchboard.attempts': 3,
    });
    expect(call.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('a fallback: one attempt span per target under the call span', async () => {
    server = await startFaultServer([{ type: 'status', status: 503 }]);
    other = await startFaultServer([{ type: 'ok', text: 'from groq' }]);
    const { exporter, tracer } = tracing();
    const sb = faultSwitchboard(server.baseURL, other.baseURL, {
      clock: recordingClock(),
      retry: false,
      telemetry: { tracer, metrics: false },
    });
    const res = await sb.chat({ model: 'openai/gpt-4o-mini', messages: HI, fallback: ['groq/llama-3.1-8b-instant'] });
    expect(res.text).toBe('from groq');
    const spans = exporter.getFinishedSpans();
    const call = spans.find((span) => parentOf(span) === undefined) as ReadableSpan;
    const children = spans.filter((span) => parentOf(span) === idOf(call));
    expect(children.map((span) => span.name)).toEqual(['chat gpt-4o-mini', 'chat llama-3.1-8b-instant']);
    expect(children.map((span) => span.attributes['gen_ai.provider.name'])).toEqual(['openai', 'groq']);
    expect(children.map((span) => span.status.code)).toEqual([SpanStatusCode.ERROR, SpanStatusCode.UNSET]);
    expect(call.name).toBe('chat gpt-4o-mini');
    expect(call.attributes['switchboard.attempts']).toBe(2);
  });

  it('a failed call: status ERROR, error.type and the exception on the call span', async () => {
    server = await startFaultServer([{ type: 'status', status: 401, message: 'bad key' }]);
    const { exporter, tracer } = tracing();
    const sb = faultSwitchboard(server.baseURL, server.baseURL, {
      clock: recordingClock(),
      telemetry: { tracer, metrics: false },
    });
    await expect(sb.chat({ model: 'openai/gpt-4o-mini', messages: HI })).rejects.toMatchObject({
      kind: 'authentication',
    });
    const call = exporter.getFinishedSpans().find((span) => parentOf(span) === undefined) as ReadableSpan;
    expect(call.status.code).toBe(SpanStatusCode.ERROR);
    expect(call.attributes['error.type']).toBe('authentication');
    expect(call.events.some((event) => event.name === 'exception')).toBe(true);
  });

  it('streams: the span ends at finish and records time to first token', async () => {
    const { exporter, tracer } = tracing();
    const sb = createSwitchboard({
      providers: [createMock({ mock: { chunks: ['a', 'b', 'c'], chunkDelayMs: 5 } })],
      telemetry: { tracer, metrics: false },
    });
    const stream = sb.stream({ model: 'mock/mock-chat', messages: HI });
    expect(exporter.getFinishedSpans()).toHaveLength(0);
    expect(await drain(stream)).toBe('abc');
    const call = exporter.getFinishedSpans().find((span) => parentOf(span) === undefined) as ReadableSpan;
    expect(call.name).toBe('chat mock-chat');
    expect(call.attributes['switchboard.streaming']).toBe(true);
    expect(call.attributes['switchboard.time_to_first_token_ms']).toBeGreaterThan(0);
    expect(call.events.map((event) => event.name)).toContain('gen_ai.first_token');
    expect(call.attributes['gen_ai.usage.output_tokens']).toBe((await stream.response).usage.outputTokens);
  });

  it('a stream cut midway ends its span with status ERROR', async () => {
    server = await startFaultServer([{ type: 'cut', chunks: ['One', ' two', ' three'], cutAfter: 2 }]);
    const { exporter, tracer } = tracing();
    const sb = faultSwitchboard(server.baseURL, server.baseURL, {
      clock: recordingClock(),
      telemetry: { tracer, metrics: false },
    });
    await drain(sb.stream({ model: 'openai/gpt-4o-mini', messages: HI }));
    const call = exporter.getFinishedSpans().find((span) => parentOf(span) === undefined) as ReadableSpan;
    expect(call.status.code).toBe(SpanStatusCode.ERROR);
    expect(call.attributes['error.type']).toBe('network');
  });

  it('embeddings: `embeddings {model}` with input tokens', async () => {
    const { exporter, tracer } = tracing();
    const sb = createSwitchboard({ providers: [createMock()], telemetry: { tracer, metrics: false } });
    const res = await sb.embed({ model: 'mock/mock-embed', input: ['a', 'b'] });
    const call = exporter.getFinishedSpans().find((span) => parentOf(span) === undefined) as ReadableSpan;
    expect(call.name).toBe('embeddings mock-embed');
    expect(call.attributes).toMatchObject({
      'gen_ai.operation.name': 'embeddings',
      'gen_ai.usage.input_tokens': res.usage.inputTokens,
    });
  });

  it('telemetry: true works with no SDK registered (spans are no-ops) and still counts metrics', async () => {
    const sb = createSwitchboard({ providers: [createMock({ mock: { response: 'ok' } })], telemetry: true });
    await sb.chat({ model: 'mock/mock-chat', messages: HI });
    expect(await drain(sb.stream({ model: 'mock/mock-chat', messages: HI }))).toBe('ok');
    const text = await sb.metrics();
    expect(
      sample(text, 'switchboard_requests_total', { provider: 'mock', operation: 'stream', status: 'success' }),
    ).toBe(1);
    expect(sb.telemetry?.snapshot().totals.requests).toBe(2);
  });
});

describe('Prometheus metrics', () => {
  it('counts requests, tokens, cost, latency, TTFT and cache hits after calls to the mock provider', async () => {
    const registry = new Registry();
    const sb = createSwitchboard({
      providers: [createMock({ mock: { response: 'Hello there, friend', chunkDelayMs: 1 } })],
      telemetry: { tracer: false, meterRegistry: registry },
    });
    const first = await sb.chat({ model: 'mock/mock-chat', messages: HI, cache: true });
    await sb.chat({ model: 'mock/mock-chat', messages: HI, cache: true }); // a hit
    await drain(sb.stream({ model: 'mock/mock-chat', messages: [{ role: 'user', content: 'stream' }] }));
    const text = await sb.metrics();
    expect(text).toBe(await registry.metrics());
    const labels = { provider: 'mock', model: 'mock-chat' };
    expect(sample(text, 'switchboard_requests_total', { ...labels, operation: 'chat', status: 'success' })).toBe(2);
    expect(sample(text, 'switchboard_requests_total', { ...labels, operation: 'stream', status: 'success' })).toBe(1);
    expect(sample(text, 'switchboard_cache_hits_total', { operation: 'chat' })).toBe(1);
    expect(sample(text, 'switchboard_cache_misses_total', { operation: 'chat' })).toBe(1);
    // Tokens and cost of the two provider calls (the cache hit cost nothing).
    const input = sample(text, 'switchboard_tokens_total', { ...labels, type: 'input' }) ?? 0;
    expect(input).toBeGreaterThanOrEqual(2 * first.usage.inputTokens - 1);
    expect(sample(text, 'switchboard_tokens_total', { ...labels, type: 'output' })).toBe(2 * first.usage.outputTokens);
    expect(sample(text, 'switchboard_request_duration_seconds_count', { ...labels, operation: 'chat' })).toBe(1);
    expect(sample(text, 'switchboard_time_to_first_token_seconds_count', labels)).toBe(1);
    expect(text).toContain('# TYPE switchboard_request_duration_seconds histogram');
  });

  it('a fault scenario: retries, failures by kind, fallbacks and breaker state', async () => {
    server = await startFaultServer([{ type: 'status', status: 503 }]);
    other = await startFaultServer([{ type: 'ok', text: 'fine' }]);
    const sb = faultSwitchboard(server.baseURL, other.baseURL, {
      clock: recordingClock(),
      retry: { maxRetries: 1 },
      breaker: { failureThreshold: 2 },
      telemetry: { tracer: false, metrics: true },
    });
    await sb.chat({ model: 'openai/gpt-4o-mini', messages: HI, fallback: ['groq/llama-3.1-8b-instant'] });
    await expect(sb.chat({ model: 'openai/gpt-4o-mini', messages: HI })).rejects.toBeDefined();
    const text = await sb.metrics();
    // One retry in each call before the target gave up.
    expect(
      sample(text, 'switchboard_retries_total', { provider: 'openai', model: 'gpt-4o-mini', kind: 'provider' }),
    ).toBe(2);
    expect(
      sample(text, 'switchboard_fallbacks_total', { from: 'openai/gpt-4o-mini', to: 'groq/llama-3.1-8b-instant' }),
    ).toBe(1);
    expect(
      sample(text, 'switchboard_requests_total', {
        provider: 'groq',
        model: 'llama-3.1-8b-instant',
        operation: 'chat',
        status: 'success',
      }),
    ).toBe(1);
    expect(
      sample(text, 'switchboard_cost_usd_total', { provider: 'groq', model: 'llama-3.1-8b-instant' }),
    ).toBeGreaterThan(0);
    expect(sample(text, 'switchboard_tokens_total', { provider: 'groq', type: 'output' })).toBe(7);
    // Two failed calls open the provider's and the model's breakers.
    expect(sample(text, 'switchboard_breaker_state', { key: 'openai', provider: 'openai' })).toBe(2);
    expect(sample(text, 'switchboard_breaker_state', { key: 'openai/gpt-4o-mini', provider: 'openai' })).toBe(2);
    expect(sample(text, 'switchboard_breaker_transitions_total', { provider: 'openai', to: 'open' })).toBe(2);
    const failures = text.split('\n').filter((line) => line.startsWith('switchboard_failures_total{'));
    expect(failures).toHaveLength(1);
    expect(failures[0]).toContain('provider="openai"');
    expect(
      sample(text, 'switchboard_failures_total', { provider: 'openai', operation: 'chat', kind: 'provider' }),
    ).toBe(1);
    expect(sample(text, 'switchboard_requests_total', { provider: 'openai', status: 'error' })).toBe(1);
  });

  it('counts rate-limit waits', async () => {
    const clock = recordingClock();
    const sb = createSwitchboard({
      providers: [createMock({ mock: { response: 'ok' } })],
      clock,
      rateLimit: { maxWaitMs: 600_000, providers: { mock: { rpm: 1 } } },
      telemetry: { tracer: false, metrics: true },
    });
    await sb.chat({ model: 'mock/mock-chat', messages: HI });
    await sb.chat({ model: 'mock/mock-chat', messages: HI }); // waits for the next minute
    const text = await sb.metrics();
    expect(sample(text, 'switchboard_rate_limit_waits_total', { provider: 'mock' })).toBe(1);
    expect(sample(text, 'switchboard_rate_limit_wait_seconds_sum', { provider: 'mock' })).toBeGreaterThan(0);
  });

  it('sb.metrics() rejects when telemetry is off', async () => {
    const sb = createSwitchboard({ providers: [createMock()] });
    expect(sb.telemetry).toBeUndefined();
    await expect(sb.metrics()).rejects.toMatchObject({ kind: 'configuration' });
  });
});

describe('the in-process view through a switchboard', () => {
  it('per model success rate, errors, and JSON/CSV export', async () => {
    server = await startFaultServer([
      { type: 'ok', text: 'fine' },
      { type: 'status', status: 400, message: 'nope' },
    ]);
    const clock = recordingClock();
    const sb = faultSwitchboard(server.baseURL, server.baseURL, {
      clock,
      telemetry: { tracer: false, metrics: false },
    });
    await sb.chat({ model: 'openai/gpt-4o-mini', messages: HI });
    await expect(sb.chat({ model: 'openai/gpt-4o-mini', messages: HI })).rejects.toBeDefined();
    const snapshot = sb.telemetry?.snapshot();
    const model = snapshot?.models.find((entry) => entry.model === 'gpt-4o-mini');
    expect(model).toMatchObject({ provider: 'openai', requests: 2, successes: 1, failures: 1, successRate: 0.5 });
    expect(model?.failuresByKind).toEqual({ 'invalid-request': 1 });
    expect(snapshot?.recentErrors[0]).toMatchObject({ kind: 'invalid-request', status: 400, provider: 'openai' });
    expect(model?.windows['1m']?.requests).toBe(2);
    expect(JSON.parse(JSON.stringify(sb.telemetry)).models[0].requests).toBe(2);
    const csv = sb.telemetry?.toCSV() ?? '';
    expect(csv.split('\n')[0]).toContain('provider,model,window,requests');
    expect(csv).toContain('openai,gpt-4o-mini,all,2,1,0.5');
  });

  it('alerts when a budget is nearly spent', async () => {
    const sb = createSwitchboard({
      providers: [createMock({ mock: { response: 'a fairly long answer with many words in it' } })],
      budgets: [{ maxTokens: 30, period: 'day' }],
      telemetry: { tracer: false, metrics: false, view: { thresholds: { budgetUsed: 0.5 } } },
    });
    await sb.chat({ model: 'mock/mock-chat', messages: [{ role: 'user', content: 'x '.repeat(20) }] });
    await sb.telemetry?.refresh();
    const snapshot = sb.telemetry?.snapshot();
    const budget = snapshot?.alerts.find((alert) => alert.type === 'budget');
    expect(budget).toMatchObject({ type: 'budget', scope: 'global (day)' });
    expect(snapshot?.budgets[0]?.tokens?.used).toBeGreaterThan(15);
  });
});
