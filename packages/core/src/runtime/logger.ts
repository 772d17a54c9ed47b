/**
 * The logging hook of the runtime. Core never logs on its own: notices (an unknown model, a dropped
 * option) go to the user's logger when one is given, and always into `res.warnings`. Nothing logged
 * ever contains an API key.
 */
export interface Logger {
  debug?(message: string, data?: Record<string, unknown>): void;
  info?(message: string, data?: Record<string, unknown>): void;
  warn?(message: string, data?: Record<string, unknown>): void;
  error?(message: string, data?: Record<string, unknown>): void;
}
