/**
 * Bedrock contract edge cases; the main cases (Converse, ConverseStream, tool calls, Titan and Cohere
 * embeddings, 403/404/429/400 errors) are the `tests:` of catalog/providers/bedrock.yaml, run by
 * catalog-cases.test.ts. Recorded and docs-synthesized exchanges (test/contract/fixtures/bedrock)
 * replayed by @switchboard/testing's engine and `createSwitchboard` on both transports (undici and fetch, named in each test) with the catalog's bedrock.yaml. Checks
 * the request sent (method, URL with the URL-encoded model id, SigV4 headers without the secret,
 * body) and the normalized result or error.
 */

import type { ChatStream, StreamEvent } from '@switchboard/core';
import { createSwitchboard, defineProvider } from '@switchboard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FixtureFile,
  loadFixture,
  loadProvider,
  type MockServer,
  startMockServer,
  TRANSPORTS,
  type TransportName,
  transportOption,
} from './harness.js';

const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYzzSECRETzz';
const SESSION = 'FwoGZXIvYXdzEXAMPLEsessionTOKEN';
const ENV = {
  AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
  AWS_SECRET_ACCESS_KEY: SECRET,
  AWS_SESSION_TOKEN: SESSION,
  AWS_REGION: 'us-east-1',
};
const provider = loadProvider('bedrock');
const SIGV4 =
  /^AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE\/\d{8}\/us-east-1\/bedrock\/aws4_request, SignedHeaders=(?:accept;)?content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token, Signature=[0-9a-f]{64}$/;

let mock: MockServer;
/** The transport of the describe block running (every block runs on each of TRANSPORTS). */
let current: TransportName = 'undici';
beforeAll(() => {
  mock = startMockServer();
});
afterAll(() => mock.close());

function switchboard(env: Record<string, string> = ENV) {
  const definition = defineProvider({ descriptor: provider.descriptor as never, models: provider.models, aliases: {} });
  return createSwitchboard({ providers: [definition], ...transportOption(current), env, retry: false });
}

function serve(name: string): FixtureFile {
  const fixture = loadFixture(`bedrock/${name}`);
  mock.reset();
  mock.serve(fixture.response, SECRET);
  return fixture;
}

function sent() {
  expect(mock.captured).toHaveLength(1);
  const req = mock.captured[0];
  if (!req) throw new Error('no request');
  return req;
}

/** SigV4 headers present, and the secret key nowhere in what was sent. */
function expectSigned(req: ReturnType<typeof sent>): void {
  expect(req.rawHeaders.authorization).toMatch(SIGV4);
  expect(req.rawHeaders['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
  expect(req.rawHeaders['x-amz-security-token']).toBe(SESSION);
  expect(req.rawHeaders['x-amz-content-sha256']).toMatch(/^[0-9a-f]{64}$/);
  expect(JSON.stringify(req.rawHeaders)).not.toContain(SECRET);
  expect(req.bodyText).not.toContain(SECRET);
  expect(req.url).not.toContain(SECRET);
}

async function drain(stream: ChatStream): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  for await (const e of stream) events.push(e);
  return events;
}

const USER_HELLO = [
  { role: 'system' as const, content: 'You are a chatbot.' },
  { role: 'user' as const, content: 'Hello!' },
];
const TOP_SONG = {
  name: 'top_song',
  description: 'Get the most popular song played on a radio station.',
  parameters: {
    type: 'object',
    properties: {
      sign: {
        type: 'string',
        description:
          'The call sign for the radio station for which you want the most popular song. Example calls signs are WZPZ and WKRP.',
      },
    },
    required: ['sign'],
  },
};

describe.each(TRANSPORTS)('[%s]', (transport) => {
  beforeAll(() => {
    current = transport;
  });

  describe('bedrock contract: chat', () => {
    it('counts cache tokens once with the duplicated ...Count fields (recorded body, vercel)', async () => {
      serve('converse-nonstream-cache-usage.vercel.json');
      const res = await switchboard().chat({
        model: 'bedrock/anthropic.claude-sonnet-4-5-20250929-v1:0',
        messages: [{ role: 'user', content: 'How many rs in strawberry?' }],
      });
      expect(sent().url).toBe(
        'https://bedrock-runtime.us-east-1.amazonaws.com/model/anthropic.claude-sonnet-4-5-20250929-v1%3A0/converse',
      );
      expect(res.usage).toEqual({
        inputTokens: 22,
        outputTokens: 57,
        totalTokens: 79,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
      });
      expect(res.text).toContain('There are **3** "r"s');
    });

    it('streaming ConverseStream (recorded eventstream, served in 64-byte chunks)', async () => {
      const fx = serve('converse-stream-text.pydantic-ai.json');
      const stream = switchboard().stream({
        model: 'bedrock/us.amazon.nova-micro-v1:0',
        messages: [
          { role: 'system', content: 'You are a helpful chatbot.' },
          { role: 'user', content: 'What is the capital of France?' },
        ],
        temperature: 0,
      });
      const events = await drain(stream);
      const res = await stream.response;
      const req = sent();
      expect(req.url).toBe(fx.request?.url);
      expect(req.rawHeaders.authorization).toContain('SignedHeaders=content-type;host;');
      expectSigned(req);
      expect(req.body).toEqual(fx.request?.body);
      expect(res.text).toBe(
        'The capital of France is Paris. Paris is not only the capital city but also the most populous city in France, and it is a major center for culture, commerce, fashion, and international diplomacy. Known for its historical landmarks, such as the Eiffel Tower, the Louvre Museum, and Notre-Dame Cathedral, Paris is often referred to as "The City of Light" or "The City of Love."',
      );
      expect(res).toMatchObject({
        finishReason: 'stop',
        rawFinishReason: 'end_turn',
        usage: { inputTokens: 13, outputTokens: 82, totalTokens: 95 },
      });
      expect(events.filter((e) => e.type === 'text-delta').length).toBeGreaterThan(5);
      expect(events.at(-1)?.type).toBe('finish');
    });

    it('tool call, streamed (input string deltas)', async () => {
      const fx = serve('converse-stream-tool-use.synthesized.json');
      const stream = switchboard().stream({
        model: 'bedrock/anthropic.claude-3-haiku-20240307-v1:0',
        messages: [{ role: 'user', content: 'What is the most popular song on WZPZ?' }],
        tools: [TOP_SONG],
        toolChoice: 'auto',
      });
      const events = await drain(stream);
      const res = await stream.response;
      const req = sent();
      expect(req.url).toBe(fx.request?.url);
      expect(req.body).toEqual(fx.request?.body);
      expect(res.text).toBe('Let me look that up.');
      expect(res.toolCalls).toEqual([
        { id: 'tooluse_kZJMlvQmRJ6eAyJE5GIl7Q', name: 'top_song', arguments: { sign: 'WZPZ' } },
      ]);
      expect(res).toMatchObject({
        finishReason: 'tool-calls',
        usage: { inputTokens: 375, outputTokens: 63, totalTokens: 438 },
      });
      expect(events.some((e) => e.type === 'tool-call-delta')).toBe(true);
    });

    it('an exception frame mid-stream fails the stream with the partial text', async () => {
      serve('converse-stream-throttling-exception.synthesized.json');
      const stream = switchboard().stream({
        model: 'bedrock/anthropic.claude-3-haiku-20240307-v1:0',
        messages: [{ role: 'user', content: 'Hello!' }],
      });
      const events: StreamEvent[] = [];
      try {
        for await (const e of stream) events.push(e);
      } catch {
        // the iterator may throw as well as emit the error event
      }
      const error = await stream.response.then(
        () => undefined,
        (e: unknown) => e as Record<string, unknown>,
      );
      expect(error).toMatchObject({
        kind: 'rate-limit',
        code: 'ThrottlingException',
        retryable: true,
        provider: 'bedrock',
      });
      const errorEvent = events.find((e) => e.type === 'error');
      if (errorEvent?.type === 'error') expect(errorEvent.partial.text).toBe('Hello');
    });

    it('sends a Bedrock API key (AWS_BEARER_TOKEN_BEDROCK) as a bearer token instead of signing', async () => {
      serve('converse-nonstream.pydantic-ai.json');
      const token = 'ABSKQmVkcm9ja0FQSUtleS1leGFtcGxlMTIzNDU2';
      await switchboard({ AWS_BEARER_TOKEN_BEDROCK: token, AWS_REGION: 'us-east-1' }).chat({
        model: 'bedrock/us.amazon.nova-micro-v1:0',
        messages: USER_HELLO,
      });
      const req = sent();
      expect(req.rawHeaders.authorization).toBe(`Bearer ${token}`);
      expect(req.rawHeaders['x-amz-date']).toBeUndefined();
    });
  });

  describe('bedrock contract: embeddings', () => {
    it('Titan: 3 inputs make 3 signed requests (model embedding.maxInputs: 1) and come back in order', async () => {
      expect(provider.models.find((m) => m.id === 'amazon.titan-embed-text-v2:0')?.embedding?.maxInputs).toBe(1);
      expect(provider.descriptor.limitations?.maxEmbeddingInputs).toBeGreaterThan(1);
      const inputs = ['first text', 'second, longer text', 'third'];
      // One recording per input, in reverse order: each request is answered by its own body (the
      // replay matches on it), so an out-of-order join or a body-blind replay would show.
      const url = `https://bedrock-runtime.us-east-1.amazonaws.com/model/${encodeURIComponent('amazon.titan-embed-text-v2:0')}/invoke`;
      mock.reset();
      mock.serveExchanges(
        inputs
          .map((inputText, i) => ({
            request: { method: 'POST', url, body: { inputText, normalize: true } },
            response: {
              status: 200,
              headers: { 'content-type': 'application/json' },
              body: { embedding: [i, i + 0.5], inputTextTokenCount: inputText.length },
            },
          }))
          .reverse(),
        SECRET,
      );
      const res = await switchboard().embed({ model: 'bedrock/amazon.titan-embed-text-v2:0', input: inputs });
      expect(mock.captured.map((r) => r.body)).toEqual(inputs.map((inputText) => ({ inputText, normalize: true })));
      for (const r of mock.captured) expect(r.rawHeaders.authorization).toMatch(SIGV4);
      expect(res.embeddings).toEqual([
        [0, 0.5],
        [1, 1.5],
        [2, 2.5],
      ]);
      expect(res.usage.inputTokens).toBe(inputs.join('').length);
    });
  });

  describe('bedrock contract: errors', () => {
    it.each([
      [
        'error-403-access-denied.synthesized.json',
        'permission',
        403,
        'AccessDeniedException',
        false,
        "You don't have access",
      ],
      [
        'error-503-service-unavailable.synthesized.json',
        'provider',
        503,
        'ServiceUnavailableException',
        true,
        'unable to process',
      ],
    ])('%s -> %s', async (name, kind, status, code, retryable, text) => {
      const fx = serve(name);
      const modelId = decodeURIComponent(new URL(String(fx.request?.url)).pathname.split('/')[2] ?? '');
      const error = await switchboard()
        .chat({ model: `bedrock/${modelId}`, messages: [{ role: 'user', content: 'Hello!' }] })
        .then(
          () => undefined,
          (e: unknown) => e as Record<string, unknown> & Error,
        );
      const req = sent();
      expect(req.url).toBe(fx.request?.url);
      expect(req.body).toEqual(fx.request?.body);
      expectSigned(req);
      expect(error).toMatchObject({
        kind,
        status,
        code,
        retryable,
        provider: 'bedrock',
        requestId: fx.response.headers?.['x-amzn-requestid'],
      });
      expect(error?.message).toContain(text);
      expect(error?.message).not.toContain(SECRET);
    });
  });
});
