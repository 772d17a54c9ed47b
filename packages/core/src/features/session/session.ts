/**
 * Sessions: a conversation with a model that keeps its own history. `chat` and `stream` send the
 * history plus the new input and append the answer (and, in a tool loop, every call and result);
 * usage and cost add up per session; the whole session saves to versioned JSON, and with `persist`
 * to a Store after every turn so another process can continue it (`loadSession`).
 */

import { randomUUID } from 'node:crypto';
import { redactValue } from '../../errors/redact.js';
import type { SecretMatcher } from '../../errors/secret-patterns.js';
import { detectMediaType } from '../../runtime/media-type.js';
import { GENERATION_OPTION_NAMES } from '../../runtime/option-support.js';
import { listTools } from '../../runtime/prepare-chat.js';
import { addCost, addUsage } from '../../runtime/usage.js';
import type {
  ChatRequest,
  ChatResponse,
  ChatStream,
  ContentPart,
  CostBreakdown,
  Message,
  ModelRef,
  StreamEvent,
  ToolCall,
  ToolDefinition,
  Usage,
} from '../../types/requests.js';
import type { Store } from '../../types/store.js';
import { serializeToolResult } from '../tools/tool-loop.js';
import {
  parseSessionJson,
  SESSION_FORMAT,
  SESSION_VERSION,
  type SessionData,
  validateSessionData,
} from './session-format.js';
import { withoutCredentials } from './session-secrets.js';

/** What a session needs from a switchboard. */
export interface SessionRunner {
  chat(request: ChatRequest): Promise<ChatResponse>;
  stream(request: ChatRequest): ChatStream;
  /** The switchboard's secrets: a saved session holds none of them (in any encoding). */
  secrets?: { matcher(): SecretMatcher };
  /** Where the warning about a dropped credential goes (default: `process.emitWarning`). */
  warn?: (message: string) => void;
}

/** Request options a session applies to every call (a call's own options win). */
export type SessionDefaults = Partial<Omit<ChatRequest, 'model' | 'messages'>>;

/** Where a session is saved after every turn. */
export interface SessionPersistence {
  store: Store;
  /** The session's key in the store, under `sb:session:` (default: the session id). */
  key?: string;
  /** Expiry of the saved session. */
  ttlMs?: number;
}

/** Options of `createSession` / `sb.session()`. */
export interface SessionOptions {
  model: ModelRef;
  name?: string;
  /** Default: a random UUID. */
  id?: string;
  /** The system message, sent first on every call. */
  system?: string;
  defaults?: SessionDefaults;
  persist?: SessionPersistence;
  /**
   * When a stream fails midway, append the text received so far as the assistant's message (default
   * false: the turn is rolled back so it can be retried).
   */
  keepPartial?: boolean;
}

/** What `chat` and `stream` accept: text (a user message), a message, or several. */
export type SessionInput = string | Message | readonly Message[];

/** Options of one session call: request options over the session's defaults. */
export type SessionCallOptions = SessionDefaults & { model?: ModelRef; keepPartial?: boolean };

/** The store key prefix of sessions. */
export const SESSION_KEY_PREFIX = 'sb:session:';

const SAFE_DEFAULTS = [
  ...GENERATION_OPTION_NAMES,
  'truncate',
  'toolChoice',
  'maxSteps',
  'timeout',
  'tags',
  'budget',
  'fallback',
  'cache',
  'trackCost',
  'providerOptions',
] as const;

const ZERO_USAGE: Usage = { inputTokens: 0, outputTokens: 0, totalTokens: 0 };
const ZERO_COST: CostBreakdown = {
  input: 0,
  output: 0,
  cacheRead: 0,
  cacheWrite: 0,
  reasoning: 0,
  total: 0,
  currency: 'USD',
};

/** A session was saved by someone else since this object last loaded or saved it. */
export class SessionConflictError extends Error {
  override name = 'SessionConflictError';
}

function toMessages(input: SessionInput): Message[] {
  if (typeof input === 'string') return [{ role: 'user', content: input }];
  return Array.isArray(input) ? [...(input as Message[])] : [input as Message];
}

function toDataUrl(bytes: Uint8Array, mediaType: string | undefined): string {
  const type = mediaType ?? detectMediaType(bytes) ?? 'application/octet-stream';
  return `data:${type};base64,${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')}`;
}

/** A message with bytes and URLs turned into strings, so it survives JSON. */
function jsonMessage(message: Message): Message {
  if (message.role !== 'user' || typeof message.content === 'string') return message;
  const content = message.content.map((part): ContentPart => {
    if (part.type === 'image') {
      if (part.image instanceof Uint8Array) return { ...part, image: toDataUrl(part.image, part.mediaType) };
      if (part.image instanceof URL) return { ...part, image: part.image.href };
    }
    if (part.type === 'file') {
      if (part.data instanceof Uint8Array) return { ...part, data: toDataUrl(part.data, part.mediaType) };
      if (part.data instanceof URL) return { ...part, data: part.data.href };
    }
    return part;
  });
  return { ...message, content };
}

async function runTool(tool: ToolDefinition, call: ToolCall, signal: AbortSignal | undefined): Promise<string> {
  try {
    const context = signal === undefined ? { toolCallId: call.id } : { toolCallId: call.id, signal };
    return serializeToolResult(await tool.execute?.(call.arguments, context));
  } catch (error) {
    return JSON.stringify({ error: error instanceof Error ? error.message : String(error) });
  }
}

/** A conversation that keeps its history. Create it with `createSession(sb, options)` or `sb.session(options)`. */
export class Session {
  readonly id: string;
  name: string | undefined;
  /** The model every call uses unless a call names another. */
  model: ModelRef;
  readonly createdAt: string;
  private updatedAt: string;
  private history: Message[] = [];
  private totalUsage: Usage = ZERO_USAGE;
  private totalCost: CostBreakdown = ZERO_COST;
  private turnCount = 0;
  private readonly defaults: SessionDefaults;
  private readonly persist: SessionPersistence | undefined;
  private readonly keepPartial: boolean;
  private savedJson: string | undefined;
  /** `providerOptions` paths already warned about (one warning per path and session). */
  private readonly warnedPaths = new Set<string>();

  constructor(
    private readonly sb: SessionRunner,
    options: SessionOptions,
  ) {
    this.id = options.id ?? randomUUID();
    this.name = options.name;
    this.model = options.model;
    this.defaults = { ...options.defaults };
    this.persist = options.persist;
    this.keepPartial = options.keepPartial ?? false;
    this.createdAt = new Date().toISOString();
    this.updatedAt = this.createdAt;
    if (options.system !== undefined) this.history.push({ role: 'system', content: options.system });
  }

  /** Token usage of every call this session made (failed calls included when the provider reported it). */
  get usage(): Usage {
    return { ...this.totalUsage };
  }

  /** Cost of every priced call this session made. */
  get cost(): CostBreakdown {
    return { ...this.totalCost };
  }

  /** Completed turns (a tool loop counts once). */
  get turns(): number {
    return this.turnCount;
  }

  /** The store key this session saves under, when persisted. */
  get storeKey(): string | undefined {
    return this.persist === undefined ? undefined : `${SESSION_KEY_PREFIX}${this.persist.key ?? this.id}`;
  }

  /** Every message, system message first. */
  messages(): Message[] {
    return [...this.history];
  }

  /** The last `n` messages. */
  lastMessages(n: number): Message[] {
    return n <= 0 ? [] : this.history.slice(-n);
  }

  /** Appends messages (a tool result you ran yourself, context you want the model to see). */
  addMessage(message: Message | readonly Message[]): this {
    this.history.push(...toMessages(message as SessionInput));
    this.touch();
    return this;
  }

  /** Appends the result of a tool call the model made (for tools without `execute`). */
  addToolResult(toolCallId: string, result: unknown, name?: string): this {
    const message: Message = { role: 'tool', toolCallId, content: serializeToolResult(result) };
    if (name !== undefined) message.name = name;
    return this.addMessage(message);
  }

  /** Removes the history; system messages stay unless `keepSystem: false`. Totals stay. */
  clear(options: { keepSystem?: boolean } = {}): this {
    this.history = options.keepSystem === false ? [] : this.history.filter((message) => message.role === 'system');
    this.touch();
    return this;
  }

  /**
   * Sends the history plus `input` and appends the answer. With tools that have `execute` and
   * `maxSteps > 1`, runs the tool loop here so every call and result lands in the history. On
   * failure the turn's messages are removed again (the usage of completed steps still counts).
   */
  async chat(input: SessionInput, options: SessionCallOptions = {}): Promise<ChatResponse> {
    const mark = this.history.length;
    this.history.push(...toMessages(input));
    const { keepPartial: _ignored, ...callOptions } = options;
    const request = this.request(callOptions);
    const maxSteps = Math.max(1, request.maxSteps ?? 1);
    const tools = new Map(listTools(request.tools).map((tool) => [tool.name, tool]));
    let total: ChatResponse | undefined;
    try {
      for (let step = 1; ; step += 1) {
        const response = await this.sb.chat({ ...request, messages: this.messages(), maxSteps: 1 });
        this.account(response);
        total = total === undefined ? response : merge(total, response);
        const calls = response.toolCalls;
        const assistant: Message = {
          role: 'assistant',
          content: response.text === '' && calls.length > 0 ? null : response.text,
        };
        if (calls.length > 0) assistant.toolCalls = calls;
        if (response.reasoningBlocks !== undefined) assistant.reasoningBlocks = response.reasoningBlocks;
        this.history.push(assistant);
        if (step >= maxSteps || calls.length === 0 || !calls.every((call) => tools.get(call.name)?.execute)) break;
        const results = await Promise.all(
          calls.map((call) => runTool(tools.get(call.name) as ToolDefinition, call, request.signal)),
        );
        calls.forEach((call, i) => {
          this.history.push({ role: 'tool', toolCallId: call.id, name: call.name, content: results[i] as string });
        });
      }
    } catch (error) {
      this.history.length = mark;
      throw error;
    }
    this.turnCount += 1;
    this.touch();
    await this.save();
    return total;
  }

  /**
   * Streams the answer to the history plus `input`. The answer is appended when the stream
   * finishes; `response` resolves after that (and after saving). A stream that fails midway rolls the
   * turn back, or with `keepPartial` keeps the text received so far as the assistant's message.
   */
  stream(input: SessionInput, options: SessionCallOptions = {}): ChatStream {
    const mark = this.history.length;
    this.history.push(...toMessages(input));
    const { keepPartial = this.keepPartial, ...callOptions } = options;
    const inner = this.sb.stream({ ...this.request(callOptions), messages: this.messages() });
    const recorded = inner.response.then(
      async (response) => {
        this.account(response);
        const assistant: Message = { role: 'assistant', content: response.text };
        if (response.toolCalls.length > 0) assistant.toolCalls = response.toolCalls;
        if (response.reasoningBlocks !== undefined) assistant.reasoningBlocks = response.reasoningBlocks;
        this.history.push(assistant);
        this.turnCount += 1;
        this.touch();
        await this.save();
        return response;
      },
      async (error: unknown) => {
        const partial = (error as { partial?: ChatResponse }).partial;
        if (partial !== undefined) this.account(partial);
        if (keepPartial && partial !== undefined && partial.text !== '') {
          this.history.push({ role: 'assistant', content: partial.text });
          this.turnCount += 1;
          this.touch();
          await this.save();
        } else this.history.length = mark;
        throw error;
      },
    );
    recorded.catch(() => undefined);
    async function* events(): AsyncGenerator<StreamEvent> {
      for await (const event of inner) yield event;
      await recorded.catch(() => undefined);
    }
    return {
      [Symbol.asyncIterator]: () => events(),
      response: recorded,
      abort: (reason?: unknown) => inner.abort(reason),
    };
  }

  /** The session as versioned JSON (the JSON-safe defaults only; never tools, schemas or headers). */
  toJSON(): SessionData {
    const defaults: Record<string, unknown> = {};
    for (const key of SAFE_DEFAULTS) if (this.defaults[key] !== undefined) defaults[key] = this.defaults[key];
    const matcher = this.sb.secrets?.matcher();
    if (defaults.providerOptions !== undefined) defaults.providerOptions = this.safeProviderOptions(matcher);
    const system = this.history.find((message) => message.role === 'system');
    const data: SessionData = {
      format: SESSION_FORMAT,
      version: SESSION_VERSION,
      id: this.id,
      model: this.model,
      defaults: JSON.parse(JSON.stringify(defaults)) as Record<string, unknown>,
      messages: this.history.map(jsonMessage),
      usage: this.usage,
      cost: this.cost,
      turns: this.turnCount,
      createdAt: this.createdAt,
      updatedAt: this.updatedAt,
    };
    if (this.name !== undefined) data.name = this.name;
    if (system !== undefined) data.system = system.content as string;
    return matcher === undefined || matcher.empty ? data : (redactValue(data, matcher) as SessionData);
  }

  /** `providerOptions` as saved: credentials dropped, each dropped path warned about once. */
  private safeProviderOptions(matcher: SecretMatcher | undefined): unknown {
    const { value, dropped } = withoutCredentials(this.defaults.providerOptions, matcher);
    for (const [path, reason] of dropped) {
      if (this.warnedPaths.has(path)) continue;
      this.warnedPaths.add(path);
      const message = `Session '${this.id}': ${path} is not saved because ${reason}; pass credentials to the provider instead`;
      if (this.sb.warn !== undefined) this.sb.warn(message);
      else process.emitWarning(message, { code: 'SWITCHBOARD_SESSION_CREDENTIAL' });
    }
    return value;
  }

  /**
   * Rebuilds a session from {@link Session.toJSON} output (an object or JSON text), validated first:
   * a foreign, newer or corrupt document throws a SessionFormatError naming what is wrong. `options`
   * adds what JSON cannot hold (tools, schemas) and persistence.
   */
  static fromJSON(
    data: unknown,
    sb: SessionRunner,
    options: Partial<Omit<SessionOptions, 'id' | 'system'>> = {},
  ): Session {
    const parsed = typeof data === 'string' ? parseSessionJson(data) : validateSessionData(data);
    const session = new Session(sb, {
      ...options,
      id: parsed.id,
      model: options.model ?? parsed.model,
      defaults: { ...(parsed.defaults as SessionDefaults), ...options.defaults },
      ...((options.name ?? parsed.name) === undefined ? {} : { name: options.name ?? parsed.name }),
    });
    session.restore(parsed);
    return session;
  }

  /** Saves now (after every turn this happens by itself). Throws SessionConflictError when another process saved since. */
  async save(): Promise<void> {
    if (this.persist === undefined) return;
    const key = this.storeKey as string;
    const next = JSON.stringify(this.toJSON());
    const options = this.persist.ttlMs === undefined ? undefined : { ttlMs: this.persist.ttlMs };
    if (!(await this.persist.store.compareAndSet(key, this.savedJson, next, options)))
      throw new SessionConflictError(
        `Session '${this.id}' was saved by another process since this copy loaded it; call reload() to continue from the stored state`,
      );
    this.savedJson = next;
  }

  /** Replaces this copy's state with the stored one (persisted sessions only). */
  async reload(): Promise<this> {
    if (this.persist === undefined) return this;
    const text = await this.persist.store.get(this.storeKey as string);
    if (text !== undefined) {
      this.restore(parseSessionJson(text));
      this.savedJson = text;
    }
    return this;
  }

  /** @internal Marks the stored text this copy was loaded from (optimistic concurrency). */
  markSaved(text: string): void {
    this.savedJson = text;
  }

  private restore(data: SessionData): void {
    this.history = [...data.messages];
    this.totalUsage = { ...data.usage };
    this.totalCost = { ...ZERO_COST, ...data.cost };
    this.turnCount = data.turns;
    (this as { createdAt: string }).createdAt = data.createdAt;
    this.updatedAt = data.updatedAt;
  }

  private request(options: SessionCallOptions): ChatRequest {
    return { ...this.defaults, ...options, model: options.model ?? this.model, messages: [] } as ChatRequest;
  }

  private account(response: ChatResponse): void {
    this.totalUsage = addUsage(this.totalUsage, response.usage);
    if (response.cost !== undefined) this.totalCost = addCost(this.totalCost, response.cost) as CostBreakdown;
  }

  private touch(): void {
    this.updatedAt = new Date().toISOString();
  }
}

function merge(total: ChatResponse, next: ChatResponse): ChatResponse {
  const out: ChatResponse = {
    ...next,
    usage: addUsage(total.usage, next.usage),
    latencyMs: total.latencyMs + next.latencyMs,
  };
  const cost = addCost(total.cost, next.cost);
  if (cost === undefined) delete out.cost;
  else out.cost = cost;
  return out;
}

/** Starts a session on a switchboard. */
export function createSession(sb: SessionRunner, options: SessionOptions): Session {
  return new Session(sb, options);
}

/**
 * Continues a session saved in a Store (by any process sharing it: a MemoryStore in one process,
 * `@switchboard/redis` across many). Later turns save back under the same key. Returns `undefined`
 * when nothing is stored under `id`.
 */
export async function loadSession(
  sb: SessionRunner,
  store: Store,
  id: string,
  options: Partial<Omit<SessionOptions, 'id' | 'system' | 'persist'>> & { ttlMs?: number } = {},
): Promise<Session | undefined> {
  const text = await store.get(`${SESSION_KEY_PREFIX}${id}`);
  if (text === undefined) return undefined;
  const { ttlMs, ...rest } = options;
  const persist: SessionPersistence = ttlMs === undefined ? { store, key: id } : { store, key: id, ttlMs };
  const session = Session.fromJSON(text, sb, { ...rest, persist });
  session.markSaved(text);
  return session;
}
