/**
 * Switchboard's structured logger: JSON lines (pino's format), levels, per-component filters, a
 * request id on every line of one call, and credentials always redacted (message content too, when
 * asked). It writes through pino when pino is installed (an optional peer, loaded on first use) and
 * through a small built-in JSON-lines writer otherwise; a ready pino instance or any object with
 * `warn`/`info`/... methods is accepted as well, and gets the same filtering and redaction.
 *
 * Nothing here runs on a call's hot path unless a line is actually written: components ask
 * `isLevelEnabled` (a precomputed table lookup) before they build a line's fields.
 */
import { openSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { hostname } from 'node:os';
import { ConfigurationError } from '../../errors/errors.js';
import {
  type SanitizeOptions,
  SecretSet,
  sanitizeFields,
  sanitizeMessage,
  scrubString,
} from '../../errors/redact-records.js';
import { currentRequestId } from '../../runtime/request-context.js';
import type { LogFields, Logger, LogLevel, LogLevelSetting, SwitchboardLogger } from '../../types/logger.js';

export type { LogFields, LogLevel, LogLevelSetting, SwitchboardLogger } from '../../types/logger.js';

/** pino's numeric levels (the `level` field of every line). */
export const LOG_LEVEL_VALUES: Readonly<Record<LogLevel, number>> = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
};
const LEVELS: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

function levelValue(setting: LogLevelSetting): number {
  return setting === 'silent' ? Number.POSITIVE_INFINITY : LOG_LEVEL_VALUES[setting];
}

/** Where lines go: anything with `write(line)` (each line is one JSON document ending in `\n`). */
export interface LogDestination {
  write(line: string): unknown;
}

/**
 * Per-component levels (`{ breaker: 'debug', cache: 'warn' }`, components not listed use `level`),
 * or a function deciding per component and level (`undefined`: use `level`).
 */
export type LogComponentFilter =
  | Readonly<Record<string, LogLevelSetting>>
  | ((component: string | undefined, level: LogLevel) => boolean | undefined);

/** The part of a pino logger Switchboard uses (so a ready pino instance can be passed). */
export interface PinoLike {
  levels: { values: Record<string, number> };
  isLevelEnabled(level: string): boolean;
  child(bindings: LogFields): PinoLike;
  trace(object: object, message?: string): void;
  debug(object: object, message?: string): void;
  info(object: object, message?: string): void;
  warn(object: object, message?: string): void;
  error(object: object, message?: string): void;
  fatal(object: object, message?: string): void;
}

export interface CreateLoggerOptions {
  /** Lowest level written (default `info`). */
  level?: LogLevelSetting;
  /** Levels per component, or a filter function. */
  components?: LogComponentFilter;
  /**
   * Where lines go: a `{ write(line) }` object, a file descriptor, or a file path (appended to).
   * Default: standard error (fd 2), so a CLI's standard output stays clean.
   */
  destination?: LogDestination | number | string;
  /** Replace message content (prompts, completions, tool arguments, bodies) by `[content redacted]`. Default false. */
  redactContent?: boolean;
  /** Fields on every line (default `pid` and `hostname`, as pino does). */
  base?: LogFields;
  /** More secrets to scrub from every line (the switchboard adds the keys it knows by itself). */
  secrets?: readonly string[] | (() => Iterable<string | undefined>);
  /**
   * `auto` (default): pino when it is installed, the built-in writer otherwise. `pino`: require it
   * (a ConfigurationError when it is missing). `builtin`: never load pino.
   */
  engine?: 'auto' | 'pino' | 'builtin';
  /** A ready pino instance to write through (its own level and destination apply too). */
  pino?: PinoLike;
}

interface Sink {
  readonly engine: 'pino' | 'builtin' | 'external';
  write(level: LogLevel, fields: LogFields, message: string): void;
  /** An outside constraint (a ready pino's own level, the methods a plain logger has). */
  enabled?(level: LogLevel): boolean;
}

interface Shared {
  readonly sink: Sink;
  readonly level: LogLevelSetting;
  readonly components: LogComponentFilter | undefined;
  readonly redactContent: boolean;
  readonly secrets: SecretSet;
}

const SHARED: unique symbol = Symbol('switchboard.logger');

class StructuredLogger implements SwitchboardLogger {
  readonly [SHARED]: Shared;
  readonly bindings: Readonly<LogFields>;
  readonly level: LogLevelSetting;
  private readonly component: string | undefined;
  private readonly table: boolean[];
  private readonly components = new Map<string, StructuredLogger>();

  constructor(shared: Shared, bindings: Readonly<LogFields>) {
    this[SHARED] = shared;
    this.bindings = bindings;
    const component = bindings.component;
    this.component = typeof component === 'string' ? component : undefined;
    const filter = shared.components;
    let threshold = levelValue(shared.level);
    if (filter !== undefined && typeof filter !== 'function' && this.component !== undefined) {
      const own = filter[this.component];
      if (own !== undefined) threshold = levelValue(own);
    }
    this.table = LEVELS.map((level) => {
      if (typeof filter === 'function') {
        const decided = filter(this.component, level);
        if (decided !== undefined) return decided;
      }
      return LOG_LEVEL_VALUES[level] >= threshold;
    });
    const lowest = LEVELS.findIndex((_, index) => this.table[index]);
    this.level = lowest < 0 ? 'silent' : (LEVELS[lowest] as LogLevel);
  }

  isLevelEnabled(level: LogLevel): boolean {
    if (!this.table[LOG_LEVEL_VALUES[level] / 10 - 1]) return false;
    const enabled = this[SHARED].sink.enabled;
    return enabled === undefined || enabled(level);
  }

  child(bindings: LogFields): SwitchboardLogger {
    return new StructuredLogger(this[SHARED], { ...this.bindings, ...bindings });
  }

  /** A memoized `child({ component })` (components look theirs up per call). */
  forComponent(component: string): StructuredLogger {
    let child = this.components.get(component);
    if (child === undefined) {
      child = new StructuredLogger(this[SHARED], { ...this.bindings, component });
      this.components.set(component, child);
    }
    return child;
  }

  private write(level: LogLevel, message: string, data: LogFields | undefined): void {
    if (!this.isLevelEnabled(level)) return;
    const shared = this[SHARED];
    try {
      const requestId = currentRequestId();
      const fields: LogFields =
        requestId === undefined || 'requestId' in this.bindings
          ? { ...this.bindings, ...data }
          : { component: this.component, requestId, ...this.bindings, ...data };
      const options: SanitizeOptions = { matcher: shared.secrets.matcher(), redactContent: shared.redactContent };
      shared.sink.write(level, sanitizeFields(fields, options), sanitizeMessage(String(message), options));
    } catch {
      // logging never breaks a call
    }
  }

  trace(message: string, data?: LogFields): void {
    this.write('trace', message, data);
  }
  debug(message: string, data?: LogFields): void {
    this.write('debug', message, data);
  }
  info(message: string, data?: LogFields): void {
    this.write('info', message, data);
  }
  warn(message: string, data?: LogFields): void {
    this.write('warn', message, data);
  }
  error(message: string, data?: LogFields): void {
    this.write('error', message, data);
  }
  fatal(message: string, data?: LogFields): void {
    this.write('fatal', message, data);
  }
}

let pinoModule: ((options: object, destination: LogDestination) => PinoLike) | null | undefined;

/** pino's factory when it is installed (loaded once, synchronously, on first use). */
function loadPino(): ((options: object, destination: LogDestination) => PinoLike) | undefined {
  if (pinoModule === undefined) {
    try {
      const loaded = createRequire(import.meta.url)('pino') as unknown;
      pinoModule = (
        typeof loaded === 'function' ? loaded : (loaded as { default?: unknown }).default
      ) as typeof pinoModule;
    } catch {
      pinoModule = null;
    }
  }
  return pinoModule ?? undefined;
}

function toDestination(destination: CreateLoggerOptions['destination']): LogDestination {
  if (destination === undefined) return { write: (line: string) => writeSync(2, line) };
  if (typeof destination === 'number') return { write: (line: string) => writeSync(destination, line) };
  if (typeof destination === 'string') {
    const fd = openSync(destination, 'a', 0o600);
    return { write: (line: string) => writeSync(fd, line) };
  }
  return destination;
}

/** The last pass over a finished line: any known secret form left (a stack, a serializer's output) goes. */
function scrubbingDestination(destination: LogDestination, secrets: SecretSet): LogDestination {
  return { write: (line: string) => destination.write(scrubString(line, secrets.matcher())) };
}

function isPino(value: unknown): value is PinoLike {
  const candidate = value as Partial<PinoLike> | undefined;
  return (
    typeof candidate?.child === 'function' &&
    typeof candidate.isLevelEnabled === 'function' &&
    typeof candidate.levels === 'object' &&
    candidate.levels !== null
  );
}

function pinoSink(instance: PinoLike, engine: 'pino' | 'external'): Sink {
  return {
    engine,
    write: (level, fields, message) => instance[level](fields, message),
    ...(engine === 'external' ? { enabled: (level: LogLevel) => instance.isLevelEnabled(level) } : {}),
  };
}

function plainSink(logger: Logger): Sink {
  const methods = logger as Partial<Record<LogLevel, (message: string, data?: LogFields) => void>>;
  const method = (level: LogLevel) => methods[level] ?? (level === 'fatal' ? methods.error : undefined);
  return {
    engine: 'external',
    enabled: (level) => typeof method(level) === 'function',
    write: (level, fields, message) => method(level)?.call(logger, message, fields),
  };
}

function toSecretSource(secrets: CreateLoggerOptions['secrets']): (() => Iterable<string | undefined>) | undefined {
  if (secrets === undefined) return undefined;
  if (typeof secrets === 'function') return secrets;
  const list = [...secrets];
  return () => list;
}

/** Creates a structured logger (see {@link CreateLoggerOptions}). */
export function createLogger(options: CreateLoggerOptions = {}): SwitchboardLogger {
  const secrets = new SecretSet();
  const source = toSecretSource(options.secrets);
  if (source !== undefined) secrets.add(source);
  let sink: Sink;
  if (options.pino !== undefined) sink = pinoSink(options.pino, 'external');
  else {
    const destination = scrubbingDestination(toDestination(options.destination), secrets);
    const base = options.base ?? { pid: process.pid, hostname: hostname() };
    const pino = options.engine === 'builtin' ? undefined : loadPino();
    if (pino === undefined && options.engine === 'pino')
      throw new ConfigurationError('createLogger({ engine: "pino" }) needs the pino package: npm install pino', {
        setting: 'engine',
      });
    sink =
      pino !== undefined
        ? pinoSink(
            // No pino `redact` paths: fields are already redacted by name (anywhere in the line, any
            // case) before pino sees them, and pino's redaction would add ~40 µs to every line.
            pino({ level: 'trace', base }, destination),
            'pino',
          )
        : builtinSink(destination, base);
  }
  return new StructuredLogger(
    {
      sink,
      level: options.level ?? 'info',
      components: options.components,
      redactContent: options.redactContent ?? false,
      secrets,
    },
    {},
  );
}

function builtinSink(destination: LogDestination, base: LogFields): Sink {
  return {
    engine: 'builtin',
    write(level, fields, message) {
      const line = { level: LOG_LEVEL_VALUES[level], time: Date.now(), ...base, ...fields, msg: message };
      destination.write(`${JSON.stringify(line)}\n`);
    },
  };
}

/** Which writer a logger uses: `pino`, `builtin`, or `external` (a ready pino instance or a plain logger). */
export function loggerEngine(logger: SwitchboardLogger): 'pino' | 'builtin' | 'external' | undefined {
  return (logger as Partial<StructuredLogger>)[SHARED]?.sink.engine;
}

/**
 * The structured logger for what a user passed as `logger`: a logger from `createLogger` as is, a
 * pino instance wrapped, a plain `{ warn, info, ... }` object adapted (same fields, same redaction,
 * passed as its second argument). A plain object gets lines from its own `level` property when it
 * has one (`'debug'`, ...), else from `info` up, so `logger: console` is not flooded with debug lines.
 */
export function toSwitchboardLogger(logger: Logger | PinoLike | undefined): SwitchboardLogger | undefined {
  if (logger === undefined || logger === null) return undefined;
  if (logger instanceof StructuredLogger) return logger;
  if (isPino(logger)) return createLogger({ pino: logger, level: 'trace' });
  const own = (logger as { level?: unknown }).level;
  const level =
    typeof own === 'string' && (own === 'silent' || own in LOG_LEVEL_VALUES) ? (own as LogLevelSetting) : 'info';
  return new StructuredLogger(
    {
      sink: plainSink(logger as Logger),
      level,
      components: undefined,
      redactContent: false,
      secrets: new SecretSet(),
    },
    {},
  );
}

/** `logger.child({ component })`, memoized for loggers from this module. */
export function componentLogger(logger: SwitchboardLogger, component: string): SwitchboardLogger {
  return logger instanceof StructuredLogger ? logger.forComponent(component) : logger.child({ component });
}

/**
 * Adds a source of secrets every line of this logger (and its children) is scrubbed of, read when a
 * line is written. `createSwitchboard` adds the keys it knows (settings, configuration, the catalog's
 * environment variables). Returns a function that removes the source.
 */
export function addLogSecrets(logger: SwitchboardLogger, source: () => Iterable<string | undefined>): () => void {
  const shared = (logger as Partial<StructuredLogger>)[SHARED];
  return shared === undefined ? () => undefined : shared.secrets.add(source);
}

/** A destination that keeps the lines in memory (tests, in-process viewers). */
export interface MemoryDestination extends LogDestination {
  readonly lines: string[];
  /** Every line parsed. */
  records(): LogFields[];
  clear(): void;
}

export function memoryDestination(): MemoryDestination {
  const lines: string[] = [];
  return {
    lines,
    write(line: string) {
      lines.push(line);
    },
    records: () => lines.map((line) => JSON.parse(line) as LogFields),
    clear() {
      lines.length = 0;
    },
  };
}
