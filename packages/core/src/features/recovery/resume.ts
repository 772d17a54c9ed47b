/**
 * Stream recovery: a stream cut midway (network error, timeout, a provider that drops the
 * connection) keeps the text it received in its error's `partial`; `resume()` continues the
 * generation from that text instead of starting over.
 *
 * - Where the model supports `assistant-prefill` (catalog capability; Anthropic, DeepSeek, ...) the
 *   kept text goes in as a trailing assistant message and the model continues it.
 * - Elsewhere a continuation prompt is appended: a user message holding the answer so far verbatim.
 *
 * Strategies: `exact` continues from the exact character; `paragraph` drops the incomplete last
 * paragraph and continues after the last complete one, so the joined text has no broken paragraph
 * (the resumed stream's `dropped` says what to remove from what was displayed); `summarize` asks the
 * model to continue from a summary of what it already said (made by the same model, or your
 * `summarize` function) plus its last words: for long answers whose text no longer fits the context.
 *
 * The resumed stream yields only new text; its final response's `text` is the full joined text and
 * its usage and cost are the sums of every part. When the continuation is cut too, it is resumed
 * again (from the exact character: the consumer already has that text) up to `maxAttempts` times.
 */
import type { Catalog } from '../../catalog/catalog.js';
import { SwitchboardError } from '../../errors/errors.js';
import { deriveStream, follow } from '../../resilience/middleware/derive-stream.js';
import { finishEvent } from '../../runtime/finish-event.js';
import { addCost, addUsage } from '../../runtime/usage.js';
import type { ChatRequest, ChatResponse, ChatStream, Message, ModelRef, StreamEvent } from '../../types/requests.js';
import { ContinuationAligner, resumePoint, splitTrailingWhitespace } from './text.js';

export type ResumeStrategy = 'exact' | 'paragraph' | 'summarize';

export interface ResumeOptions {
  /** `exact` (default): continue from the exact character; `paragraph`: from the last complete paragraph. */
  strategy?: ResumeStrategy;
  /** Continuation requests to make in all when continuations are cut again (default 3). */
  maxAttempts?: number;
  /**
   * `'auto'` (default): assistant prefill when the catalog says the model supports
   * `assistant-prefill`, a continuation prompt otherwise. `true` / `false` force one.
   */
  prefill?: boolean | 'auto';
  /** Builds the continuation prompt from the answer so far (default: {@link continuationPrompt}). */
  prompt?: (textSoFar: string) => string;
  /**
   * `summarize` strategy: makes the summary of the answer so far (default: the same model is asked
   * for one, in at most `summaryMaxTokens` tokens).
   */
  summarize?: (textSoFar: string, signal: AbortSignal) => Promise<string> | string;
  /** `summarize` strategy: the default summary's token limit (default 400). */
  summaryMaxTokens?: number;
  /** The original request, when the error or stream did not come from `sb.stream()`. */
  request?: ChatRequest;
}

/** What resuming needs from a switchboard (any `Switchboard` is one). */
export interface ResumeHost {
  stream(request: ChatRequest): ChatStream;
  readonly catalog: Pick<Catalog, 'modelSupports' | 'providerSupports'>;
}

/** A stream from `sb.stream()`: once it failed, `resume()` continues it. */
export interface ResumableChatStream<T = unknown> extends ChatStream<T> {
  /**
   * With `recovery: true`: the id `sb.resumeStream(recoveryId)` continues the stream by, from any
   * process sharing the store.
   */
  recoveryId?: string;
  /**
   * Continues the failed stream from its partial output (see {@link ResumeOptions}). Throws when the
   * stream has not failed (iterate it, or await `response`, until it ends first).
   */
  resume(options?: ResumeOptions): ResumedChatStream;
}

/** A continuation: yields only new text; `response.text` is the whole joined text. */
export interface ResumedChatStream extends ResumableChatStream {
  /** The text the continuation builds on (the partial text minus `dropped`). */
  readonly kept: string;
  /** The incomplete paragraph the `paragraph` strategy dropped ('' for `exact`): remove it from the display. */
  readonly dropped: string;
  /** How the generation is continued. */
  readonly method: ResumeMethod;
}

/** How a continuation is asked for. */
export type ResumeMethod = 'prefill' | 'prompt' | 'restart' | 'summary';

/** A stream error that can be resumed: `error.resume()` is `stream.resume()`. */
export interface ResumableError extends Error {
  partial: ChatResponse;
  resume(options?: ResumeOptions): ResumedChatStream;
}

/** The prompt asking for a summary of the answer so far (`summarize` strategy). */
export function summaryRequestPrompt(textSoFar: string): string {
  return `Summarize the following partial answer so that its writer can continue it without the full text: the points made, the structure, and where it stopped. Reply with the summary only.\n\n${textSoFar}`;
}

/** How many characters of the answer's end go with the summary (so the model knows the exact spot). */
const SUMMARY_TAIL_CHARS = 400;

/** The continuation prompt of the `summarize` strategy: the summary and the answer's last words. */
export function summaryContinuationPrompt(summary: string, textSoFar: string): string {
  const tail = textSoFar.length > SUMMARY_TAIL_CHARS ? `…${textSoFar.slice(-SUMMARY_TAIL_CHARS)}` : textSoFar;
  return `Your previous answer was cut off. A summary of what you already wrote:\n\n${summary.trim()}\n\nIt ended with:\n\n${tail}\n\nContinue exactly where it stopped; do not repeat anything.`;
}

/** The default continuation prompt: the text so far, verbatim. */
export function continuationPrompt(textSoFar: string): string {
  return `Continue exactly where you stopped; do not repeat anything. Your answer so far:\n\n${textSoFar}`;
}

interface Failure {
  error: Error;
  partial: ChatResponse;
}

interface Origin {
  host: ResumeHost;
  request: ChatRequest;
}

/** Errors of resumable streams -> where they came from. */
const origins = new WeakMap<object, Origin>();

/** True when `error` came from a failed switchboard stream and can be resumed. */
export function isResumable(error: unknown): error is ResumableError {
  return (
    error instanceof Error &&
    typeof (error as Partial<ResumableError>).resume === 'function' &&
    (error as Partial<ResumableError>).partial !== undefined
  );
}

function markResumable(error: Error, partial: ChatResponse, origin: Origin, replace = false): void {
  if (origins.has(error) && !replace) return;
  origins.set(error, origin);
  try {
    Object.defineProperty(error, 'resume', {
      value: (options?: ResumeOptions) => resumeStream(origin.host, error, options),
      enumerable: false,
      configurable: true,
      writable: true,
    });
    if (replace || (error as Partial<ResumableError>).partial === undefined)
      (error as ResumableError).partial = partial;
  } catch {
    // frozen errors: `resumeStream(sb, stream)` still works
  }
}

/** Wraps a stream so its failure is remembered, its error gets `resume()`, and it has `resume()`. */
class Resumable implements ResumableChatStream {
  /** How the stream failed, once it did. */
  failure: Failure | undefined;
  recoveryId?: string;
  private responsePromise: Promise<ChatResponse> | undefined;

  constructor(
    private readonly inner: ChatStream,
    readonly origin: Origin,
  ) {}

  get response(): Promise<ChatResponse> {
    if (this.responsePromise === undefined) {
      this.responsePromise = this.inner.response.catch((error: unknown) => {
        if (error instanceof Error) {
          const partial = (error as Partial<ResumableError>).partial;
          if (partial !== undefined) this.failed(error, partial);
        }
        throw error;
      });
      this.responsePromise.catch(() => undefined);
    }
    return this.responsePromise;
  }

  abort(reason?: unknown): void {
    this.inner.abort(reason);
  }

  [Symbol.asyncIterator](): AsyncIterator<StreamEvent> {
    const iterator = this.inner[Symbol.asyncIterator]();
    // A `then`, not an async function: one promise step less per event (issue 11).
    const seen = (result: IteratorResult<StreamEvent>): IteratorResult<StreamEvent> => {
      if (result.done !== true && result.value.type === 'error') this.failed(result.value.error, result.value.partial);
      return result;
    };
    return {
      next() {
        return iterator.next().then(seen);
      },
      async return(value?: unknown) {
        return (await iterator.return?.(value)) ?? { done: true, value: undefined };
      },
      async throw(error?: unknown) {
        if (iterator.throw !== undefined) return iterator.throw(error);
        throw error;
      },
    };
  }

  resume(options?: ResumeOptions): ResumedChatStream {
    if (this.failure === undefined)
      throw new Error('resume() needs a stream that failed: iterate it (or await `response`) until it ends first');
    return resumeFailure(this.origin, this.failure, options);
  }

  private failed(error: Error, partial: ChatResponse): void {
    this.failure ??= { error, partial };
    markResumable(error, partial, this.origin);
  }
}

/** Makes a switchboard stream resumable (`sb.stream()` returns one). */
export function resumable(stream: ChatStream, request: ChatRequest, host: ResumeHost): ResumableChatStream {
  return new Resumable(stream, { host, request });
}

/**
 * Resumes a failed stream, or the error it failed with: `resumeStream(sb, stream)`,
 * `resumeStream(sb, error)`. A stream or error that did not come from `sb.stream()` needs
 * `options.request` (the original request).
 */
export function resumeStream(
  sb: ResumeHost,
  failed: ChatStream | Error,
  options: ResumeOptions = {},
): ResumedChatStream {
  if (failed instanceof Resumable) {
    const failure = failed.failure;
    if (failure === undefined)
      throw new Error('resumeStream needs a stream that failed: iterate it (or await `response`) until it ends first');
    return resumeFailure({ host: sb, request: options.request ?? failed.origin.request }, failure, options);
  }
  if (!(failed instanceof Error))
    throw new Error('resumeStream needs a stream from sb.stream() that failed, or the error it failed with');
  const partial = (failed as Partial<ResumableError>).partial;
  if (partial === undefined) throw new Error('This error carries no partial response: there is nothing to resume');
  const request = options.request ?? originOf(failed)?.request;
  if (request === undefined)
    throw new Error('This error did not come from sb.stream(): pass the original request as `options.request`');
  return resumeFailure({ host: sb, request }, { error: failed, partial }, options);
}

function originOf(error: Error): Origin | undefined {
  return origins.get(error);
}

/** The provider id of a model reference (`'openai/gpt-4o'` -> `'openai'`), if it names one. */
function providerOfRef(model: ModelRef): string | undefined {
  if (typeof model !== 'string') return model.provider;
  const slash = model.indexOf('/');
  return slash > 0 ? model.slice(0, slash) : undefined;
}

/** The model the continuation must go to: the one that produced the partial text. */
function continuationModel(request: ChatRequest, partial: ChatResponse): ModelRef {
  if (partial.provider === '' || partial.model === '') return request.model;
  return providerOfRef(request.model) === partial.provider
    ? request.model
    : { provider: partial.provider, model: partial.model };
}

function supportsPrefill(host: ResumeHost, model: ModelRef, provider: string | undefined): boolean {
  try {
    return host.catalog.modelSupports(model, 'assistant-prefill');
  } catch {
    try {
      return provider !== undefined && host.catalog.providerSupports(provider, 'assistant-prefill');
    } catch {
      return false;
    }
  }
}

interface Plan {
  request: ChatRequest;
  method: ResumeMethod;
  /** Whitespace at the end of the kept text that the consumer already shows. */
  shownWhitespace: string;
}

/** The request that continues `kept`. */
function planContinuation(
  origin: Origin,
  partial: ChatResponse,
  kept: string,
  options: ResumeOptions,
  outputTokensSoFar: number,
): Plan {
  const base = origin.request;
  const model = continuationModel(base, partial);
  const request: ChatRequest = { ...base, model, fallback: [], cache: false };
  if (base.maxTokens !== undefined && outputTokensSoFar > 0)
    request.maxTokens = Math.max(1, base.maxTokens - outputTokensSoFar);
  if (kept === '') return { request, method: 'restart', shownWhitespace: '' };
  const provider = typeof model === 'string' ? providerOfRef(model) : model.provider;
  const prefill = options.prefill ?? 'auto';
  const usePrefill = prefill === 'auto' ? supportsPrefill(origin.host, model, provider) : prefill;
  const [visible, trailing] = splitTrailingWhitespace(kept);
  if (usePrefill && visible !== '') {
    // Providers reject a final assistant turn ending in whitespace: the separator is cut off the
    // prefill and lined up with what the model sends first.
    const messages: Message[] = [...base.messages, { role: 'assistant', content: visible }];
    return { request: { ...request, messages }, method: 'prefill', shownWhitespace: trailing };
  }
  const prompt = (options.prompt ?? continuationPrompt)(kept);
  const messages: Message[] = [...base.messages, { role: 'user', content: prompt }];
  return { request: { ...request, messages }, method: 'prompt', shownWhitespace: trailing };
}

/**
 * The `summarize` strategy's request: the original messages, then a user message holding the summary
 * of the answer so far and its last words. The summary call's usage and cost are returned to be
 * added to the joined response.
 */
async function planSummary(
  origin: Origin,
  partial: ChatResponse,
  kept: string,
  options: ResumeOptions,
  signal: AbortSignal,
): Promise<{ plan: Plan; summaryResponse: ChatResponse | undefined }> {
  const base = planContinuation(origin, partial, '', options, partial.usage.outputTokens);
  if (kept === '') return { plan: base, summaryResponse: undefined };
  let summary: string;
  let summaryResponse: ChatResponse | undefined;
  if (options.summarize !== undefined) summary = await options.summarize(kept, signal);
  else {
    const { maxTokens: _limit, ...rest } = base.request;
    const request: ChatRequest = {
      ...rest,
      messages: [{ role: 'user', content: summaryRequestPrompt(kept) }],
      maxTokens: options.summaryMaxTokens ?? 400,
      signal,
    };
    summaryResponse = await origin.host.stream(request).response;
    summary = summaryResponse.text;
  }
  const messages: Message[] = [
    ...origin.request.messages,
    { role: 'user', content: summaryContinuationPrompt(summary, kept) },
  ];
  const [, trailing] = splitTrailingWhitespace(kept);
  return {
    plan: { request: { ...base.request, messages }, method: 'summary', shownWhitespace: trailing },
    summaryResponse,
  };
}

/** Partial and continuation put together: joined text, summed usage and cost, every attempt. */
function joinResponses(before: ChatResponse, after: ChatResponse, text: string): ChatResponse {
  const beforeCost =
    before.cost === undefined && before.usage.totalTokens === 0 && after.cost !== undefined
      ? { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0, total: 0, currency: 'USD' as const }
      : before.cost;
  const cost = addCost(beforeCost, after.cost);
  const joined: ChatResponse = {
    ...after,
    text,
    usage: addUsage(before.usage, after.usage),
    latencyMs: before.latencyMs + after.latencyMs,
    warnings: [...new Set([...before.warnings, ...after.warnings])],
  };
  if (cost === undefined) delete joined.cost;
  else joined.cost = cost;
  if (before.reasoning !== undefined || after.reasoning !== undefined)
    joined.reasoning = (before.reasoning ?? '') + (after.reasoning ?? '');
  if (before.attempts !== undefined || after.attempts !== undefined)
    joined.attempts = [...(before.attempts ?? []), ...(after.attempts ?? [])];
  return joined;
}

/** Whether a cut continuation is worth continuing again. */
function canContinue(error: Error, signal: AbortSignal): boolean {
  if (signal.aborted) return false;
  return error instanceof SwitchboardError && (error.retryable || error.kind === 'network' || error.kind === 'timeout');
}

/**
 * Continues an answer from a partial response kept elsewhere (the store, for `sb.resumeStream(id)`).
 * `wrap` gets the continuation's stream and the text it builds on (to keep recording it).
 */
export function resumeFromPartial(
  host: ResumeHost,
  request: ChatRequest,
  partial: ChatResponse,
  options: ResumeOptions = {},
  wrap?: (stream: ChatStream, kept: string) => ChatStream,
): ResumedChatStream {
  const error = new Error('The stream was interrupted (its state was recovered from the store)');
  return resumeFailure({ host, request }, { error, partial }, options, wrap);
}

function resumeFailure(
  origin: Origin,
  failure: Failure,
  options: ResumeOptions = {},
  wrap?: (stream: ChatStream, kept: string) => ChatStream,
): ResumedChatStream {
  const strategy = options.strategy ?? 'exact';
  const maxAttempts = Math.max(1, options.maxAttempts ?? 3);
  const start = failure.partial;
  const { kept, dropped } = resumePoint(start.text, strategy === 'summarize' ? 'exact' : strategy);
  // The text before the resume point is kept with its usage; the dropped text was paid for too.
  const summarizing = strategy === 'summarize' && kept !== '';
  const first = planContinuation(origin, start, kept, options, start.usage.outputTokens);
  const identity = { provider: start.provider, model: start.model };
  const source = async function* (signal: AbortSignal): AsyncGenerator<StreamEvent> {
    let before: ChatResponse = { ...start, text: kept };
    let plan = first;
    if (summarizing) {
      const summarized = await planSummary(origin, start, kept, options, signal);
      plan = summarized.plan;
      // The summary call was paid for: its usage and cost count in the joined response.
      if (summarized.summaryResponse !== undefined)
        before = joinResponses(before, { ...summarized.summaryResponse, text: '', attempts: [] }, kept);
    }
    attempts: for (let attempt = 1; ; attempt += 1) {
      const aligner = new ContinuationAligner(plan.shownWhitespace);
      let text = before.text;
      for await (const event of follow(origin.host.stream(plan.request), signal)) {
        if (event.type === 'text-delta') {
          const out = aligner.push(event.text);
          if (out !== '') {
            text += out;
            yield { type: 'text-delta', text: out };
          }
          continue;
        }
        if (event.type === 'finish') {
          const rest = aligner.flush();
          if (rest !== '') {
            text += rest;
            yield { type: 'text-delta', text: rest };
          }
          const response = joinResponses(before, event.response, text);
          yield finishEvent(response);
          return;
        }
        if (event.type === 'error') {
          const rest = aligner.flush();
          if (rest !== '') {
            text += rest;
            yield { type: 'text-delta', text: rest };
          }
          const partial = joinResponses(before, event.partial, text);
          partial.finishReason = 'error';
          if (attempt < maxAttempts && canContinue(event.error, signal)) {
            // The consumer has all of `text`: continue from its exact end.
            before = partial;
            plan = planContinuation(origin, partial, text, options, partial.usage.outputTokens);
            continue attempts;
          }
          // The error resumes from the joined text with the original request.
          markResumable(event.error, partial, origin, true);
          yield { type: 'error', error: event.error, partial };
          return;
        }
        yield event;
      }
      // The inner stream always ends with finish or error; `deriveStream` reports anything else.
      return;
    }
  };

  const derived = deriveStream(source, identity);
  return new Resumed(
    wrap === undefined ? derived : wrap(derived, kept),
    origin,
    kept,
    dropped,
    summarizing ? 'summary' : first.method,
  );
}

class Resumed extends Resumable implements ResumedChatStream {
  constructor(
    inner: ChatStream,
    origin: Origin,
    readonly kept: string,
    readonly dropped: string,
    readonly method: ResumeMethod,
  ) {
    super(inner, origin);
  }
}
