/**
 * What request validation costs per call, and why it is hand-written: the same checks as a zod 4
 * schema (`z.looseObject`, discriminated unions by role and part type, ranges, the tool name rule,
 * unique tool names) against `validateRequest` (src/runtime/validate-request.ts) on
 * realistic requests:
 *
 * - a plain 3-message chat (system, user, assistant history... the usual call, no tools);
 * - the same with 1 tool (the zod schema checks its shape; the hand-written step also looks up the
 *   compiled JSON Schema, a WeakMap hit after the first call);
 * - the hand-written step with 2 tools (schemas cached), the figure the issue asks for;
 * - 2 tools whose schema objects are rebuilt on every call (equal text: a cycle walk, JSON.stringify
 *   and a lookup in the text cache, no compile);
 * - the first call with a new JSON Schema: loading ajv and compiling (once per schema object).
 *
 * Both validators see the same objects and both accept them (checked before timing). Runs the
 * workspace sources: `./run node packages/core/bench/validate-request.ts`. It lives in core, next to
 * the code it times, because `validateRequest` is internal: benches outside core see only its public
 * exports (no deep imports, issue 15).
 */
import { type BenchResult, measure } from '../../../test/bench/measure.ts';

await import('../../../test/bench/source-hooks.ts');
const { validateRequest } = await import('../src/runtime/validate-request.ts');
const { z } = await import('zod');

const weatherParameters = {
  type: 'object',
  properties: { city: { type: 'string', description: 'City name' }, unit: { type: 'string', enum: ['c', 'f'] } },
  required: ['city'],
};
const timeParameters = { type: 'object', properties: { zone: { type: 'string' } }, required: ['zone'] };

const messages = [
  { role: 'system', content: 'You are a concise assistant.' },
  { role: 'user', content: 'What is the weather in Paris?' },
  { role: 'assistant', content: 'Let me check that for you.' },
];
const plain = { model: 'openai/gpt-4o', messages, temperature: 0.2, maxTokens: 256 };
const withOneTool = {
  ...plain,
  tools: [{ name: 'get_weather', description: 'Current weather', parameters: weatherParameters }],
};
const withTwoTools = {
  ...plain,
  tools: [
    { name: 'get_weather', description: 'Current weather', parameters: weatherParameters },
    { name: 'get_time', description: 'Local time', parameters: timeParameters },
  ],
  toolChoice: 'auto',
};

// The zod equivalent of validate-request.ts (the parts these requests exercise, and the rest of the fields).
const binary = z.union([z.string().min(1), z.instanceof(URL), z.instanceof(Uint8Array)]);
const textPart = z.looseObject({ type: z.literal('text'), text: z.string() });
const part = z.discriminatedUnion('type', [
  textPart,
  z.looseObject({
    type: z.literal('image'),
    image: binary.optional(),
    path: z.string().min(1).optional(),
    mediaType: z.string().min(1).optional(),
    detail: z.enum(['auto', 'low', 'high']).optional(),
  }),
  z.looseObject({
    type: z.literal('file'),
    data: binary,
    mediaType: z.string().min(1),
    filename: z.string().optional(),
  }),
]);
const toolCall = z.looseObject({
  id: z.string().min(1),
  name: z.string().min(1),
  arguments: z.record(z.string(), z.unknown()),
});
const message = z.discriminatedUnion('role', [
  z.looseObject({ role: z.literal('system'), content: z.string() }),
  z.looseObject({ role: z.literal('user'), content: z.union([z.string(), z.array(part).min(1)]) }),
  z.looseObject({
    role: z.literal('assistant'),
    content: z.union([z.string(), z.array(textPart), z.null()]),
    toolCalls: z.array(toolCall).optional(),
  }),
  z.looseObject({
    role: z.literal('tool'),
    toolCallId: z.string().min(1),
    content: z.string(),
    name: z.string().min(1).optional(),
  }),
]);
const modelRef = z.union([z.string().min(1), z.looseObject({ provider: z.string().min(1), model: z.string().min(1) })]);
const tool = z.looseObject({
  name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/),
  description: z.string().optional(),
  parameters: z.record(z.string(), z.unknown()),
  execute: z.function().optional(),
});
const chatRequest = z
  .looseObject({
    model: modelRef,
    messages: z.array(message).min(1),
    temperature: z.number().min(0).max(2).optional(),
    topP: z.number().min(0).max(1).optional(),
    maxTokens: z.int().positive().optional(),
    frequencyPenalty: z.number().min(-2).max(2).optional(),
    presencePenalty: z.number().min(-2).max(2).optional(),
    seed: z.int().optional(),
    stop: z.union([z.string().min(1), z.array(z.string().min(1)).max(16)]).optional(),
    reasoning: z
      .looseObject({
        effort: z.enum(['low', 'medium', 'high']).optional(),
        budgetTokens: z.int().positive().optional(),
      })
      .optional(),
    maxSteps: z.int().nonnegative().optional(),
    maxRetries: z.int().nonnegative().optional(),
    tools: z.union([z.array(tool), z.record(z.string(), tool)]).optional(),
    toolChoice: z.union([z.enum(['auto', 'none', 'required']), z.looseObject({ name: z.string().min(1) })]).optional(),
    schemaName: z
      .string()
      .regex(/^[a-zA-Z0-9_-]{1,64}$/)
      .optional(),
    fallback: z.array(modelRef).optional(),
    tags: z.array(z.string()).optional(),
    budget: z.string().min(1).optional(),
    requestId: z.string().min(1).optional(),
    headers: z.record(z.string(), z.string().optional()).optional(),
    providerOptions: z.record(z.string(), z.unknown()).optional(),
    trackCost: z.boolean().optional(),
    breaker: z.boolean().optional(),
  })
  .superRefine((request, context) => {
    if (!Array.isArray(request.tools)) return;
    const seen = new Set<string>();
    for (const [index, entry] of request.tools.entries()) {
      if (seen.has(entry.name))
        context.addIssue({ code: 'custom', path: ['tools', index, 'name'], message: 'repeated' });
      seen.add(entry.name);
    }
  });

// The first JSON Schema: loading ajv (require) plus one compile; then one more new schema (compile only).
const fresh = (): Record<string, unknown> => ({
  type: 'object',
  properties: { query: { type: 'string' }, limit: { type: 'integer', minimum: 1 } },
  required: ['query'],
});
let start = process.hrtime.bigint();
validateRequest('chat', { ...plain, tools: [{ name: 'search', parameters: fresh() }] });
const firstSchemaUs = Number(process.hrtime.bigint() - start) / 1000;
start = process.hrtime.bigint();
validateRequest('chat', {
  ...plain,
  tools: [{ name: 'search', parameters: { ...fresh(), description: 'a different schema text' } }],
});
const nextSchemaUs = Number(process.hrtime.bigint() - start) / 1000;

for (const request of [plain, withOneTool, withTwoTools]) {
  validateRequest('chat', request);
  const parsed = chatRequest.safeParse(request);
  if (!parsed.success) throw new Error(`the zod schema refuses a valid request: ${parsed.error.message}`);
}

/** Median and p99 per call, timed over batches of 100 calls (one call is below the timer's resolution). */
function perCall(name: string, fn: () => unknown): BenchResult {
  const batch = 100;
  const result = measure(
    name,
    () => {
      for (let i = 0; i < batch; i++) fn();
    },
    { warmup: 500, iterations: 5000 },
  );
  return {
    ...result,
    iterations: result.iterations * batch,
    medianUs: result.medianUs / batch,
    p99Us: result.p99Us / batch,
    meanUs: result.meanUs / batch,
  };
}

const results: BenchResult[] = [
  perCall('zod 4: plain 3-message chat', () => chatRequest.safeParse(plain)),
  perCall('hand-written: plain 3-message chat', () => validateRequest('chat', plain)),
  perCall('zod 4: 3 messages + 1 tool', () => chatRequest.safeParse(withOneTool)),
  perCall('hand-written: 3 messages + 1 tool', () => validateRequest('chat', withOneTool)),
  perCall('hand-written: 3 messages + 2 tools (cached)', () => validateRequest('chat', withTwoTools)),
  perCall('hand-written: 2 tools whose schemas are new objects each call', () =>
    validateRequest('chat', {
      ...plain,
      tools: [
        { name: 'get_weather', parameters: { ...weatherParameters } },
        { name: 'get_time', parameters: { ...timeParameters } },
      ],
    }),
  ),
];
console.log('\nRequest validation per call (timed over batches of 100 calls)');
for (const result of results)
  console.log(
    `${result.name.padEnd(46)} median ${result.medianUs.toFixed(3).padStart(6)} µs   p99 ${result.p99Us.toFixed(3).padStart(7)} µs`,
  );
console.log(
  `\nFirst request with a JSON Schema (ajv loaded + compiled): ${(firstSchemaUs / 1000).toFixed(1)} ms; ` +
    `a further new schema (compiled): ${(nextSchemaUs / 1000).toFixed(2)} ms; then cached per schema object.`,
);
