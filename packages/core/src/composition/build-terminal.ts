/**
 * The terminal stages of the pipeline: where a call, its target chosen, reaches the protocol
 * adapters (chat, stream, embed), noting its target's warnings and its outcome for health.
 */
import { deriveStream, followObserved } from '../resilience/middleware/derive-stream.js';
import { noop } from '../resilience/middleware/iterator-done.js';
import type { StackInput } from '../resilience/stack.js';
import { runChatCall } from '../runtime/chat-step.js';
import { runEmbed } from '../runtime/embed.js';
import { runStream } from '../runtime/stream-call.js';
import type { CallTarget, MiddlewareCall } from '../types/middleware.js';
import type { ChatRequest, EmbedRequest } from '../types/requests.js';
import type { CallOutcomes } from './call-outcomes.js';
import { STRUCTURED_PLAN } from './call-scratch.js';
import type { CoreParts } from './parts.js';
import { createTargetWarnings } from './target-warnings.js';

/** The chat, stream and embed terminals. */
export function buildTerminal(parts: CoreParts, outcomes: CallOutcomes): StackInput['terminal'] {
  const { runtime } = parts;
  const resolveTarget = parts.targets.resolve;
  const noteOutcome = outcomes.note;
  const noteTargetWarnings = createTargetWarnings(runtime);
  const targetOf = (call: MiddlewareCall<ChatRequest | EmbedRequest>): CallTarget =>
    call.target ?? resolveTarget(call.request.model);
  return {
    // Not async (returning runChatCall's promise as is); a synchronous failure rejects.
    chat(call) {
      try {
        const target = targetOf(call);
        const warnings = noteTargetWarnings(call, target);
        const started = performance.now();
        const answer = runChatCall(runtime, target.resolved, call.request, warnings, (structured) => {
          call.scratch.set(STRUCTURED_PLAN, structured);
        });
        answer.then(
          () => noteOutcome(target.provider, started, undefined),
          (error: unknown) => noteOutcome(target.provider, started, error),
        );
        return answer;
      } catch (error) {
        return Promise.reject(error);
      }
    },
    stream(call) {
      const target = targetOf(call);
      const inner = runStream(runtime, target.resolved, call.request, noteTargetWarnings(call, target));
      // Observed, not re-yielded: one generator layer less per event (issue 11).
      return deriveStream(
        (signal) => {
          let started = 0;
          const open = () => {
            started = performance.now();
            return inner;
          };
          return followObserved(open, signal, {
            event(event) {
              if (event.type === 'finish') noteOutcome(target.provider, started, undefined);
              else if (event.type === 'error') noteOutcome(target.provider, started, event.error);
            },
            end: noop,
          });
        },
        { provider: target.provider, model: target.modelId },
      );
    },
    embed(call) {
      const target = targetOf(call);
      noteTargetWarnings(call, target);
      const started = performance.now();
      const answer = runEmbed(runtime, target.resolved, call.request);
      answer.then(
        () => noteOutcome(target.provider, started, undefined),
        (error: unknown) => noteOutcome(target.provider, started, error),
      );
      return answer;
    },
  };
}
