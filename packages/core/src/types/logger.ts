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

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';
export type LogLevelSetting = LogLevel | 'silent';
export type LogFields = Record<string, unknown>;

/**
 * The logger every component writes to. It is also a plain `Logger`, so it can be passed wherever
 * one is accepted.
 */
export interface SwitchboardLogger extends Logger {
  /** The lowest level this logger writes (`silent`: none). */
  readonly level: LogLevelSetting;
  /** The fields bound to every line of this logger (`component`, ...). */
  readonly bindings: Readonly<LogFields>;
  /** Whether a line at this level would be written: check before building expensive fields. */
  isLevelEnabled(level: LogLevel): boolean;
  /** A logger whose lines carry these fields too (a `component` binding picks that component's level). */
  child(bindings: LogFields): SwitchboardLogger;
  trace(message: string, data?: LogFields): void;
  debug(message: string, data?: LogFields): void;
  info(message: string, data?: LogFields): void;
  warn(message: string, data?: LogFields): void;
  error(message: string, data?: LogFields): void;
  fatal(message: string, data?: LogFields): void;
}
