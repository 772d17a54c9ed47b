/**
 * OpenTelemetry GenAI semantic conventions (https://opentelemetry.io/docs/specs/semconv/gen-ai/):
 * attribute names and the well-known `gen_ai.provider.name` values, kept as plain strings so core
 * does not depend on `@opentelemetry/semantic-conventions`.
 */
import { SwitchboardError } from '../../errors/errors.js';

export const ATTR = {
  operationName: 'gen_ai.operation.name',
  providerName: 'gen_ai.provider.name',
  /** Deprecated in favour of `gen_ai.provider.name`; still read by many backends. */
  system: 'gen_ai.system',
  requestModel: 'gen_ai.request.model',
  requestTemperature: 'gen_ai.request.temperature',
  requestMaxTokens: 'gen_ai.request.max_tokens',
  requestTopP: 'gen_ai.request.top_p',
  requestFrequencyPenalty: 'gen_ai.request.frequency_penalty',
  requestPresencePenalty: 'gen_ai.request.presence_penalty',
  requestSeed: 'gen_ai.request.seed',
  requestStopSequences: 'gen_ai.request.stop_sequences',
  requestEncodingFormats: 'gen_ai.request.encoding_formats',
  responseModel: 'gen_ai.response.model',
  responseId: 'gen_ai.response.id',
  responseFinishReasons: 'gen_ai.response.finish_reasons',
  usageInputTokens: 'gen_ai.usage.input_tokens',
  usageOutputTokens: 'gen_ai.usage.output_tokens',
  errorType: 'error.type',
  // Switchboard's own (no GenAI equivalent).
  attempt: 'switchboard.attempt',
  attempts: 'switchboard.attempts',
  deployment: 'switchboard.deployment',
  group: 'switchboard.model_group',
  cached: 'switchboard.cached',
  streaming: 'switchboard.streaming',
  costUsd: 'switchboard.cost_usd',
  timeToFirstTokenMs: 'switchboard.time_to_first_token_ms',
  tags: 'switchboard.tags',
} as const;

/** Switchboard provider ids -> `gen_ai.provider.name` well-known values (others pass through). */
const PROVIDER_NAMES: Readonly<Record<string, string>> = {
  openai: 'openai',
  'azure-openai': 'azure.ai.openai',
  anthropic: 'anthropic',
  gemini: 'gcp.gemini',
  bedrock: 'aws.bedrock',
  groq: 'groq',
  mistral: 'mistral_ai',
  perplexity: 'perplexity',
  xai: 'x_ai',
  deepseek: 'deepseek',
};

export function providerName(provider: string): string {
  return PROVIDER_NAMES[provider] ?? provider;
}

/** `chat` for chat and streams, `embeddings` for embeddings. */
export function operationName(operation: 'chat' | 'stream' | 'embed'): 'chat' | 'embeddings' {
  return operation === 'embed' ? 'embeddings' : 'chat';
}

/** `error.type`: the error's stable kind, else its class name. */
export function errorType(error: unknown): string {
  if (error instanceof SwitchboardError) return error.kind;
  if (error instanceof Error) return error.name === 'AbortError' ? 'aborted' : error.name || 'Error';
  return '_OTHER';
}
