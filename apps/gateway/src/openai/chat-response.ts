/**
 * Switchboard's chat results in OpenAI's wire shapes: the `chat.completion` object, and the
 * `chat.completion.chunk` events of a stream (role first, text and tool-call deltas, a finish chunk,
 * the usage chunk when `stream_options.include_usage` asked, then `data: [DONE]`). The body keeps
 * OpenAI's `usage` and adds Switchboard's `cost`; `model` is the `provider/model` that answered.
 */
import type { ChatResponse, CostBreakdown, FinishReason, StreamEvent, Usage } from '@switchboard/core';

const FINISH: Record<FinishReason, string> = {
  stop: 'stop',
  length: 'length',
  'tool-calls': 'tool_calls',
  'content-filter': 'content_filter',
  error: 'stop',
  other: 'stop',
};

/** OpenAI's finish reason for core's. */
export function openAIFinishReason(reason: FinishReason): string {
  return FINISH[reason] ?? 'stop';
}

/** OpenAI's usage object for core's usage. */
export function openAIUsage(usage: Usage): Record<string, unknown> {
  const out: Record<string, unknown> = {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.totalTokens,
  };
  if (usage.cacheReadTokens !== undefined) out.prompt_tokens_details = { cached_tokens: usage.cacheReadTokens };
  if (usage.reasoningTokens !== undefined) out.completion_tokens_details = { reasoning_tokens: usage.reasoningTokens };
  return out;
}

/** Cost as the extra `cost` field: USD amounts per part. */
export function openAICost(cost: CostBreakdown | undefined): Record<string, unknown> | null {
  if (cost === undefined) return null;
  return {
    input_usd: cost.input,
    output_usd: cost.output,
    cache_read_usd: cost.cacheRead,
    cache_write_usd: cost.cacheWrite,
    reasoning_usd: cost.reasoning,
    total_usd: cost.total,
    currency: cost.currency,
  };
}

/** The provider's own logprobs, for OpenAI-style providers that returned them. */
function rawLogprobs(raw: unknown): unknown {
  const choices = (raw as { choices?: Array<{ logprobs?: unknown }> } | undefined)?.choices;
  return Array.isArray(choices) ? (choices[0]?.logprobs ?? null) : null;
}

/** A full `chat.completion` object. */
export function chatCompletion(response: ChatResponse, id: string, created: number): Record<string, unknown> {
  const message: Record<string, unknown> = {
    role: 'assistant',
    content: response.text === '' && response.toolCalls.length > 0 ? null : response.text,
    refusal: null,
  };
  if (response.toolCalls.length > 0) {
    message.tool_calls = response.toolCalls.map((call) => ({
      id: call.id,
      type: 'function',
      function: { name: call.name, arguments: JSON.stringify(call.arguments) },
    }));
  }
  if (response.reasoning !== undefined) message.reasoning_content = response.reasoning;
  return {
    id,
    object: 'chat.completion',
    created,
    model: `${response.provider}/${response.model}`,
    system_fingerprint: null,
    choices: [
      {
        index: 0,
        message,
        logprobs: rawLogprobs(response.raw),
        finish_reason: openAIFinishReason(response.finishReason),
      },
    ],
    usage: openAIUsage(response.usage),
    cost: openAICost(response.cost),
  };
}

/** What follows the delta object in a delta chunk. */
const DELTA_TAIL = ',"logprobs":null,"finish_reason":null}]}';

/**
 * Turns stream events into `chat.completion.chunk` JSON strings. One per stream: it remembers
 * which tool calls were announced so a provider that sends only whole `tool-call` events still
 * produces OpenAI's index/id/name/arguments deltas.
 */
export class ChunkWriter {
  private roleSent = false;
  private readonly announced = new Map<string, number>();
  private nextToolIndex = 0;
  private readonly prefix: string;
  /** Everything of a delta chunk before the delta object: the model is known until the finish. */
  private deltaHead: string;

  constructor(
    readonly id: string,
    readonly created: number,
    private model: string,
  ) {
    this.prefix = `{"id":${JSON.stringify(id)},"object":"chat.completion.chunk","created":${created},"model":`;
    this.deltaHead = `${this.prefix}${JSON.stringify(model)},"choices":[{"index":0,"delta":`;
  }

  /** The `data:` payloads for one event (none for events OpenAI has no chunk for). */
  write(event: StreamEvent): string[] {
    switch (event.type) {
      case 'text-delta':
        // The hot path of a stream: one JSON.stringify of the text between precomputed parts, the
        // same bytes as stringifying the chunk object (issue 11, cost per chunk).
        if (this.roleSent) return [`${this.deltaHead}{"content":${JSON.stringify(event.text)}}${DELTA_TAIL}`];
        return [this.delta({ content: event.text })];
      case 'reasoning-delta':
        return [this.delta({ reasoning_content: event.text })];
      case 'tool-call-delta': {
        const key = event.id ?? `#${event.index}`;
        let index = this.announced.get(key);
        const call: Record<string, unknown> = {};
        if (index === undefined) {
          index = this.nextToolIndex++;
          this.announced.set(key, index);
          this.announced.set(`#${event.index}`, index);
          call.id = event.id;
          call.type = 'function';
          call.function = { name: event.name ?? '', arguments: event.argumentsDelta };
        } else call.function = { arguments: event.argumentsDelta };
        return [this.delta({ tool_calls: [{ index, ...call }] })];
      }
      case 'tool-call': {
        if (this.announced.has(event.toolCall.id)) return [];
        const index = this.nextToolIndex++;
        this.announced.set(event.toolCall.id, index);
        return [
          this.delta({
            tool_calls: [
              {
                index,
                id: event.toolCall.id,
                type: 'function',
                function: { name: event.toolCall.name, arguments: JSON.stringify(event.toolCall.arguments) },
              },
            ],
          }),
        ];
      }
      case 'finish':
        this.model = `${event.response.provider}/${event.response.model}`;
        this.deltaHead = `${this.prefix}${JSON.stringify(this.model)},"choices":[{"index":0,"delta":`;
        return [this.finish(openAIFinishReason(event.finishReason))];
      default:
        return [];
    }
  }

  /** The trailing usage chunk (`choices: []`), sent when the client asked for usage. */
  usage(usage: Usage, cost: CostBreakdown | undefined): string {
    return `${this.prefix}${JSON.stringify(this.model)},"choices":[],"usage":${JSON.stringify(openAIUsage(usage))},"cost":${JSON.stringify(openAICost(cost))}}`;
  }

  private delta(delta: Record<string, unknown>): string {
    if (!this.roleSent) {
      this.roleSent = true;
      delta = { role: 'assistant', ...delta };
    }
    return `${this.deltaHead}${JSON.stringify(delta)}${DELTA_TAIL}`;
  }

  private finish(reason: string): string {
    const delta = this.roleSent ? {} : { role: 'assistant', content: '' };
    this.roleSent = true;
    return `${this.prefix}${JSON.stringify(this.model)},"choices":[{"index":0,"delta":${JSON.stringify(delta)},"logprobs":null,"finish_reason":${JSON.stringify(reason)}}]}`;
  }
}
