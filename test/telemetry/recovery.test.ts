/**
 * Stream recovery against real sockets: a loopback server speaking OpenAI Chat Completions SSE or
 * Anthropic Messages SSE cuts the first stream after N chunks by destroying the socket; the next
 * request (the continuation) is answered with the rest. The joined text must be exactly the full
 * text: nothing duplicated, nothing lost.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createSwitchboard,
  isResumable,
  type ResumedChatStream,
  resumeStream,
  type StreamEvent,
} from '@switchboard/core';
import { createAnthropic } from '@switchboard/provider-anthropic';
import { createOpenAI } from '@switchboard/provider-openai';
import { afterEach, describe, expect, it } from 'vitest';

const OPENAI_KEY = 'sk-test-0123456789abcdefghijklmnopqrstuvwxyz';
const ANTHROPIC_KEY = 'sk-ant-test-0123456789abcdefghijklmnopqrstuvwxyz';
const HI = [{ role: 'user' as const, content: 'Write three paragraphs.' }];
const FULL = 'Alpha beta gamma.\n\nDelta epsilon zeta.\n\nEta theta iota kappa.';
/** FULL in small pieces, so a cut can land inside a word and inside a paragraph break. */
const PIECES = [
  'Alpha ',
  'beta ',
  'gam',
  'ma.\n',
  '\nDelta ',
  'epsilon ',
  'ze',
  'ta.\n\n',
  'Eta ',
  'theta ',
  'iota ',
  'kappa.',
];

interface Recorded {
  url: string;
  body: Record<string, unknown>;
}
type Handler = (
  body: Record<string, unknown>,
  res: ServerResponse,
  req: IncomingMessage,
  index: number,
) => Promise<void>;

const servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(handler: Handler) {
  const requests: Recorded[] = [];
  const server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      raw += chunk;
    });
    req.on('end', () => {
      const body = JSON.parse(raw || '{}') as Record<string, unknown>;
      requests.push({ url: req.url ?? '', body });
      void handler(body, res, req, requests.length - 1);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const handle = {
    baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  servers.push(handle);
  return handle;
}

/** The `messages` of the n-th request a server received. */
function messagesOf(server: { requests: Recorded[] }, index: number): unknown {
  return (server.requests[index] as Recorded).body.messages;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** OpenAI SSE: `pieces` as deltas; `cutAfter` destroys the socket after that many; usage at the end. */
async function openaiStream(res: ServerResponse, req: IncomingMessage, pieces: string[], cutAfter?: number) {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
    `data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
  res.write(chunk({ role: 'assistant', content: '' }));
  for (const [index, piece] of pieces.entries()) {
    if (index === cutAfter) {
      await sleep(20);
      req.socket.destroy();
      return;
    }
    res.write(chunk({ content: piece }));
    await sleep(2);
  }
  res.write(chunk({}, 'stop'));
  res.write(
    `data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [], usage: { prompt_tokens: 20, completion_tokens: 10, total_tokens: 30 } })}\n\n`,
  );
  res.end('data: [DONE]\n\n');
}

/** Anthropic Messages SSE with input usage up front and output usage in `message_delta`. */
async function anthropicStream(
  res: ServerResponse,
  req: IncomingMessage,
  pieces: string[],
  usage: { input: number; output: number },
  cutAfter?: number,
) {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  const event = (type: string, data: Record<string, unknown>) =>
    `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
  res.write(
    event('message_start', {
      message: {
        id: 'msg_1',
        type: 'message',
        role: 'assistant',
        model: 'claude-sonnet-4-5-20250929',
        content: [],
        stop_reason: null,
        usage: { input_tokens: usage.input, output_tokens: 1 },
      },
    }),
  );
  res.write(event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }));
  for (const [index, piece] of pieces.entries()) {
    if (index === cutAfter) {
      await sleep(20);
      req.socket.destroy();
      return;
    }
    res.write(event('content_block_delta', { index: 0, delta: { type: 'text_delta', text: piece } }));
    await sleep(2);
  }
  res.write(event('content_block_stop', { index: 0 }));
  res.write(event('message_delta', { delta: { stop_reason: 'end_turn' }, usage: { output_tokens: usage.output } }));
  res.end(event('message_stop', {}));
}

async function collect(stream: AsyncIterable<StreamEvent>) {
  const events: StreamEvent[] = [];
  let text = '';
  for await (const event of stream) {
    events.push(event);
    if (event.type === 'text-delta') text += event.text;
  }
  return { events, text, last: events.at(-1) };
}

/** Splits `text` into pieces of at most 5 characters. */
function split(text: string): string[] {
  return text.match(/[\s\S]{1,5}/g) ?? [];
}

const openaiBoard = (baseURL: string) =>
  createSwitchboard({ providers: [createOpenAI({ apiKey: OPENAI_KEY, baseURL })] as const });
const anthropicBoard = (baseURL: string) =>
  createSwitchboard({ providers: [createAnthropic({ apiKey: ANTHROPIC_KEY, baseURL })] as const });

describe('resume over a continuation prompt (openai-chat, no assistant prefill)', () => {
  it('exact: continues from the exact character; the joined text is the full text', async () => {
    let partialSeen = '';
    const server = await serve(async (body, res, req, index) => {
      if (index === 0) return openaiStream(res, req, PIECES, 7);
      // The rest after exactly what the first stream delivered.
      const messages = body.messages as { role: string; content: string }[];
      const last = messages.at(-1) as { role: string; content: string };
      partialSeen = last.content.slice(
        last.content.indexOf('Your answer so far:\n\n') + 'Your answer so far:\n\n'.length,
      );
      return openaiStream(res, req, split(FULL.slice(partialSeen.length)));
    });
    const sb = openaiBoard(server.baseURL);
    const stream = sb.stream({ model: 'openai/gpt-4o-mini', messages: HI });
    const first = await collect(stream);
    expect(first.last?.type).toBe('error');
    expect(first.text).toBe(PIECES.slice(0, 7).join(''));

    const resumed = stream.resume({ strategy: 'exact' });
    expect(resumed.method).toBe('prompt');
    expect(resumed.kept).toBe(first.text);
    expect(resumed.dropped).toBe('');
    const second = await collect(resumed);
    expect(first.text + second.text).toBe(FULL);
    const response = await resumed.response;
    expect(response.text).toBe(FULL);
    expect(response.finishReason).toBe('stop');
    expect(response.usage).toMatchObject({ inputTokens: 20, outputTokens: 10, totalTokens: 30 });

    // The continuation request: the original messages, then one user message with the text so far verbatim.
    expect(server.requests).toHaveLength(2);
    const messages = messagesOf(server, 1) as { role: string; content: string }[];
    expect(messages).toHaveLength(2);
    expect(messages[0]).toMatchObject({ role: 'user', content: HI[0]?.content });
    expect(messages[1]?.role).toBe('user');
    expect(messages[1]?.content).toBe(
      `Continue exactly where you stopped; do not repeat anything. Your answer so far:\n\n${first.text}`,
    );
    expect(partialSeen).toBe(first.text);
  });

  it('paragraph: drops the incomplete paragraph and continues after the last complete one', async () => {
    const server = await serve(async (body, res, req, index) => {
      if (index === 0) return openaiStream(res, req, PIECES, 10); // ends inside the third paragraph
      const last = (body.messages as { content: string }[]).at(-1) as { content: string };
      const sofar = last.content.slice(last.content.indexOf('\n\n') + 2);
      return openaiStream(res, req, split(FULL.slice(sofar.length)));
    });
    const sb = openaiBoard(server.baseURL);
    const stream = sb.stream({ model: 'openai/gpt-4o-mini', messages: HI });
    const first = await collect(stream);
    expect(first.text).toBe('Alpha beta gamma.\n\nDelta epsilon zeta.\n\nEta theta ');

    const resumed = stream.resume({ strategy: 'paragraph' });
    expect(resumed.kept).toBe('Alpha beta gamma.\n\nDelta epsilon zeta.\n\n');
    expect(resumed.dropped).toBe('Eta theta ');
    const second = await collect(resumed);
    // What the consumer shows: its text minus the dropped paragraph, plus the new text.
    expect(first.text.slice(0, first.text.length - resumed.dropped.length) + second.text).toBe(FULL);
    expect((await resumed.response).text).toBe(FULL);
    const prompt = (messagesOf(server, 1) as { content: string }[]).at(-1)?.content ?? '';
    expect(prompt.endsWith('Delta epsilon zeta.\n\n')).toBe(true);
    expect(prompt).not.toContain('Eta');
  });

  it('paragraph with no complete paragraph restarts the original request', async () => {
    const server = await serve(async (_body, res, req, index) => {
      if (index === 0) return openaiStream(res, req, PIECES, 2);
      return openaiStream(res, req, split(FULL));
    });
    const sb = openaiBoard(server.baseURL);
    const stream = sb.stream({ model: 'openai/gpt-4o-mini', messages: HI });
    await collect(stream);
    const resumed = stream.resume({ strategy: 'paragraph' });
    expect(resumed.method).toBe('restart');
    expect(resumed.dropped).toBe('Alpha beta ');
    expect((await collect(resumed)).text).toBe(FULL);
    expect(messagesOf(server, 1)).toEqual(messagesOf(server, 0));
  });

  it('resumes again when the continuation is cut too (maxAttempts), and from the error object', async () => {
    const server = await serve(async (body, res, req, index) => {
      const last = (body.messages as { content: string }[]).at(-1) as { content: string };
      const marker = 'Your answer so far:\n\n';
      const sofar = index === 0 ? '' : last.content.slice(last.content.indexOf(marker) + marker.length);
      const rest = split(FULL.slice(sofar.length));
      return openaiStream(res, req, rest, index < 3 ? 3 : undefined);
    });
    const sb = openaiBoard(server.baseURL);
    const stream = sb.stream({ model: 'openai/gpt-4o-mini', messages: HI });
    let caught: unknown;
    try {
      await stream.response;
    } catch (error) {
      caught = error;
    }
    expect(isResumable(caught)).toBe(true);
    if (!isResumable(caught)) return;
    expect(caught.partial.text).toBe(FULL.slice(0, 15));

    // One continuation allowed: it is cut too, and its error resumes from the joined text.
    const once = caught.resume({ maxAttempts: 1 });
    const cut = await collect(once);
    expect(cut.last?.type).toBe('error');
    expect(cut.last?.type === 'error' && cut.last.partial.text).toBe(FULL.slice(0, 30));

    const rest: ResumedChatStream = resumeStream(sb, once, { maxAttempts: 5 });
    const done = await collect(rest);
    expect(FULL.slice(0, 30) + done.text).toBe(FULL);
    expect((await rest.response).text).toBe(FULL);
    expect(server.requests).toHaveLength(4);
  });

  it('refuses to resume a stream that has not failed', async () => {
    const server = await serve(async (_body, res, req) => openaiStream(res, req, split(FULL)));
    const sb = openaiBoard(server.baseURL);
    const stream = sb.stream({ model: 'openai/gpt-4o-mini', messages: HI });
    expect(() => stream.resume()).toThrow(/failed/);
    expect((await collect(stream)).text).toBe(FULL);
    expect(() => stream.resume()).toThrow(/failed/);
  });
});

describe('resume over assistant prefill (anthropic-messages)', () => {
  it('exact: sends the partial text as the trailing assistant turn and joins without loss', async () => {
    const server = await serve(async (body, res, req, index) => {
      if (index === 0) return anthropicStream(res, req, PIECES, { input: 40, output: 0 }, 5);
      const messages = body.messages as { role: string; content: { type: string; text: string }[] }[];
      const prefill = messages.at(-1)?.content[0]?.text ?? '';
      // Like the real API, the continuation starts right after the prefill (here: the cut-off separator).
      return anthropicStream(res, req, split(FULL.slice(prefill.length)), { input: 50, output: 12 });
    });
    const sb = anthropicBoard(server.baseURL);
    const stream = sb.stream({ model: 'anthropic/claude-sonnet-4-5', messages: HI });
    const first = await collect(stream);
    expect(first.text).toBe('Alpha beta gamma.\n\nDelta ');
    expect(first.last?.type === 'error' && first.last.partial.usage.inputTokens).toBe(40);

    const resumed = stream.resume();
    expect(resumed.method).toBe('prefill');
    const second = await collect(resumed);
    expect(first.text + second.text).toBe(FULL);
    const response = await resumed.response;
    expect(response.text).toBe(FULL);
    // Usage and cost are the sums of both parts.
    expect(response.usage.inputTokens).toBe(90);
    expect(response.usage.outputTokens).toBe(
      (first.last?.type === 'error' ? first.last.partial.usage.outputTokens : 0) + 12,
    );
    expect(response.cost?.total).toBeGreaterThan(0);
    const partialCost = first.last?.type === 'error' ? (first.last.partial.cost?.total ?? 0) : 0;
    const continuationOnly = response.cost?.total ?? 0;
    expect(continuationOnly).toBeGreaterThan(partialCost);

    // The second request ends with the partial assistant message (trailing whitespace cut off: the API rejects it).
    const messages = messagesOf(server, 1) as { role: string; content: { type: string; text: string }[] }[];
    expect(messages).toHaveLength(2);
    expect(messages.at(-1)).toEqual({
      role: 'assistant',
      content: [{ type: 'text', text: 'Alpha beta gamma.\n\nDelta' }],
    });
  });

  it('paragraph: prefills up to the last complete paragraph', async () => {
    const server = await serve(async (body, res, req, index) => {
      if (index === 0) return anthropicStream(res, req, PIECES, { input: 40, output: 0 }, 7);
      const messages = body.messages as { role: string; content: { type: string; text: string }[] }[];
      const prefill = messages.at(-1)?.content[0]?.text ?? '';
      return anthropicStream(res, req, split(FULL.slice(prefill.length)), { input: 50, output: 12 });
    });
    const sb = anthropicBoard(server.baseURL);
    const stream = sb.stream({ model: 'anthropic/claude-sonnet-4-5', messages: HI });
    const first = await collect(stream);
    expect(first.text).toBe('Alpha beta gamma.\n\nDelta epsilon ze');
    const resumed = stream.resume({ strategy: 'paragraph' });
    expect(resumed.dropped).toBe('Delta epsilon ze');
    const second = await collect(resumed);
    expect(resumed.kept + second.text).toBe(FULL);
    expect((await resumed.response).text).toBe(FULL);
    const messages = messagesOf(server, 1) as { role: string; content: { type: string; text: string }[] }[];
    expect(messages.at(-1)).toEqual({ role: 'assistant', content: [{ type: 'text', text: 'Alpha beta gamma.' }] });
  });

  it('a model that repeats nothing of the separator still joins cleanly', async () => {
    const server = await serve(async (_body, res, req, index) => {
      if (index === 0) return anthropicStream(res, req, PIECES, { input: 40, output: 0 }, 5);
      // The model leaves out the "\n\n"? No: here the cut was after "Delta ", and the model goes on with "epsilon".
      return anthropicStream(res, req, split(FULL.slice('Alpha beta gamma.\n\nDelta '.length)), {
        input: 1,
        output: 1,
      });
    });
    const sb = anthropicBoard(server.baseURL);
    const stream = sb.stream({ model: 'anthropic/claude-sonnet-4-5', messages: HI });
    const first = await collect(stream);
    const second = await collect(stream.resume());
    expect(first.text + second.text).toBe(FULL);
  });

  it('prefill: false forces the continuation prompt', async () => {
    const server = await serve(async (_body, res, req, index) => {
      if (index === 0) return anthropicStream(res, req, PIECES, { input: 40, output: 0 }, 5);
      return anthropicStream(res, req, split(FULL.slice('Alpha beta gamma.\n\nDelta '.length)), {
        input: 1,
        output: 1,
      });
    });
    const sb = anthropicBoard(server.baseURL);
    const stream = sb.stream({ model: 'anthropic/claude-sonnet-4-5', messages: HI });
    await collect(stream);
    const resumed = stream.resume({ prefill: false });
    expect(resumed.method).toBe('prompt');
    await collect(resumed);
    const messages = messagesOf(server, 1) as { role: string }[];
    expect(messages.at(-1)?.role).toBe('user');
  });
});
