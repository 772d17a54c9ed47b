/**
 * The structured-output mode comes from the model's catalog facts (issue 9, item 1): models the
 * catalog marks as lacking structured output never get `response_format: json_schema`, even on a
 * provider whose API has it. Read from the wire: each call goes through `sb.chat` with a schema to a
 * real local server, which refuses it (400) once the body has arrived; the mode is what the body asks
 * for (json_schema, a forced tool, JSON mode, or nothing but the schema in the system prompt).
 */
import type { ServerResponse } from 'node:http';
import { createSwitchboard } from '@switchboard/core';
import { createAnthropic } from '@switchboard/provider-anthropic';
import { createBedrock } from '@switchboard/provider-bedrock';
import { createGroq } from '@switchboard/provider-groq';
import { createOpenAI } from '@switchboard/provider-openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type LocalServer, startServer } from '../support/local-server.js';

type StructuredMode = 'json-schema' | 'tool' | 'json-object' | 'prompt';

let server: LocalServer;
beforeAll(async () => {
  server = await startServer((_request, res: ServerResponse) => {
    res.writeHead(400, { 'content-type': 'application/json' });
    res.end('{"error":{"type":"invalid_request_error","message":"refused: the test reads the request only"}}');
  });
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});

const switchboard = () => {
  const base = `http://127.0.0.1:${server.port}`;
  return createSwitchboard({
    providers: [
      createOpenAI({ apiKey: 'sk-structured-plan-0123456789', baseURL: `${base}/openai/v1` }),
      createGroq({ apiKey: 'gsk_structured_plan_0123456789', baseURL: `${base}/groq/openai/v1` }),
      createAnthropic({ apiKey: 'sk-ant-structured-plan-0123456789', baseURL: `${base}/anthropic` }),
      createBedrock(),
    ],
    env: {
      AWS_ACCESS_KEY_ID: 'AKIASTRUCTUREDPLAN01',
      AWS_SECRET_ACCESS_KEY: 'structured-plan-test-secret-key-0123456',
      AWS_REGION: 'us-east-1',
      BEDROCK_BASE_URL: `${base}/bedrock`,
    },
    retry: false,
  });
};

const person = z.object({ name: z.string(), age: z.number() });
const messages = [{ role: 'user' as const, content: 'Who wrote the first program?' }];

/** The mode an OpenAI-style, Anthropic or Bedrock Converse body asks for. */
function modeOf(body: Record<string, unknown>): StructuredMode {
  const responseFormat = body.response_format as { type?: string } | undefined;
  if (responseFormat?.type === 'json_schema') return 'json-schema';
  if (responseFormat?.type === 'json_object') return 'json-object';
  const toolChoice = body.tool_choice as { type?: string; name?: string; function?: { name?: string } } | undefined;
  if (toolChoice?.function?.name === 'person' || (toolChoice?.type === 'tool' && toolChoice.name === 'person'))
    return 'tool';
  const bedrockChoice = (body.toolConfig as { toolChoice?: { tool?: { name?: string } } } | undefined)?.toolChoice;
  if (bedrockChoice?.tool?.name === 'person') return 'tool';
  return 'prompt';
}

/** Calls `model` with a schema and returns the mode its wire body asks for, and the body. */
async function planFor(model: string): Promise<{ mode: StructuredMode; body: Record<string, unknown> }> {
  await expect(switchboard().chat({ model, messages, schema: person, schemaName: 'person' })).rejects.toThrow();
  expect(server.requests, `${model}: one request reached the server`).toHaveLength(1);
  const body = JSON.parse(server.requests[0]?.body ?? 'null') as Record<string, unknown>;
  return { mode: modeOf(body), body };
}

describe('structured output: the model decides', () => {
  it('gpt-4o has structured output: the native json_schema mode', async () => {
    expect((await planFor('openai/gpt-4o')).mode).toBe('json-schema');
  });

  it.each(['openai/gpt-3.5-turbo', 'openai/gpt-4', 'openai/gpt-4-turbo'])(
    '%s has tools but no structured output: a forced tool, though OpenAI declares json_schema',
    async (ref) => {
      expect((await planFor(ref)).mode).toBe('tool');
    },
  );

  it('groq llama-3.3-70b-versatile (tools, no structured output in the catalog): a forced tool', async () => {
    expect((await planFor('groq/llama-3.3-70b-versatile')).mode).toBe('tool');
  });

  it('a Groq model with structured output keeps json_schema', async () => {
    expect((await planFor('groq/meta-llama/llama-4-maverick-17b-128e-instruct')).mode).toBe('json-schema');
  });

  it('groq/compound (neither structured output nor tools; Groq has JSON mode): JSON mode', async () => {
    expect((await planFor('groq/groq/compound')).mode).toBe('json-object');
  });

  it('a Bedrock model with neither tools nor JSON mode: the schema in the prompt only', async () => {
    const { mode, body } = await planFor('bedrock/cohere.command-r-v1:0');
    expect(mode).toBe('prompt');
    expect(body.toolConfig).toBeUndefined();
    expect(JSON.stringify(body.system)).toContain('age');
  });

  it('a provider without a json_schema wire field (Anthropic) uses the forced tool even for capable models', async () => {
    expect((await planFor('anthropic/claude-sonnet-4-5')).mode).toBe('tool');
  });
});

describe('structured output for a model the catalog does not list', () => {
  it('keeps the provider-level choice: json_schema on OpenAI, a forced tool on Anthropic', async () => {
    expect((await planFor('openai/gpt-unlisted-structured-plan')).mode).toBe('json-schema');
    server.requests.length = 0;
    expect((await planFor('anthropic/claude-unlisted-structured-plan')).mode).toBe('tool');
  });
});
