/**
 * Per-request overhead of a non-streamed chat completion against a local server (test/bench/server.ts):
 * raw `undici.request` + JSON parse (the baseline), global `fetch` + `json()`, the official `openai`
 * SDK, the `ai` SDK's `generateText` with `@ai-sdk/openai`, and `sb.chat`. Sequential requests,
 * interleaved rounds with a rotating order. Target: `sb.chat` median <= 1.3x raw undici.
 *
 * Measures the built packages (`pnpm -s turbo run build` first). Run it alone with
 * `node test/bench/http.ts [rounds] [perRound]`, or through `node test/bench/run.ts http`.
 */
import {
  CHAT_TEXT,
  type Contender,
  checkBuilt,
  MODEL,
  printLatencyTable,
  runInChild,
  runInterleaved,
  startServer,
} from './server.ts';

const API_KEY = 'sk-test-0123456789abcdefghijklmnopqrstuvwxyz';
const MESSAGES = [{ role: 'user' as const, content: 'Hi' }];

export async function run(): Promise<void> {
  await runInChild(import.meta.url);
}

async function main(): Promise<void> {
  const rounds = Number(process.argv[2] ?? 10);
  const perRound = Number(process.argv[3] ?? 200);
  await checkBuilt(['packages/core', 'packages/provider-openai']);
  const { request, Agent } = await import('undici');
  const { default: OpenAI } = await import('openai');
  const { generateText } = await import('ai');
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

  type Completion = { choices: { message: { content: string } }[] };
  const contenders: Contender[] = [
    {
      name: 'raw undici.request + JSON.parse',
      async once() {
        const res = await request(url, {
          method: 'POST',
          headers,
          body: JSON.stringify({ model: MODEL, messages: MESSAGES }),
          dispatcher: agent,
        });
        return ((await res.body.json()) as Completion).choices[0]?.message.content;
      },
    },
    {
      name: 'fetch + json()',
      async once() {
        const res = await fetch(url, {
          method: 'POST',
          headers,
          body: JSON.stringify({ model: MODEL, messages: MESSAGES }),
        });
        return ((await res.json()) as Completion).choices[0]?.message.content;
      },
    },
    {
      name: 'openai SDK chat.completions.create',
      async once() {
        return (await openaiClient.chat.completions.create({ model: MODEL, messages: MESSAGES })).choices[0]?.message
          .content;
      },
    },
    {
      name: 'ai SDK generateText',
      async once() {
        return (await generateText({ model: aiModel, messages: MESSAGES })).text;
      },
    },
    {
      name: 'sb.chat',
      async once() {
        return (await sb.chat({ model: 'openai/gpt-4o-mini', messages: MESSAGES })).text;
      },
    },
  ];

  for (const contender of contenders) {
    const text = await contender.once();
    if (text !== CHAT_TEXT) throw new Error(`${contender.name} returned ${JSON.stringify(text)}`);
  }
  console.log(
    `\nhttp: ${rounds} rounds x ${perRound} sequential requests per client (rotating order, 200 warm-up each)`,
  );
  const samples = await runInterleaved(contenders, { warmup: 200, rounds, perRound });
  printLatencyTable('Non-streamed chat completion, per request (ratios: vs raw undici)', samples);
  await server.close();
  await agent.close();
}

if (import.meta.main) await main();
