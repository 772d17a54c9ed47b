/**
 * Time to consume a 1,000-chunk OpenAI SSE stream (test/bench/server.ts) as typed text events: raw
 * `undici.request` + line splitting + `JSON.parse` per chunk (the baseline), the `openai` SDK's stream
 * iteration, the `ai` SDK's `streamText` text stream, and `sb.stream`. Interleaved rounds with a
 * rotating order. Target: `sb.stream` <= 2.5x the baseline and faster than both SDKs.
 *
 * Measures the built packages (`pnpm -s turbo run build` first). Run it alone with
 * `node test/bench/stream.ts [rounds] [perRound]`, or through `node test/bench/run.ts stream`.
 */
import {
  type Contender,
  checkBuilt,
  MODEL,
  printLatencyTable,
  runInChild,
  runInterleaved,
  STREAM_CHUNKS,
  STREAM_TEXT,
  startServer,
} from './server.ts';

const API_KEY = 'sk-test-0123456789abcdefghijklmnopqrstuvwxyz';
const MESSAGES = [{ role: 'user' as const, content: 'Write a long story.' }];

export async function run(): Promise<void> {
  await runInChild(import.meta.url);
}

type TextDelta = { type: 'text-delta'; text: string };
type ChunkJson = { choices: { delta?: { content?: string | null } }[] };

/** The least a client can do: split `data:` lines, parse each chunk, yield its text as a typed event. */
async function* rawEvents(body: AsyncIterable<Uint8Array>): AsyncGenerator<TextDelta> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const bytes of body) {
    buffer += decoder.decode(bytes, { stream: true });
    let start = 0;
    let newline = buffer.indexOf('\n', start);
    while (newline !== -1) {
      if (buffer.startsWith('data: ', start)) {
        const data = buffer.slice(start + 6, newline);
        if (data === '[DONE]') return;
        const content = (JSON.parse(data) as ChunkJson).choices[0]?.delta?.content;
        if (content) yield { type: 'text-delta', text: content };
      }
      start = newline + 1;
      newline = buffer.indexOf('\n', start);
    }
    buffer = buffer.slice(start);
  }
}

async function main(): Promise<void> {
  const rounds = Number(process.argv[2] ?? 10);
  const perRound = Number(process.argv[3] ?? 20);
  await checkBuilt(['packages/core', 'packages/provider-openai']);
  const { request, Agent } = await import('undici');
  const { default: OpenAI } = await import('openai');
  const { streamText } = await import('ai');
  const aiSdk = await import('@ai-sdk/openai');
  const { createSwitchboard } = await import('@switchboard/core');
  const { createOpenAI } = await import('@switchboard/provider-openai');
  (globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;

  const server = await startServer();
  const url = `${server.baseURL}/chat/completions`;
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` };
  const agent = new Agent({ keepAliveTimeout: 60_000 });
  const openaiClient = new OpenAI({ apiKey: API_KEY, baseURL: server.baseURL });
  const aiModel = aiSdk.createOpenAI({ apiKey: API_KEY, baseURL: server.baseURL }).chat(MODEL);
  const sb = createSwitchboard({ providers: [createOpenAI({ apiKey: API_KEY, baseURL: server.baseURL })] });

  const contenders: Contender[] = [
    {
      name: 'raw undici + split lines + JSON.parse',
      async once() {
        const res = await request(url, {
          method: 'POST',
          headers,
          body: JSON.stringify({
            model: MODEL,
            messages: MESSAGES,
            stream: true,
            stream_options: { include_usage: true },
          }),
          dispatcher: agent,
        });
        let text = '';
        for await (const event of rawEvents(res.body)) if (event.type === 'text-delta') text += event.text;
        return text;
      },
    },
    {
      name: 'openai SDK stream',
      async once() {
        const stream = await openaiClient.chat.completions.create({
          model: MODEL,
          messages: MESSAGES,
          stream: true,
          stream_options: { include_usage: true },
        });
        let text = '';
        for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
        return text;
      },
    },
    {
      name: 'ai SDK streamText textStream',
      async once() {
        const result = streamText({ model: aiModel, messages: MESSAGES });
        let text = '';
        for await (const delta of result.textStream) text += delta;
        return text;
      },
    },
    {
      name: 'sb.stream',
      async once() {
        let text = '';
        for await (const event of sb.stream({ model: 'openai/gpt-4o-mini', messages: MESSAGES }))
          if (event.type === 'text-delta') text += event.text;
        return text;
      },
    },
  ];

  for (const contender of contenders) {
    const text = await contender.once();
    if (text !== STREAM_TEXT)
      throw new Error(`${contender.name} returned ${String(text).length} chars, not the stream's text`);
  }
  console.log(
    `\nstream: ${STREAM_CHUNKS}-chunk SSE stream, ${rounds} rounds x ${perRound} streams per client (rotating order, 20 warm-up each)`,
  );
  const samples = await runInterleaved(contenders, { warmup: 20, rounds, perRound });
  printLatencyTable(
    'Streamed chat completion, time to consume the whole stream (ratios: vs raw undici)',
    samples,
    'ms',
  );
  await server.close();
  await agent.close();
}

if (import.meta.main) await main();
