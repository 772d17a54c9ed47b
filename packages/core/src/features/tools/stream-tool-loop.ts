/**
 * The tool loop of `sb.stream()` (tools with `execute` and `maxSteps` > 1), the streaming twin of
 * `tool-loop.ts` with the same rules: stream a step's events as they come, and when the step ends
 * with calls the loop can run, validate and run them, emit one `tool-result` event per call, and
 * stream the next step with the calls and results appended.
 *
 * A step's own `finish` event is not passed on (consumers take `finish` as the end); the one
 * `finish` at the end carries the final step's response with usage, cost and latency summed over
 * the steps, which is also what `response` resolves with. A step that fails ends the loop with that
 * step's `error` event; `resume()` continues that step (its request holds the earlier steps).
 */

import { LazyStream } from '../../runtime/lazy-stream.js';
import { toolsByName } from '../../runtime/tool-helpers.js';
import type { ChatRequest, ChatResponse, Message, StreamEvent } from '../../types/requests.js';
import type { ResumableChatStream, ResumedChatStream, ResumeOptions } from '../recovery/resume.js';
import {
  addStep,
  finalCalls,
  nextMessages,
  runCalls,
  runnableCalls,
  stepsExhaustedWarning,
  type ToolLoopOptions,
} from './tool-loop.js';

/** True when `sb.stream(request)` runs the tool loop: more than one step and tools to run. */
export function streamsToolLoop(request: ChatRequest): boolean {
  return (request.maxSteps ?? 1) > 1 && request.tools !== undefined;
}

class StreamToolLoop extends LazyStream implements ResumableChatStream {
  private abortReason: unknown;
  private aborted = false;
  /** The step streaming now (the first one is created at once, so a bad request throws at the call). */
  private current: ResumableChatStream;

  constructor(
    private readonly request: ChatRequest,
    private readonly startStep: (request: ChatRequest) => ResumableChatStream,
    private readonly options: ToolLoopOptions,
  ) {
    super();
    this.current = startStep(request);
  }

  abort(reason?: unknown): void {
    this.aborted = true;
    this.abortReason = reason ?? new DOMException('The stream was aborted', 'AbortError');
    this.current.abort(this.abortReason);
  }

  resume(options?: ResumeOptions): ResumedChatStream {
    return this.current.resume(options);
  }

  private fail(error: Error, partial: ChatResponse): StreamEvent {
    this.settleWithError(error);
    return { type: 'error', error, partial };
  }

  protected async *run(): AsyncGenerator<StreamEvent> {
    const request = this.request;
    const maxSteps = Math.max(1, request.maxSteps ?? 1);
    const tools = toolsByName(request.tools);
    let messages: Message[] = request.messages;
    let total: ChatResponse | undefined;
    try {
      for (let stepNumber = 1; ; stepNumber += 1) {
        if (stepNumber > 1) this.current = this.startStep({ ...request, messages });
        let response: ChatResponse | undefined;
        for await (const event of this.current) {
          if (event.type === 'error') {
            yield this.fail(event.error, event.partial);
            return;
          }
          if (event.type === 'finish') response = event.response;
          else yield event;
        }
        if (response === undefined) throw new Error('unreachable: a step stream ended without finish or error');
        total = addStep(total, response);
        if (runnableCalls(response.toolCalls, tools)) {
          if (stepNumber >= maxSteps) {
            let toolCalls: ChatResponse['toolCalls'];
            try {
              toolCalls = await finalCalls(response, tools);
            } catch (error) {
              yield this.fail(error as Error, total);
              return;
            }
            total = { ...total, toolCalls, warnings: [...total.warnings, stepsExhaustedWarning(maxSteps)] };
          } else {
            const results = await runCalls(response.toolCalls, tools, request, this.options);
            for (const result of results) yield { type: 'tool-result', ...result };
            if (this.aborted) {
              yield this.fail(asError(this.abortReason), total);
              return;
            }
            messages = nextMessages(messages, response, results);
            continue;
          }
        }
        this.settle(total);
        const finish: StreamEvent = {
          type: 'finish',
          finishReason: total.finishReason,
          usage: total.usage,
          response: total,
        };
        if (total.cost !== undefined) finish.cost = total.cost;
        yield finish;
        return;
      }
    } catch (error) {
      // A later step refused at its start (the request checks run again on the grown messages).
      if (total === undefined) {
        this.settleWithError(error);
        throw error;
      }
      yield this.fail(asError(error), total);
    } finally {
      if (!this.settled) {
        // The consumer stopped early: stop the step and settle `response`.
        if (!this.aborted) this.abort();
        this.settleWithError(asError(this.abortReason));
      }
    }
  }
}

function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}

/**
 * The stream of a tool loop. `startStep` opens one model stream (`sb.stream` without the loop);
 * the first is opened at once, so a request that fails validation throws here as `sb.stream` does.
 */
export function streamToolLoop(
  request: ChatRequest,
  startStep: (request: ChatRequest) => ResumableChatStream,
  options: ToolLoopOptions = {},
): ResumableChatStream {
  return new StreamToolLoop(request, startStep, options);
}
