/**
 * Record, then replay, on every protocol family the issue names (openai-chat, anthropic, gemini,
 * ollama, bedrock with its binary event stream): chat, stream, a tool call and embeddings are
 * recorded through `@switchboard/testing`'s recorder on the default (undici) transport against a
 * local node:http provider serving the project's fixtures; the server is then closed and the file
 * replayed through both doors (undici via installReplay, fetch via MSW), in reverse order so each
 * request must find its own recording by body and URL. The replayed results equal the live ones,
 * and the key is nowhere in the file (every encoding is checked in test/security).
 */

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSwitchboard, defineProvider } from '@switchboard/core';
import type { RecordedExchange } from '@switchboard/testing';
import { installReplay, loadExchanges, recordExchanges, replayExchanges } from '@switchboard/testing';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalServer, type RecordedRequest, startServer } from '../support/local-server.js';
import { FAKE_AWS, type FixtureResponse, loadFixture, loadProvider, TRANSPORTS, transportOption } from './harness.js';

interface Family {
  provider: string;
  /** Fixtures for chat, stream, tool call and embeddings, in that order. */
  fixtures: { chat: string; stream: string; tools: string; embed: string };
  /** Key as the provider's own (for bedrock: the AWS secret access key). */
  key: string;
}

const FAMILIES: Family[] = [
  {
    provider: 'openai',
    fixtures: {
      chat: 'openai/chat-nonstream',
      stream: 'openai/chat-stream-text',
      tools: 'openai/chat-tool-call',
      embed: 'openai/embeddings-float',
    },
    key: 'sk-proj-RecordReplayOpenAI0123456789abcdefghijklmnop',
  },
  {
    provider: 'anthropic',
    fixtures: {
      chat: 'anthropic/messages-nonstream.ace',
      stream: 'anthropic/messages-stream-text.llm-anthropic',
      tools: 'anthropic/messages-tool-use-nonstream.pydantic-ai.0',
      embed: '',
    },
    key: 'sk-ant-api03-RecordReplayAnthropic0123456789abcdefghij',
  },
  {
    provider: 'gemini',
    fixtures: {
      chat: 'gemini/generate-nonstream.pydantic-ai',
      stream: 'gemini/stream-sse-text.pydantic-ai',
      tools: 'gemini/function-call-nonstream.pydantic-ai.0',
      embed: 'gemini/embeddings-batch.pydantic-ai',
    },
    key: 'AIzaSyRecordReplayGemini0123456789abcdefg',
  },
  {
    provider: 'ollama',
    fixtures: {
      chat: 'ollama/chat-nonstream.docs',
      stream: 'ollama/chat-stream.docs',
      tools: 'ollama/chat-tools-nonstream.docs',
      embed: 'ollama/embed.docs',
    },
    key: 'ollama-RecordReplayKey0123456789abcdef',
  },
  {
    provider: 'bedrock',
    fixtures: {
      chat: 'bedrock/converse-nonstream.pydantic-ai',
      stream: 'bedrock/converse-stream-text.pydantic-ai',
      tools: 'bedrock/converse-tool-use.synthesized',
      embed: 'bedrock/embed-titan-v2.synthesized',
    },
    key: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYRecordReplayKEY',
  },
];

type Kind = 'chat' | 'stream' | 'tools' | 'embed';
const KINDS: Kind[] = ['chat', 'stream', 'tools', 'embed'];
const HOP_BY_HOP = new Set(['content-length', 'transfer-encoding', 'connection', 'content-encoding']);

function writeFixture(res: ServerResponse, fixture: FixtureResponse): void {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(fixture.headers ?? {}))
    if (!HOP_BY_HOP.has(name.toLowerCase())) headers[name.toLowerCase()] = value;
  headers['content-type'] ??= fixture.body !== undefined ? 'application/json' : 'text/plain';
  res.writeHead(fixture.status ?? 200, headers);
  if (fixture.bodyBase64 !== undefined) res.end(Buffer.from(fixture.bodyBase64, 'base64'));
  else if (fixture.bodyText !== undefined) res.end(fixture.bodyText);
  else res.end(JSON.stringify(fixture.body ?? {}));
}

/** How many vectors an embeddings fixture answers with (the request sends that many inputs). */
function vectorCount(fixture: FixtureResponse): number {
  const body = fixture.body as { data?: unknown[]; embeddings?: unknown[] } | undefined;
  return body?.data?.length ?? body?.embeddings?.length ?? 1;
}

const WEATHER_TOOL = {
  name: 'get_weather',
  description: 'Weather in a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

/** What a call produced, without the volatile parts. */
interface Outcome {
  text?: string;
  toolCalls?: unknown;
  finishReason?: string;
  usage?: unknown;
  embeddings?: number[][];
}

function board(family: Family, baseURL: string, transport: (typeof TRANSPORTS)[number]) {
  const loaded = loadProvider(family.provider);
  const aws = loaded.descriptor.auth.type === 'aws-sigv4';
  const definition = defineProvider(
    { descriptor: loaded.descriptor as never, models: loaded.models, aliases: {} },
    { baseURL, ...(aws ? {} : { apiKey: family.key }) },
  );
  const env = aws
    ? {
        AWS_ACCESS_KEY_ID: FAKE_AWS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: family.key,
        AWS_SESSION_TOKEN: FAKE_AWS.sessionToken,
        AWS_REGION: 'us-east-1',
      }
    : {};
  return {
    sb: createSwitchboard({ providers: [definition], env, retry: false, cache: false, ...transportOption(transport) }),
    chatModel: `${family.provider}/${loaded.descriptor.defaultModel}`,
    embedModel: `${family.provider}/${loaded.descriptor.defaultEmbeddingModel ?? ''}`,
  };
}

async function call(
  family: Family,
  kind: Kind,
  baseURL: string,
  transport: (typeof TRANSPORTS)[number],
): Promise<Outcome> {
  const { sb, chatModel, embedModel } = board(family, baseURL, transport);
  const messages = [{ role: 'user' as const, content: `Record and replay: ${kind}` }];
  if (kind === 'embed') {
    const count = vectorCount(loadFixture(family.fixtures.embed).response);
    const input = Array.from({ length: count }, (_, i) => `text ${i}`);
    const res = await sb.embed({ model: embedModel as never, input });
    return { embeddings: res.embeddings };
  }
  const request = {
    model: chatModel as never,
    messages,
    ...(kind === 'tools' ? { tools: [WEATHER_TOOL] } : {}),
  };
  const res = kind === 'stream' ? await sb.stream(request).response : await sb.chat(request);
  return { text: res.text, toolCalls: res.toolCalls, finishReason: res.finishReason, usage: res.usage };
}

const kindsOf = (family: Family): Kind[] => KINDS.filter((kind) => family.fixtures[kind] !== '');

let dir: string;
const msw = setupServer();
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'switchboard-record-replay-'));
  msw.listen({ onUnhandledRequest: 'error' });
});
afterAll(async () => {
  msw.close();
  await rm(dir, { recursive: true, force: true });
});

describe.each(FAMILIES)('record then replay: $provider', (family) => {
  const file = () => join(dir, `${family.provider}.json`);
  const live = new Map<Kind, Outcome>();
  let server: LocalServer;
  let baseURL = '';

  beforeAll(async () => {
    const queue: FixtureResponse[] = [];
    server = await startServer((_request: RecordedRequest, res) => {
      const next = queue.shift();
      if (next === undefined) {
        res.writeHead(500).end('no fixture queued');
        return;
      }
      writeFixture(res, next);
    });
    baseURL = `http://127.0.0.1:${server.port}`;
    if (family.provider !== 'bedrock' && family.provider !== 'gemini' && family.provider !== 'ollama') baseURL += '/v1';
    if (family.provider === 'gemini') baseURL += '/v1beta';
    const recorder = recordExchanges({ enabled: true, secrets: [family.key] });
    const installed = recorder.install();
    try {
      for (const kind of kindsOf(family)) {
        queue.push(loadFixture(family.fixtures[kind]).response);
        live.set(kind, await call(family, kind, baseURL, 'undici'));
      }
    } finally {
      await installed.uninstall();
      await server.close();
    }
    await recorder.save(file());
  });

  it('records one exchange per call, the stream as chunks (SSE/NDJSON) or base64 (AWS event stream), no key', async () => {
    const text = await readFile(file(), 'utf8');
    const exchanges = JSON.parse(text) as RecordedExchange[];
    expect(exchanges).toHaveLength(kindsOf(family).length);
    const stream = exchanges[1]?.response;
    if (family.provider === 'bedrock') expect(stream?.bodyBase64).toBeTypeOf('string');
    else expect(stream?.chunks?.length).toBeGreaterThan(0);
    expect(text).not.toContain(family.key);
    // The live calls produced something worth comparing: text, a tool call, vectors.
    expect(live.get('chat')?.text).not.toBe('');
    expect(live.get('stream')?.text).not.toBe('');
    expect(live.get('tools')?.toolCalls).toEqual([expect.objectContaining({ name: expect.any(String) })]);
    if (live.has('embed')) expect(live.get('embed')?.embeddings?.[0]?.length).toBeGreaterThan(0);
    expect(server.requests).toHaveLength(kindsOf(family).length);
  });

  it.each(TRANSPORTS)('replays through %s, in reverse order, with the live results', async (transport) => {
    const exchanges = await loadExchanges(file());
    const installed = transport === 'undici' ? installReplay(exchanges) : undefined;
    if (transport === 'fetch') msw.resetHandlers(...replayExchanges(exchanges));
    try {
      for (const kind of [...kindsOf(family)].reverse())
        expect(await call(family, kind, baseURL, transport), kind).toEqual(live.get(kind));
    } finally {
      await installed?.uninstall();
      msw.resetHandlers();
    }
  });
});
