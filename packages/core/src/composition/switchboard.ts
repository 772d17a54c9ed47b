/**
 * Kept for the modules and tests that import `createSwitchboard` and its types from here: they
 * live in `composition/` now (the composition root and its builders, `composition/switchboard-types.ts`).
 */
export { createSwitchboard } from './create-switchboard.js';
export type {
  InferSchemaOutput,
  ModelIdOf,
  ModelRefFor,
  Switchboard,
  SwitchboardChatRequest,
  SwitchboardEmbedRequest,
  SwitchboardOptions,
} from './switchboard-types.js';
