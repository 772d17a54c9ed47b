/**
 * The fallback rule (`resilience/fallback-rules.ts`) against real local servers: providers configured
 * as vLLM, LM Studio, Ollama, OpenAI and Anthropic point at fault servers on 127.0.0.1. The default
 * rule falls back on everything but errors the request caused; `fallbackOn` (switchboard or call)
 * replaces it; `res.attempts` says why each target was left or kept.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import {
  AllTargetsFailedError,
  type AttemptRecord,
  ConfigurationError,
  createSwitchboard,
  InvalidRequestError,
  type SwitchboardOptions,
} from '@switchboard/core';
import { createAnthropic } from '@switchboard/provider-anthropic';
import { createLMStudio } from '@switchboard/provider-lmstudio';
import { createOllama } from '@switchboard/provider-ollama';
import { createOpenAI } from '@switchboard/provider-openai';
import { createVLLM } from '@switchboard/provider-vllm';
import { afterEach, describe, expect, it } from 'vitest';
import { type Fault, type FaultServer, startFaultServer } from './fault-server.js';
import { HI, OPENAI_KEY, recordingClock } from './helpers.js';

const servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});
async function start(faults: Fault[]) {
  const server = await startFaultServer(faults);
  servers.push(server);
  return server;
}

/** Anthropic's error type per status (https://docs.anthropic.com/en/api/errors). */
const ANTHROPIC_ERROR_TYPES: Record<number, string> = {
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  500: 'api_error',
  502: 'api_error',
  529: 'overloaded_error',
};

/** A loopback server answering every request with an Anthropic error body of `status`. */
async function startAnthropicErrors(status: number): Promise<FaultServer> {
  const requests: { path: string; body: unknown }[] = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      requests.push({ path: req.url ?? '', body: undefined });
      res.writeHead(status, { 'content-type': 'application/json', 'request-id': 'req_fallback_rules' });
      res.end(
        JSON.stringify({
          type: 'error',
          error: { type: ANTHROPIC_ERROR_TYPES[status] ?? 'api_error', message: `anthropic ${status}` },
        }),
      );
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  const handle: FaultServer = {
    baseURL: `http://127.0.0.1:${address.port}/v1`,
    requests,
    script() {
      throw new Error('an Anthropic error server has no script');
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  servers.push(handle);
  return handle;
}

const ANTHROPIC_KEY = 'sk-ant-api03-test0123456789abcdefghijklmnopqrstuvwxyz';

const VLLM = 'vllm/meta-llama/Llama-3.1-8B-Instruct';
const LMSTUDIO = 'lmstudio/qwen/qwen3-8b';
const OLLAMA = 'ollama/llama3.2';
const OPENAI = 'openai/gpt-4o-mini';
const ANTHROPIC = 'anthropic/claude-sonnet-4-5';

interface Servers {
  /** Serves the first target (vLLM, LM Studio, Ollama, Anthropic, or OpenAI when it is the first). */
  first: FaultServer;
  /** Serves OpenAI, the usual fallback. */
  openai: FaultServer;
}

type Providers = readonly [
  ReturnType<typeof createVLLM>,
  ReturnType<typeof createLMStudio>,
  ReturnType<typeof createOllama>,
  ReturnType<typeof createAnthropic>,
  ReturnType<typeof createOpenAI>,
];

/**
 * A switchboard whose local providers and Anthropic answer from `first` and OpenAI from `openai`.
 * The environment is empty: Anthropic has no key unless `anthropicKey` is given.
 */
function board(
  { first, openai }: Servers,
  options: Omit<SwitchboardOptions<Providers>, 'providers'> & { anthropicKey?: string } = {},
) {
  const { anthropicKey, ...rest } = options;
  return createSwitchboard({
    providers: [
      createVLLM({ baseURL: first.baseURL }),
      createLMStudio({ baseURL: first.baseURL }),
      // Ollama's native API lives at the server root (`/api/chat`), not under `/v1`.
      createOllama({ baseURL: first.baseURL.replace(/\/v1$/, '') }),
      createAnthropic({ baseURL: first.baseURL, ...(anthropicKey === undefined ? {} : { apiKey: anthropicKey }) }),
      createOpenAI({ apiKey: OPENAI_KEY, baseURL: openai.baseURL }),
    ] as const,
    env: {},
    clock: recordingClock(),
    ...rest,
  });
}

async function servePair(first: Fault[], openai: Fault[] = [{ type: 'ok', text: 'from openai' }]): Promise<Servers> {
  return { first: await start(first), openai: await start(openai) };
}

/** `provider:kind` per attempt, `ok` for the one that served. */
const trail = (attempts: AttemptRecord[] | undefined) =>
  (attempts ?? []).map((attempt) => `${attempt.provider}:${attempt.error?.kind ?? 'ok'}`);

describe('default rule: every error but those the request caused falls back', () => {
  for (const [name, model] of [
    ['vLLM', VLLM],
    ['LM Studio', LMSTUDIO],
    ['Ollama', OLLAMA],
  ] as const)
    it(`a 500 from ${name} (catalog: provider, not retryable) falls back to the next target`, async () => {
      const pair = await servePair([{ type: 'status', status: 500, message: 'CUDA out of memory' }]);
      const sb = board(pair);
      const res = await sb.chat({ model, messages: HI, fallback: [OPENAI] });
      expect(res.text).toBe('from openai');
      expect(res.provider).toBe('openai');
      expect(pair.first.requests).toHaveLength(1);
      const left = res.attempts?.[0];
      expect(left?.error).toMatchObject({ kind: 'provider', status: 500 });
      expect(left?.fallback).toMatchObject({
        outcome: 'fell-back',
        rule: 'default',
        kind: 'provider',
        status: 500,
        to: 'openai/gpt-4o-mini',
      });
      expect(left?.fallback?.reason).toBe(
        'provider 500 -> fell back to openai/gpt-4o-mini (server errors (500) fall back)',
      );
      expect(res.attempts?.[1]?.fallback).toBeUndefined();
    });

  it('401, 403, 404, 500, 502 and 529 from Anthropic each fall back', async () => {
    for (const status of [401, 403, 404, 500, 502, 529]) {
      const pair = { first: await startAnthropicErrors(status), openai: await start([{ type: 'ok' }]) };
      const sb = board(pair, { anthropicKey: ANTHROPIC_KEY, retry: false });
      const res = await sb.chat({ model: ANTHROPIC, messages: HI, fallback: [OPENAI] });
      expect(res.provider, `status ${status}`).toBe('openai');
      expect(res.attempts?.[0]?.fallback).toMatchObject({ outcome: 'fell-back', rule: 'default', status });
    }
  });

  it('a 401 is reported as authentication, and the attempt says the rule let it fall back', async () => {
    const pair = { first: await startAnthropicErrors(401), openai: await start([{ type: 'ok', text: 'from openai' }]) };
    const sb = board(pair, { anthropicKey: ANTHROPIC_KEY });
    const res = await sb.chat({ model: ANTHROPIC, messages: HI, fallback: [OPENAI] });
    expect(trail(res.attempts)).toEqual(['anthropic:authentication', 'openai:ok']);
    expect(res.attempts?.[0]?.fallback?.reason).toBe(
      'authentication 401 -> fell back to openai/gpt-4o-mini (authentication falls back)',
    );
  });

  it('a missing key on the first target (env var unset) falls back to the second, sending nothing to the first', async () => {
    const pair = await servePair([{ type: 'ok', text: 'anthropic must not be called' }]);
    const sb = board(pair);
    const res = await sb.chat({ model: ANTHROPIC, messages: HI, fallback: [OPENAI] });
    expect(res.text).toBe('from openai');
    expect(pair.first.requests).toHaveLength(0);
    expect(trail(res.attempts)).toEqual(['anthropic:configuration', 'openai:ok']);
    expect(res.attempts?.[0]?.error?.message).toContain('ANTHROPIC_API_KEY');
    expect(res.attempts?.[0]?.fallback).toMatchObject({ outcome: 'fell-back', kind: 'configuration' });
  });

  it('with one target, a missing key still ends the call with the ConfigurationError itself', async () => {
    const pair = await servePair([{ type: 'ok' }]);
    const sb = board(pair);
    await expect(sb.chat({ model: ANTHROPIC, messages: HI })).rejects.toBeInstanceOf(ConfigurationError);
  });

  it('invalid-request (400) does not fall back; the error carries the attempts, which say why', async () => {
    const pair = await servePair([{ type: 'status', status: 400, message: 'messages[0].role is invalid' }]);
    const sb = board(pair);
    const error = await sb.chat({ model: VLLM, messages: HI, fallback: [OPENAI] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error).toMatchObject({ kind: 'invalid-request', status: 400 });
    expect(pair.openai.requests).toHaveLength(0);
    const attempts = (error as InvalidRequestError).attempts;
    expect(attempts?.map((attempt) => attempt.fallback)).toEqual([
      {
        outcome: 'not-allowed',
        rule: 'default',
        kind: 'invalid-request',
        status: 400,
        reason:
          'invalid-request 400 -> not allowed (invalid-request is caused by the request; another target would refuse it too)',
      },
    ]);
  });

  it('a later target kept by the rule ends the call with its own error; the predicate saw each failed target', async () => {
    // vLLM fails with a 500 (falls back), OpenAI with a 400 (kept): LM Studio is never tried.
    const pair = await servePair([{ type: 'status', status: 500 }], [{ type: 'status', status: 400 }]);
    const seen: string[] = [];
    const sb = board(pair, {
      retry: false,
      fallbackOn: (error, context) => {
        seen.push(`${context.provider}/${context.model}#${context.attempt}`);
        return (error as { kind?: string }).kind !== 'invalid-request';
      },
    });
    const error = await sb
      .chat({ model: VLLM, messages: HI, fallback: [OPENAI, LMSTUDIO] })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: 'invalid-request', status: 400 });
    expect(seen).toEqual(['vllm/meta-llama/Llama-3.1-8B-Instruct#1', 'openai/gpt-4o-mini#1']);
    expect(pair.first.requests).toHaveLength(1);
    const decisions = (error as InvalidRequestError).attempts?.map(
      (attempt) => `${attempt.provider}:${attempt.fallback?.outcome}:${attempt.fallback?.rule}`,
    );
    expect(decisions).toEqual(['vllm:fell-back:fallbackOn', 'openai:not-allowed:fallbackOn']);
  });

  it('content-filter falls back only with fallbackOnContentFilter: true', async () => {
    // OpenAI refuses (its content_filter code); vLLM on the other server would answer.
    const pair = await servePair(
      [{ type: 'ok', text: 'from vllm' }],
      [{ type: 'status', status: 400, code: 'content_filter', message: 'filtered' }],
    );
    const sb = board(pair);
    const request = { model: OPENAI, messages: HI, fallback: [VLLM] };
    await expect(sb.chat(request)).rejects.toMatchObject({ kind: 'content-filter' });
    expect(pair.first.requests).toHaveLength(0);
    const res = await sb.chat({ ...request, fallbackOnContentFilter: true });
    expect(res.provider).toBe('vllm');
    expect(res.attempts?.[0]?.fallback).toMatchObject({ outcome: 'fell-back', rule: 'fallbackOnContentFilter' });
  });

  it('when every target fails, AllTargetsFailedError lists them and each attempt carries its decision', async () => {
    const pair = await servePair([{ type: 'status', status: 500 }], [{ type: 'status', status: 401 }]);
    const sb = board(pair, { retry: false });
    const error = await sb.chat({ model: OLLAMA, messages: HI, fallback: [OPENAI] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AllTargetsFailedError);
    const failed = error as AllTargetsFailedError;
    expect(failed.message).toContain('ollama/llama3.2 -> provider 500');
    expect(failed.message).toContain('openai/gpt-4o-mini -> authentication 401');
    expect(failed.attempts.map((attempt) => attempt.fallback?.outcome)).toEqual(['fell-back', 'no-target-left']);
  });

  it("the caller's abort never falls back, even when fallbackOn says yes to everything", async () => {
    const pair = await servePair([{ type: 'hang' }]);
    const sb = board(pair, { fallbackOn: () => true });
    const controller = new AbortController();
    const call = sb
      .chat({ model: VLLM, messages: HI, fallback: [OPENAI], signal: controller.signal })
      .catch((caught: unknown) => caught);
    while (pair.first.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    const error = await call;
    expect((error as Error).name).toBe('AbortError');
    expect(pair.openai.requests).toHaveLength(0);
  });
});

describe('fallbackOn replaces the default rule', () => {
  it("createSwitchboard({ fallbackOn: ['rate-limit'] }): a 429 falls back, a 500 ends the call", async () => {
    const pair = await servePair([{ type: 'status', status: 429, headers: { 'retry-after-ms': '10' } }]);
    const sb = board(pair, { retry: false, fallbackOn: ['rate-limit'] });
    const res = await sb.chat({ model: VLLM, messages: HI, fallback: [OPENAI] });
    expect(res.provider).toBe('openai');
    expect(res.attempts?.[0]?.fallback).toMatchObject({ outcome: 'fell-back', rule: 'fallbackOn', kind: 'rate-limit' });
    expect(res.attempts?.[0]?.fallback?.reason).toContain('fallbackOn lists rate-limit');

    pair.first.script([{ type: 'status', status: 500 }]);
    const error = await sb.chat({ model: VLLM, messages: HI, fallback: [OPENAI] }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: 'provider', status: 500 });
    expect(pair.openai.requests).toHaveLength(1);
  });

  it("a call's fallbackOn predicate overrides the switchboard's list, and sees the failed target", async () => {
    const pair = await servePair([{ type: 'status', status: 500 }]);
    const sb = board(pair, { retry: false, fallbackOn: ['rate-limit'] });
    const seen: unknown[] = [];
    const res = await sb.chat({
      model: VLLM,
      messages: HI,
      fallback: [OPENAI],
      fallbackOn: (error, context) => {
        seen.push({ status: (error as { status?: number }).status, ...context });
        return context.provider === 'vllm';
      },
    });
    expect(res.provider).toBe('openai');
    expect(seen).toEqual([{ status: 500, provider: 'vllm', model: 'meta-llama/Llama-3.1-8B-Instruct', attempt: 1 }]);
    expect(res.attempts?.[0]?.fallback).toMatchObject({ outcome: 'fell-back', rule: 'fallbackOn' });
    expect(res.attempts?.[0]?.fallback?.reason).toContain('the fallbackOn predicate returned true');
  });

  it("a call's predicate can also keep a call the default would move (429 kept); attempt counts retries", async () => {
    const pair = await servePair([{ type: 'status', status: 429, headers: { 'retry-after-ms': '10' } }]);
    const sb = board(pair, { retry: { maxRetries: 1 } });
    const counts: number[] = [];
    const error = await sb
      .chat({
        model: LMSTUDIO,
        messages: HI,
        fallback: [OPENAI],
        fallbackOn: (_error, { attempt }) => {
          counts.push(attempt);
          return false;
        },
      })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: 'rate-limit', status: 429 });
    expect(counts).toEqual([2]);
    expect(pair.first.requests).toHaveLength(2);
    expect(pair.openai.requests).toHaveLength(0);
  });

  it('a fallbackOn that is not a list of error kinds is refused with an error naming the field', async () => {
    const pair = await servePair([{ type: 'ok' }]);
    expect(() => board(pair, { fallbackOn: ['rate_limit'] as never })).toThrow(
      /fallbackOn lists "rate_limit", which is not an error kind \(one of: authentication, .*rate-limit/,
    );
    const sb = board(pair);
    await expect(
      sb.chat({ model: OPENAI, messages: HI, fallback: [VLLM], fallbackOn: 'provider' as never }),
    ).rejects.toMatchObject({ kind: 'invalid-request', message: expect.stringContaining('request.fallbackOn') });
    expect(pair.openai.requests).toHaveLength(0);
  });
});

describe('streams and embeddings follow the same rule', () => {
  it('a stream whose first target answers 500 (LM Studio) falls back before its first event', async () => {
    const pair = await servePair([{ type: 'status', status: 500 }], [{ type: 'ok', chunks: ['from ', 'openai'] }]);
    const sb = board(pair);
    const stream = sb.stream({ model: LMSTUDIO, messages: HI, fallback: [OPENAI] });
    let text = '';
    for await (const event of stream) if (event.type === 'text-delta') text += event.text;
    const res = await stream.response;
    expect(text).toBe('from openai');
    expect(trail(res.attempts)).toEqual(['lmstudio:provider', 'openai:ok']);
    expect(res.attempts?.[0]?.fallback).toMatchObject({ outcome: 'fell-back', rule: 'default', status: 500 });
  });

  it('a stream with a missing key on the first target falls back; with fallbackOn excluding configuration it does not', async () => {
    const pair = await servePair([{ type: 'ok' }], [{ type: 'ok', chunks: ['served'] }]);
    const sb = board(pair);
    const stream = sb.stream({ model: ANTHROPIC, messages: HI, fallback: [OPENAI] });
    const res = await stream.response;
    expect(res.text).toBe('served');
    expect(res.attempts?.[0]?.fallback).toMatchObject({ outcome: 'fell-back', kind: 'configuration' });

    const kept = sb.stream({ model: ANTHROPIC, messages: HI, fallback: [OPENAI], fallbackOn: ['provider'] });
    const events: string[] = [];
    for await (const event of kept) events.push(event.type);
    expect(events).toEqual(['error']);
    await expect(kept.response).rejects.toBeInstanceOf(ConfigurationError);
    expect(pair.openai.requests).toHaveLength(1);
  });

  it('a stream with an invalid request (400) ends with that error and does not fall back', async () => {
    const pair = await servePair([{ type: 'status', status: 400 }]);
    const sb = board(pair);
    const stream = sb.stream({ model: VLLM, messages: HI, fallback: [OPENAI] });
    await expect(stream.response).rejects.toMatchObject({ kind: 'invalid-request' });
    expect(pair.openai.requests).toHaveLength(0);
  });

  it('embed: a 500 from vLLM falls back; fallbackOn per call can stop it', async () => {
    const pair = await servePair([{ type: 'status', status: 500 }], [{ type: 'ok', text: '7' }]);
    const sb = board(pair, { retry: false });
    const res = await sb.embed({
      model: 'vllm/nomic-ai/nomic-embed-text-v1.5',
      input: ['a'],
      fallback: ['openai/text-embedding-3-small'],
    });
    expect(res.provider).toBe('openai');
    expect(res.embeddings[0]?.[0]).toBe(7);
    expect(res.attempts?.[0]?.fallback).toMatchObject({ outcome: 'fell-back', rule: 'default', status: 500 });

    const error = await sb
      .embed({
        model: 'vllm/nomic-ai/nomic-embed-text-v1.5',
        input: ['a'],
        fallback: ['openai/text-embedding-3-small'],
        fallbackOn: ['rate-limit'],
      })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: 'provider', status: 500 });
    expect(pair.openai.requests).toHaveLength(1);
  });
});
