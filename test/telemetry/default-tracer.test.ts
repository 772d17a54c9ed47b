/**
 * The default tracer (`telemetry: true`, no `tracer` option) is OpenTelemetry's global proxy. While
 * no SDK is registered behind it, calls make no spans at all (they would be no-ops: core skips them
 * and their attribute objects on the hot path); an SDK registered before the switchboard is built, or
 * after it through the API copy core loads, gets the spans of every call from then on, the attempt
 * span nested under the call span as with a tracer given explicitly.
 */
import { createRequire } from 'node:module';
import { SpanKind, trace } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { createSwitchboard } from '@switchboard/core';
import { createMock } from '@switchboard/provider-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { HI } from '../fault/helpers.js';

/** The CommonJS copy of the API that core loads (`createRequire` from core's package). */
const coreApi = createRequire(new URL('../../packages/core/package.json', import.meta.url))(
  '@opentelemetry/api',
) as typeof import('@opentelemetry/api');

afterEach(() => {
  trace.disable();
  coreApi.trace.disable();
});

function sdk() {
  const exporter = new InMemorySpanExporter();
  return { exporter, provider: new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }) };
}

const mockSwitchboard = () =>
  createSwitchboard({ providers: [createMock({ mock: { response: 'ok' } })], telemetry: true });

/** The call span (a root, CLIENT) and its one attempt span under it. */
function expectCallAndAttempt(spans: readonly ReadableSpan[]): void {
  expect(spans.map((span) => span.name)).toEqual(['chat mock-chat', 'chat mock-chat']);
  const [attempt, call] = spans as [ReadableSpan, ReadableSpan];
  expect(call.kind).toBe(SpanKind.CLIENT);
  expect(call.parentSpanContext?.spanId).toBeUndefined();
  expect(attempt.parentSpanContext?.spanId).toBe(call.spanContext().spanId);
  expect(attempt.attributes['gen_ai.request.model']).toBe('mock-chat');
}

describe('the default tracer', () => {
  it('an SDK registered before the switchboard is built gets the call and attempt spans', async () => {
    const { exporter, provider } = sdk();
    expect(trace.setGlobalTracerProvider(provider)).toBe(true);
    const sb = mockSwitchboard();
    expect((await sb.chat({ model: 'mock/mock-chat', messages: HI })).text).toBe('ok');
    expectCallAndAttempt(exporter.getFinishedSpans());
  });

  it('no spans before an SDK registers; after it registers, every call has its spans', async () => {
    const { exporter, provider } = sdk();
    const sb = mockSwitchboard();
    expect((await sb.chat({ model: 'mock/mock-chat', messages: HI })).text).toBe('ok');
    expect(exporter.getFinishedSpans()).toHaveLength(0);

    expect(coreApi.trace.setGlobalTracerProvider(provider)).toBe(true);
    expect((await sb.chat({ model: 'mock/mock-chat', messages: HI })).text).toBe('ok');
    expectCallAndAttempt(exporter.getFinishedSpans());
    // The view counts both calls, with and without spans.
    expect(sb.telemetry?.snapshot().totals.requests).toBe(2);
  });

  it('streams too: no spans before an SDK registers, the call and attempt spans after', async () => {
    const { exporter, provider } = sdk();
    const sb = mockSwitchboard();
    const drain = async () => {
      let text = '';
      for await (const event of sb.stream({ model: 'mock/mock-chat', messages: HI }))
        if (event.type === 'text-delta') text += event.text;
      return text;
    };
    expect(await drain()).toBe('ok');
    expect(exporter.getFinishedSpans()).toHaveLength(0);

    expect(coreApi.trace.setGlobalTracerProvider(provider)).toBe(true);
    expect(await drain()).toBe('ok');
    const spans = exporter.getFinishedSpans();
    expect(spans).toHaveLength(2);
    const call = spans.find((span) => span.parentSpanContext?.spanId === undefined);
    const attempt = spans.find((span) => span !== call);
    expect(call?.attributes['switchboard.streaming']).toBe(true);
    expect(attempt?.parentSpanContext?.spanId).toBe(call?.spanContext().spanId);
    expect(sb.telemetry?.snapshot().totals.requests).toBe(2);
  });
});
