/**
 * Shared set-up of the fault tests: switchboards over the fault server with generated providers,
 * and a clock whose sleep records the delays and returns at once (retry timing without waiting).
 */
import { createSwitchboard, type SwitchboardOptions } from '@switchboard/core';
import { createGroq } from '@switchboard/provider-groq';
import { createOpenAI } from '@switchboard/provider-openai';

export const OPENAI_KEY = 'sk-test-0123456789abcdefghijklmnopqrstuvwxyz';
export const GROQ_KEY = 'gsk_test0123456789abcdefghijklmnopqrstuvwxyz0123456789ab';

/** A controllable clock: `sleep` records and resolves at once, advancing `now`. */
export function recordingClock(start = 1_700_000_000_000) {
  const state = {
    time: start,
    delays: [] as number[],
    now: () => state.time,
    sleep: async (ms: number) => {
      state.delays.push(ms);
      state.time += ms;
    },
    random: () => 0,
    advance(ms: number) {
      state.time += ms;
    },
  };
  return state;
}

type Providers = readonly [ReturnType<typeof createOpenAI>, ReturnType<typeof createGroq>];

/** A switchboard with openai (and groq) pointed at fault servers. */
export function faultSwitchboard(
  openaiURL: string,
  groqURL: string = openaiURL,
  options: Omit<SwitchboardOptions<Providers>, 'providers'> = {},
) {
  return createSwitchboard({
    providers: [
      createOpenAI({ apiKey: OPENAI_KEY, baseURL: openaiURL }),
      createGroq({ apiKey: GROQ_KEY, baseURL: groqURL }),
    ] as const,
    ...options,
  });
}

export const HI = [{ role: 'user' as const, content: 'Hi' }];
