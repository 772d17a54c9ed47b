/**
 * A call's telemetry is recorded after its answer (queued when it ends, drained in the next turn),
 * yet every read drains the queue first. These tests read in the same turn as the call (before the
 * queue's own `setImmediate` can run), so they fail if any reader forgets to drain: the view (through
 * `sb.telemetry` and the view object itself), the Prometheus text (through the telemetry, the
 * registry, and one metric read alone), the history. Also: a batch is recorded once per call however
 * the reads and the turn interleave, a failure is recorded with its kind, and a reset while calls are
 * queued forgets them in the view but not in the metrics or the history.
 */
import { createMockProvider, createSwitchboard } from '@switchboard/core';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';

const HI = [{ role: 'user' as const, content: 'Hi' }];
const MODEL = 'mock/mock-chat';

/** The value of one sample line (`name{labels} value`) whose labels include `labels`, or undefined. */
function sample(text: string, name: string, labels = ''): number | undefined {
  const line = text.split('\n').find((entry) => entry.startsWith(`${name}{`) && entry.includes(labels));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function switchboard(mock: Parameters<typeof createMockProvider>[0] = {}, registry = new Registry()) {
  return createSwitchboard({
    providers: [createMockProvider(mock)],
    telemetry: { tracer: false, meterRegistry: registry },
  });
}

async function historyRequests(sb: ReturnType<typeof switchboard>): Promise<number> {
  const history = await sb.telemetry?.history();
  return history?.points.reduce((sum, point) => sum + point.requests, 0) ?? Number.NaN;
}

describe('telemetry recorded after the answer', () => {
  it('a snapshot, CSV, JSON or the view read right after a call sees it', async () => {
    const sb = switchboard();
    await sb.chat({ model: MODEL, messages: HI });
    expect(sb.telemetry?.snapshot().totals.requests).toBe(1);
    await sb.chat({ model: MODEL, messages: HI });
    expect(sb.telemetry?.view?.snapshot().totals.requests).toBe(2);
    await sb.chat({ model: MODEL, messages: HI });
    expect(sb.telemetry?.toCSV()).toMatch(/^mock,mock-chat,all,3,0,/m);
    await sb.chat({ model: MODEL, messages: HI });
    expect((JSON.parse(JSON.stringify(sb.telemetry)) as { totals: { requests: number } }).totals.requests).toBe(4);
    await sb.close();
  });

  it('the Prometheus text read right after a call sees it, through the telemetry, the registry or one metric', async () => {
    const registry = new Registry();
    const sb = switchboard({}, registry);
    await sb.chat({ model: MODEL, messages: HI });
    const text = await sb.telemetry?.metrics();
    expect(sample(text ?? '', 'switchboard_requests_total', 'status="success"')).toBe(1);
    expect(sample(text ?? '', 'switchboard_request_duration_seconds_count')).toBe(1);
    await sb.chat({ model: MODEL, messages: HI });
    expect(sample(await registry.metrics(), 'switchboard_request_duration_seconds_count')).toBe(2);
    await sb.chat({ model: MODEL, messages: HI });
    const duration = await registry.getSingleMetric('switchboard_request_duration_seconds')?.get();
    // A histogram's values name their series (`_count`, `_sum`, `_bucket`); prom-client's type leaves it out.
    const count = duration?.values.find(
      (value) => (value as { metricName?: string }).metricName === 'switchboard_request_duration_seconds_count',
    );
    expect(count?.value).toBe(3);
    await sb.close();
  });

  it('the history read right after a call sees it', async () => {
    const sb = switchboard();
    await sb.chat({ model: MODEL, messages: HI });
    expect(await historyRequests(sb)).toBe(1);
    await sb.close();
  });

  it('records a batch of concurrent calls once each, whether a read or the next turn drains it', async () => {
    const registry = new Registry();
    const sb = switchboard({}, registry);
    await Promise.all(Array.from({ length: 20 }, () => sb.chat({ model: MODEL, messages: HI })));
    expect(sb.telemetry?.snapshot().totals.requests).toBe(20);
    await Promise.all(Array.from({ length: 20 }, () => sb.chat({ model: MODEL, messages: HI })));
    await nextTurn();
    await nextTurn();
    expect(sb.telemetry?.snapshot().totals.requests).toBe(40);
    const text = await registry.metrics();
    expect(sample(text, 'switchboard_requests_total', 'status="success"')).toBe(40);
    expect(sample(text, 'switchboard_request_duration_seconds_count')).toBe(40);
    expect(sample(text, 'switchboard_in_flight_requests')).toBe(0);
    expect(await historyRequests(sb)).toBe(40);
    await sb.close();
  });

  it('records a failure with its kind, status and message', async () => {
    const registry = new Registry();
    const sb = switchboard(
      { mock: { error: { kind: 'invalid-request', message: 'bad field', status: 400 } } },
      registry,
    );
    await expect(sb.chat({ model: MODEL, messages: HI })).rejects.toThrow('bad field');
    const snapshot = sb.telemetry?.snapshot();
    expect(snapshot?.totals).toMatchObject({ requests: 1, failures: 1, successes: 0 });
    expect(snapshot?.recentErrors).toEqual([
      expect.objectContaining({ kind: 'invalid-request', status: 400, message: expect.stringContaining('bad field') }),
    ]);
    const text = await registry.metrics();
    expect(sample(text, 'switchboard_failures_total', 'kind="invalid-request"')).toBe(1);
    expect(sample(text, 'switchboard_requests_total', 'status="error"')).toBe(1);
    await sb.close();
  });

  it('a reset while calls are queued forgets them in the view, not in the metrics or the history', async () => {
    const registry = new Registry();
    const sb = switchboard({}, registry);
    await sb.chat({ model: MODEL, messages: HI });
    await sb.chat({ model: MODEL, messages: HI });
    sb.telemetry?.view?.reset();
    await nextTurn();
    expect(sb.telemetry?.snapshot().totals.requests).toBe(0);
    expect(sample(await registry.metrics(), 'switchboard_requests_total', 'status="success"')).toBe(2);
    expect(await historyRequests(sb)).toBe(2);
    await sb.chat({ model: MODEL, messages: HI });
    expect(sb.telemetry?.snapshot().totals.requests).toBe(1);
    await sb.close();
  });
});
