/** A target's resolution warnings, logged once per call and added to the call's warnings. */

import type { RuntimeContext } from '../runtime/runtime-context.js';
import type { CallTarget, MiddlewareCall } from '../types/middleware.js';
import { WARNINGS } from './call-scratch.js';

/** Notes the target's warnings on the call; returns the call's warnings. */
export function createTargetWarnings(
  runtime: RuntimeContext,
): (call: MiddlewareCall<unknown>, target: CallTarget) => string[] {
  return (call, target) => {
    let warnings = call.scratch.get(WARNINGS) as string[] | undefined;
    if (warnings === undefined) {
      warnings = [];
      call.scratch.set(WARNINGS, warnings);
    }
    for (const warning of target.resolved.warnings)
      if (!warnings.includes(warning)) {
        warnings.push(warning);
        runtime.logger?.warn?.(warning, { provider: target.provider, model: target.modelId });
      }
    return warnings;
  };
}
