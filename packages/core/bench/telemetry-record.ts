/**
 * What telemetry's per-call recording costs, and how much of it the caller waits for. Two
 * switchboards on the built-in mock provider (no network, no delay), the same calls in interleaved
 * rounds: one without telemetry (the baseline), one with `telemetry: true` as the gateway runs it
 * (metrics on prom-client, the view, the history; no OpenTelemetry SDK, so no spans).
 *
 * Each sample is a batch of sequential `await sb.chat()` calls, then one `setImmediate` turn (where
 * queued observations are recorded). Two figures per call:
 *
 * - answer: until the last call's promise resolved (what a caller waits for);
 * - answer + recording: until the turn after the batch (the recording's whole CPU cost included).
 *
 * Each is shown as µs per call and as the added µs over the baseline in the same run, so runs on a
 * busy machine compare by those differences and ratios, not by absolute times. Runs the workspace
 * sources: `./run node packages/core/bench/telemetry-record.ts [rounds] [batch]`. It lives in core
 * next to the code it times, like validate-request.ts.
 */
await import('../../../test/bench/source-hooks.ts');
const { createSwitchboard, createMockProvider } = await import('../src/index.ts');

const rounds = Number(process.argv[2] ?? 300);
const batch = Number(process.argv[3] ?? 50);
const request = { model: 'mock/mock-chat', messages: [{ role: 'user' as const, content: 'Hi' }] };

const without = createSwitchboard({ providers: [createMockProvider()] });
const withTelemetry = createSwitchboard({ providers: [createMockProvider()], telemetry: true });
if (withTelemetry.telemetry?.registry === undefined) throw new Error('prom-client did not load: metrics are off');

type Switchboard = typeof without;
interface Sample {
  answerUs: number;
  totalUs: number;
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** One batch: µs per call until the answers, and until the turn after them. */
async function sampleOf(switchboard: Switchboard): Promise<Sample> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < batch; i++) await switchboard.chat(request);
  const answered = process.hrtime.bigint();
  await turn();
  const done = process.hrtime.bigint();
  return { answerUs: Number(answered - start) / 1000 / batch, totalUs: Number(done - start) / 1000 / batch };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};

for (let i = 0; i < 40; i++) {
  await sampleOf(without);
  await sampleOf(withTelemetry);
}
const off: Sample[] = [];
const on: Sample[] = [];
for (let round = 0; round < rounds; round++) {
  // Alternate which goes first, so neither always runs right after the other's garbage.
  if (round % 2 === 0) {
    off.push(await sampleOf(without));
    on.push(await sampleOf(withTelemetry));
  } else {
    on.push(await sampleOf(withTelemetry));
    off.push(await sampleOf(without));
  }
}
const snapshot = withTelemetry.telemetry?.snapshot();
const expected = (40 + rounds) * batch;
if (snapshot?.totals.requests !== expected)
  throw new Error(`the view counted ${snapshot?.totals.requests} calls, expected ${expected}`);

const offAnswer = median(off.map((sample) => sample.answerUs));
const offTotal = median(off.map((sample) => sample.totalUs));
const onAnswer = median(on.map((sample) => sample.answerUs));
const onTotal = median(on.map((sample) => sample.totalUs));
const line = (name: string, us: number, baseline: number) =>
  console.log(
    `${name.padEnd(44)} ${us.toFixed(2).padStart(7)} µs/call   +${(us - baseline).toFixed(2).padStart(6)} µs   x${(us / baseline).toFixed(3)}`,
  );
console.log(`\nsb.chat on the mock provider: median of ${rounds} interleaved batches of ${batch} sequential calls`);
line('no telemetry: answer', offAnswer, offAnswer);
line('telemetry: answer', onAnswer, offAnswer);
line('no telemetry: answer + next turn', offTotal, offTotal);
line('telemetry: answer + recording (next turn)', onTotal, offTotal);
await Promise.all([without.close(), withTelemetry.close()]);
