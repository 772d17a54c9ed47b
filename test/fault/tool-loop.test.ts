/**
 * The tool loop end to end: a loopback server plays the model (OpenAI chat completions, JSON and
 * SSE), createSwitchboard runs the loop. Proves that the model's arguments are validated before
 * `execute` (zod and JSON Schema), that a bad call goes back to the model as an error it can correct,
 * that a bad call with no step left fails with `invalid-response`, that `sb.stream` runs the same
 * loop with `tool-result` events, and that the helpers work against real responses.
 */

import { executeToolCalls, InvalidResponseError, type StreamEvent, tool, toolResultMessage } from '@switchboard/core';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type AnswerServer, type ReceivedRequest, type ScriptedAnswer, startAnswerServer } from './answer-server.js';
import { faultSwitchboard, OPENAI_KEY } from './helpers.js';

const MODEL = 'openai/gpt-4o-mini';
const ASK = [{ role: 'user' as const, content: 'Weather in Paris?' }];
const USAGE = { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 };

/** A chat completion that calls `name` with the argument text `args`. */
function callsTool(name: string, args: string, id = 'call_1'): ScriptedAnswer {
  return {
    body: JSON.stringify({
      id: 'chatcmpl-1',
      object: 'chat.completion',
      model: 'gpt-4o-mini',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: null,
            tool_calls: [{ id, type: 'function', function: { name, arguments: args } }],
          },
          finish_reason: 'tool_calls',
        },
      ],
      usage: USAGE,
    }),
  };
}

/** A chat completion that answers with text. */
function answers(text: string): ScriptedAnswer {
  return {
    body: JSON.stringify({
      id: 'chatcmpl-2',
      object: 'chat.completion',
      model: 'gpt-4o-mini',
      choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
      usage: USAGE,
    }),
  };
}

/** An SSE body of chunks (each a `delta` and an optional finish reason), then usage and [DONE]. */
function sse(chunks: { delta: Record<string, unknown>; finish?: string }[]): ScriptedAnswer {
  const lines = chunks.map(({ delta, finish }) =>
    JSON.stringify({
      id: 'chatcmpl-s',
      object: 'chat.completion.chunk',
      model: 'gpt-4o-mini',
      choices: [{ index: 0, delta, finish_reason: finish ?? null }],
    }),
  );
  lines.push(JSON.stringify({ id: 'chatcmpl-s', object: 'chat.completion.chunk', choices: [], usage: USAGE }));
  return {
    contentType: 'text/event-stream',
    body: `${lines.map((line) => `data: ${line}\n\n`).join('')}data: [DONE]\n\n`,
  };
}

function streamedCall(name: string, args: string, text = ''): ScriptedAnswer {
  return sse([
    ...(text === '' ? [] : [{ delta: { role: 'assistant', content: text } }]),
    {
      delta: { tool_calls: [{ index: 0, id: 'call_s', type: 'function', function: { name, arguments: '' } }] },
    },
    { delta: { tool_calls: [{ index: 0, function: { arguments: args } }] } },
    { delta: {}, finish: 'tool_calls' },
  ]);
}

function streamedText(...parts: string[]): ScriptedAnswer {
  return sse([...parts.map((part) => ({ delta: { content: part } })), { delta: {}, finish: 'stop' }]);
}

/** The tool messages the model was sent in a request. */
function toolMessages(request: ReceivedRequest | undefined): { tool_call_id: string; content: string }[] {
  const messages = (request?.body.messages ?? []) as { role: string; tool_call_id: string; content: string }[];
  return messages.filter((message) => message.role === 'tool');
}

let server: AnswerServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function scripted(...answers: ScriptedAnswer[]): Promise<AnswerServer> {
  server = await startAnswerServer((_request, index) => answers[Math.min(index, answers.length - 1)] as ScriptedAnswer);
  return server;
}

/** A weather tool that records what `execute` received. */
function weatherTool(parameters: 'zod' | 'json-schema') {
  const received: unknown[] = [];
  const definition =
    parameters === 'zod'
      ? tool({
          name: 'weather',
          parameters: z.object({ city: z.string() }),
          execute: ({ city }) => {
            received.push(city);
            return { city, sky: 'sunny' };
          },
        })
      : tool({
          name: 'weather',
          parameters: {
            type: 'object',
            properties: { city: { type: 'string' } },
            required: ['city'],
          },
          execute: (args) => {
            received.push(args.city);
            return { city: args.city, sky: 'sunny' };
          },
        });
  return { definition, received };
}

describe('sb.chat tool loop validates arguments', () => {
  for (const kind of ['zod', 'json-schema'] as const)
    it(`{ city: 42 } goes back to the model as an error; the corrected call runs execute with a string (${kind})`, async () => {
      const model = await scripted(
        callsTool('weather', '{"city":42}'),
        callsTool('weather', '{"city":"Paris"}', 'call_2'),
        answers('Sunny in Paris.'),
      );
      const { definition, received } = weatherTool(kind);
      const sb = faultSwitchboard(model.baseURL);
      const res = await sb.chat({ model: MODEL, messages: ASK, tools: [definition], maxSteps: 3 });

      expect(received).toEqual(['Paris']);
      expect(res.text).toBe('Sunny in Paris.');
      expect(res.usage.inputTokens).toBe(30);
      expect(res.usage.totalTokens).toBe(45);
      const [firstResult] = toolMessages(model.requests[1]);
      expect(firstResult?.tool_call_id).toBe('call_1');
      const error = (JSON.parse(firstResult?.content ?? '{}') as { error?: string }).error;
      expect(error).toMatch(/^Invalid arguments for tool 'weather': city: /);
      expect(toolMessages(model.requests[2])[1]?.content).toBe('{"city":"Paris","sky":"sunny"}');
    });

  it('arguments that are not JSON go back to the model too', async () => {
    const model = await scripted(
      callsTool('weather', '{"city": "Par'),
      callsTool('weather', '{"city":"Paris"}'),
      answers('ok'),
    );
    const { definition, received } = weatherTool('zod');
    const res = await faultSwitchboard(model.baseURL).chat({
      model: MODEL,
      messages: ASK,
      tools: [definition],
      maxSteps: 3,
    });
    expect(res.text).toBe('ok');
    expect(received).toEqual(['Paris']);
    expect(toolMessages(model.requests[1])[0]?.content).toMatch(/not valid JSON/);
  });

  it('with no step left, invalid arguments fail with invalid-response naming the tool and field', async () => {
    const model = await scripted(callsTool('weather', '{"city":42}'));
    const { definition, received } = weatherTool('zod');
    const error = await faultSwitchboard(model.baseURL)
      .chat({ model: MODEL, messages: ASK, tools: [definition], maxSteps: 2 })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidResponseError);
    const failure = error as InvalidResponseError;
    expect(failure.kind).toBe('invalid-response');
    expect(failure.message).toContain("tool 'weather'");
    expect(failure.body).toMatchObject({ tool: 'weather', field: 'city' });
    expect(failure.provider).toBe('openai');
    expect(model.requests).toHaveLength(2);
    expect(received).toEqual([]);
  });

  it('with no step left, valid calls come back unrun with parsed arguments and a warning', async () => {
    const model = await scripted(callsTool('weather', '{"city":"Paris"}'));
    const { definition, received } = weatherTool('zod');
    const res = await faultSwitchboard(model.baseURL).chat({
      model: MODEL,
      messages: ASK,
      tools: [definition],
      maxSteps: 2,
    });
    expect(received).toEqual(['Paris']);
    expect(res.toolCalls).toEqual([{ id: 'call_1', name: 'weather', arguments: { city: 'Paris' } }]);
    expect(res.warnings.some((warning) => warning.includes('maxSteps'))).toBe(true);
  });

  it("a handler that throws: its message goes back to the model as a tool error, without the provider's key", async () => {
    const model = await scripted(callsTool('weather', '{"city":"Paris"}'), answers('Sorry, no data.'));
    const failing = tool({
      name: 'weather',
      parameters: z.object({ city: z.string() }),
      execute: () => {
        throw new Error(`weather API refused ${OPENAI_KEY}`);
      },
    });
    const res = await faultSwitchboard(model.baseURL).chat({
      model: MODEL,
      messages: ASK,
      tools: [failing],
      maxSteps: 2,
    });
    expect(res.text).toBe('Sorry, no data.');
    const content = toolMessages(model.requests[1])[0]?.content ?? '';
    expect(JSON.parse(content)).toEqual({ error: 'weather API refused [redacted]' });
    expect(content).not.toContain(OPENAI_KEY.slice(3, 20));
  });
});

describe('sb.stream runs the tool loop', () => {
  it("streams step 1's events, a tool-result, then step 2's text; response sums usage over the steps", async () => {
    const model = await scripted(
      streamedCall('weather', '{"city":"Paris"}', 'Checking. '),
      streamedText('Sunny ', 'in Paris.'),
    );
    const { definition, received } = weatherTool('zod');
    const stream = faultSwitchboard(model.baseURL).stream({
      model: MODEL,
      messages: ASK,
      tools: [definition],
      maxSteps: 3,
    });
    const events: StreamEvent[] = [];
    for await (const event of stream) events.push(event);

    const kinds = events.map((event) => event.type).filter((type) => type !== 'tool-call-delta');
    expect(kinds).toEqual(['text-delta', 'tool-call', 'tool-result', 'text-delta', 'text-delta', 'finish']);
    expect(events.find((event) => event.type === 'tool-call')).toMatchObject({
      toolCall: { name: 'weather', arguments: { city: 'Paris' } },
    });
    expect(events.find((event) => event.type === 'tool-result')).toEqual({
      type: 'tool-result',
      toolCallId: 'call_s',
      name: 'weather',
      result: { city: 'Paris', sky: 'sunny' },
      isError: false,
    });
    expect(received).toEqual(['Paris']);

    const response = await stream.response;
    expect(response.text).toBe('Sunny in Paris.');
    expect(response.usage).toMatchObject({ inputTokens: 20, outputTokens: 10, totalTokens: 30 });
    expect(events.at(-1)).toMatchObject({ type: 'finish', usage: response.usage });
    expect(model.requests).toHaveLength(2);
    expect(model.requests[1]?.body.stream).toBe(true);
    expect(toolMessages(model.requests[1])[0]?.content).toBe('{"city":"Paris","sky":"sunny"}');
  });

  it('a bad streamed call comes back to the model as an error result, and the corrected one runs', async () => {
    const model = await scripted(
      streamedCall('weather', '{"city":42}'),
      streamedCall('weather', '{"city":"Paris"}'),
      streamedText('Done.'),
    );
    const { definition, received } = weatherTool('json-schema');
    const stream = faultSwitchboard(model.baseURL).stream({
      model: MODEL,
      messages: ASK,
      tools: [definition],
      maxSteps: 3,
    });
    const results: StreamEvent[] = [];
    for await (const event of stream) if (event.type === 'tool-result') results.push(event);
    expect(results.map((event) => (event as { isError: boolean }).isError)).toEqual([true, false]);
    expect(results[0]).toMatchObject({
      result: {
        error:
          "Invalid arguments for tool 'weather': city: must be string. Call the tool again with corrected arguments.",
      },
    });
    expect(received).toEqual(['Paris']);
    expect((await stream.response).text).toBe('Done.');
  });

  it('with no step left, a bad streamed call ends the stream with invalid-response', async () => {
    const model = await scripted(streamedCall('weather', '{"city":42}'));
    const { definition } = weatherTool('zod');
    const stream = faultSwitchboard(model.baseURL).stream({
      model: MODEL,
      messages: ASK,
      tools: [definition],
      maxSteps: 2,
    });
    const events: StreamEvent[] = [];
    for await (const event of stream) events.push(event);
    const last = events.at(-1);
    expect(last?.type).toBe('error');
    await expect(stream.response).rejects.toBeInstanceOf(InvalidResponseError);
    await expect(stream.response).rejects.toMatchObject({ body: { tool: 'weather', field: 'city' } });
    expect(model.requests).toHaveLength(2);
  });

  it('awaiting only `response` runs the loop too', async () => {
    const model = await scripted(streamedCall('weather', '{"city":"Oslo"}'), streamedText('Cold.'));
    const { definition, received } = weatherTool('zod');
    const response = await faultSwitchboard(model.baseURL).stream({
      model: MODEL,
      messages: ASK,
      tools: [definition],
      maxSteps: 2,
    }).response;
    expect(response.text).toBe('Cold.');
    expect(received).toEqual(['Oslo']);
  });
});

describe('stopping a streaming tool loop', () => {
  it('a consumer that stops after a tool result starts no further step, and `response` rejects', async () => {
    const model = await scripted(streamedCall('weather', '{"city":"Paris"}'), streamedText('never sent'));
    const { definition, received } = weatherTool('zod');
    const stream = faultSwitchboard(model.baseURL).stream({
      model: MODEL,
      messages: ASK,
      tools: [definition],
      maxSteps: 3,
    });
    for await (const event of stream) if (event.type === 'tool-result') break;
    await expect(stream.response).rejects.toThrow();
    expect(received).toEqual(['Paris']);
    expect(model.requests).toHaveLength(1);
  });

  it('abort() while a tool runs ends the stream with an error event before the next step', async () => {
    const model = await scripted(streamedCall('weather', '{"city":"Paris"}'), streamedText('never sent'));
    let abortStream: () => void = () => undefined;
    const aborting = tool({
      name: 'weather',
      parameters: z.object({ city: z.string() }),
      execute: ({ city }) => {
        abortStream();
        return city;
      },
    });
    const stream = faultSwitchboard(model.baseURL).stream({
      model: MODEL,
      messages: ASK,
      tools: [aborting],
      maxSteps: 3,
    });
    abortStream = () => stream.abort();
    const kinds: string[] = [];
    for await (const event of stream) kinds.push(event.type);
    expect(kinds.slice(-2)).toEqual(['tool-result', 'error']);
    await expect(stream.response).rejects.toThrow(/aborted/);
    expect(model.requests).toHaveLength(1);
  });
});

describe('helpers over a real response', () => {
  it('executeToolCalls + toolResultMessage answer the calls of a maxSteps 1 chat', async () => {
    const model = await scripted(callsTool('weather', '{"city":"Paris"}'), answers('Sunny.'));
    const { definition, received } = weatherTool('zod');
    const sb = faultSwitchboard(model.baseURL);
    const first = await sb.chat({ model: MODEL, messages: ASK, tools: [definition] });
    expect(received).toEqual([]);
    const results = await executeToolCalls(first.toolCalls, [definition]);
    expect(results).toEqual([
      { toolCallId: 'call_1', name: 'weather', result: { city: 'Paris', sky: 'sunny' }, isError: false },
    ]);
    const second = await sb.chat({
      model: MODEL,
      messages: [
        ...ASK,
        { role: 'assistant', content: null, toolCalls: first.toolCalls },
        ...first.toolCalls.map((call, index) => toolResultMessage(call, results[index])),
      ],
      tools: [definition],
    });
    expect(second.text).toBe('Sunny.');
    expect(toolMessages(model.requests[1])).toEqual([
      expect.objectContaining({ tool_call_id: 'call_1', content: '{"city":"Paris","sky":"sunny"}' }),
    ]);
  });
});
