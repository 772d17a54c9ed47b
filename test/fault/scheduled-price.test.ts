/**
 * res.cost bills the price in force when the call started, and a call to a retired model warns but
 * goes ahead: real calls to the local fault server (5 prompt and 7 completion tokens per answer).
 * The schedules sit years away from now on either side, so the outcome does not depend on the day the
 * test runs.
 */

import { createSwitchboard, defineProvider, type ModelInfo, type ModelSpec } from '@switchboard/core';
import { openaiDescriptor } from '@switchboard/provider-openai';
import { afterEach, describe, expect, it } from 'vitest';
import { type FaultServer, startFaultServer } from './fault-server.js';
import { HI, OPENAI_KEY } from './helpers.js';

const PROVIDER = 'scheduled';

function model(spec: Partial<ModelSpec> & Pick<ModelSpec, 'id'>): ModelInfo {
  return {
    name: spec.id,
    type: 'chat',
    status: 'active',
    limits: { context: 128_000 },
    modalities: { input: ['text'], output: ['text'] },
    capabilities: ['streaming'],
    ...spec,
    provider: PROVIDER,
    ref: `${PROVIDER}/${spec.id}`,
  };
}

// 12 tokens at $1000 per 1M = $0.012 regular; $100 = $0.0012 promotional; $10 = $0.00012 off-peak.
const MODELS: ModelInfo[] = [
  model({
    id: 'on-promotion',
    pricing: {
      input: 1000,
      output: 1000,
      timeBound: [{ from: '2020-01-01', kind: 'promotional', input: 100, output: 100, source: 'test' }],
    },
  }),
  model({
    id: 'introduction-over',
    pricing: {
      input: 1000,
      output: 1000,
      timeBound: [{ until: '2020-01-31', kind: 'introductory', input: 1, output: 1, source: 'test' }],
    },
  }),
  model({
    id: 'off-peak-all-day',
    pricing: {
      input: 1000,
      output: 1000,
      timeOfDay: {
        timeZone: 'Asia/Shanghai',
        source: 'test',
        windows: [{ name: 'off-peak', start: '00:00', end: '24:00', input: 10, output: 10 }],
      },
    },
  }),
  model({
    id: 'old-model',
    status: 'deprecated',
    deprecated: '2020-01-01',
    retires: '2020-06-01',
    replacedBy: 'on-promotion',
    pricing: { input: 1000, output: 1000 },
  }),
];

let server: FaultServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function switchboard() {
  server = await startFaultServer([{ type: 'ok', text: 'Hello' }]);
  const provider = defineProvider(
    { descriptor: { ...openaiDescriptor, id: PROVIDER }, models: MODELS, aliases: {} },
    { apiKey: OPENAI_KEY, baseURL: server.baseURL },
  );
  return createSwitchboard({ providers: [provider] });
}

describe('the cost of a call is the price in force when it started', () => {
  it('chat: promotional, after an introductory price, off-peak', async () => {
    const sb = await switchboard();
    const costOf = async (id: string) =>
      (await sb.chat({ model: { provider: PROVIDER, model: id }, messages: HI })).cost?.total;
    expect(await costOf('on-promotion')).toBe(0.0012);
    expect(await costOf('introduction-over')).toBe(0.012);
    expect(await costOf('off-peak-all-day')).toBe(0.00012);
  });

  it('stream: the final cost uses the same price', async () => {
    const sb = await switchboard();
    const stream = sb.stream({ model: { provider: PROVIDER, model: 'on-promotion' }, messages: HI });
    for await (const _event of stream) {
      // drain
    }
    expect((await stream.response).cost?.total).toBe(0.0012);
  });
});

describe('a call to a retired model', () => {
  it('goes ahead and warns naming the successor (chat and stream)', async () => {
    const sb = await switchboard();
    const res = await sb.chat({ model: { provider: PROVIDER, model: 'old-model' }, messages: HI });
    expect(res.text).toBe('Hello');
    expect(res.warnings).toContain(
      "Model 'scheduled/old-model' is retired since 2020-06-01; use 'on-promotion' instead",
    );
    const stream = sb.stream({ model: { provider: PROVIDER, model: 'old-model' }, messages: HI });
    for await (const _event of stream) {
      // drain
    }
    expect((await stream.response).warnings).toContain(
      "Model 'scheduled/old-model' is retired since 2020-06-01; use 'on-promotion' instead",
    );
  });

  it('an active model carries no such warning', async () => {
    const sb = await switchboard();
    const res = await sb.chat({ model: { provider: PROVIDER, model: 'on-promotion' }, messages: HI });
    expect(res.warnings.filter((warning) => warning.includes('retired'))).toEqual([]);
  });
});
