/**
 * Keys of what the terminal stages leave in a call's scratch map for the methods that started it:
 * the warnings of the call so far, and the structured-output plan of a chat step.
 */
export const STRUCTURED_PLAN = Symbol('structured-plan');
export const WARNINGS = Symbol('warnings');
