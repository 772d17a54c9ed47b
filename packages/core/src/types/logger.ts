/**
 * The smallest logger Switchboard accepts (`console` qualifies). Core never logs on its own: lines go
 * to the user's logger when one is given (adapted by `toSwitchboardLogger`: component and request-id
 * fields, redaction), and notices also into `res.warnings`. Nothing logged ever contains an API key.
 */
export interface Logger {
  /** The lowest level wanted (`'debug'`, ...; default `'info'`); Switchboard skips building lines below it. */
  readonly level?: string;
  trace?(message: string, data?: Record<string, unknown>): void;
  debug?(message: string, data?: Record<string, unknown>): void;
  info?(message: string, data?: Record<string, unknown>): void;
  warn?(message: string, data?: Record<string, unknown>): void;
  error?(message: string, data?: Record<string, unknown>): void;
  fatal?(message: string, data?: Record<string, unknown>): void;
}
