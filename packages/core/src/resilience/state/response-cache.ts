/**
 * Exact-match response cache for chat, streamed chat and embeddings (DESIGN 6). Framework-free: the
 * middleware computes a key (or passes the request), asks `get`/`replay` before the call and `set`/
 * `recordStream` after it.
 *
 * Guarantees: a cache never serves a wrong answer (errored, aborted or unfinished streams,
 * `finishReason: 'error'` and empty responses are never stored, see `cacheable-answer.ts`) and never
 * holds a secret (keys come from an allow-list of answer-changing fields, see `cache-key.ts`; stored
 * responses drop `raw`, the provider body, unless `storeRaw` is set).
 *
 * Keys are computed in one place, `chatKey` / `embedKey`, from the model the request resolves to
 * (the switchboard's resolver: aliases and dated snapshots to the catalog id, a model group to its
 * name). The middleware and `get` / `has` / `delete(request)` all go through them, so the request a
 * user holds finds, and deletes, the entry its call stored.
 */
import { redactValue } from '../../errors/redact.js';
import type { SecretMatcher } from '../../errors/secret-patterns.js';
import type { ChatRequest, ChatResponse, EmbedRequest, EmbedResponse, StreamEvent } from '../../types/requests.js';
import { replayEvents } from '../middleware/derive-stream.js';
import type { CacheBackend } from './cache-backend.js';
import {
  type CacheableChatRequest,
  type CacheModelResolver,
  chatCacheKey,
  embedCacheKey,
  literalIdentity,
} from './cache-key.js';
import { isCacheableChat, isCacheableEmbedding } from './cacheable-answer.js';
import { LruCacheBackend } from './lru-cache-backend.js';

export interface ResponseCacheOptions {
  /** Where entries live. Default: an in-process `LruCacheBackend` (1 000 entries, 64 MiB). */
  backend?: CacheBackend;
  /**
   * Default time to live in ms (default 15 minutes, as ExLLM: long enough for repeated prompts in
   * one session or job, short enough that a changed model is not hidden for long); `Infinity` keeps
   * entries until evicted or cleared.
   */
  ttlMs?: number;
  /** Keep the provider's response body (`raw`) in stored entries. Default false. */
  storeRaw?: boolean;
}

/** Per-entry options. */
export interface CacheSetOptions {
  /** Time to live for this entry, ms (overrides the cache default). */
  ttlMs?: number;
}

/** Counters since the cache was created (or `resetStats()`). */
export interface ResponseCacheStats {
  hits: number;
  misses: number;
  /** Entries written. */
  sets: number;
  /** Entries dropped to stay within the LRU bounds. */
  evictions: number;
  /** Live entries; undefined when the backend cannot tell cheaply (a `Store` or the disk). */
  entries: number | undefined;
  /** Bytes held; undefined when the backend cannot tell cheaply. */
  bytes: number | undefined;
  backend: string;
}

/** A key, or the request the key is computed from (chat or embedding, told apart by `messages`/`input`). */
export type CacheKeyInput = string | CacheableChatRequest | EmbedRequest;

/**
 * Collects a stream's events as they pass and stores them only once the stream finished cleanly
 * (a `finish` event whose reason is not `error` and whose response is not empty). An `error` event, `discard()` (abort, consumer
 * stopped early) or a source that ends without `finish` leaves the cache untouched.
 */
export interface StreamRecorder {
  /** Records one event; a `finish` event commits, an `error` event discards. */
  push(event: StreamEvent): void;
  /** Drops what was collected (call on abort). */
  discard(): void;
  /**
   * Passes `source` through unchanged while recording; discards when the source throws, ends without
   * `finish` or the consumer stops early.
   */
  wrap(source: AsyncIterable<StreamEvent>): AsyncIterable<StreamEvent>;
  /** Resolves true once stored, false when discarded (or the write failed). */
  readonly done: Promise<boolean>;
}

/** The default time to live of an entry: 15 minutes. */
export const DEFAULT_CACHE_TTL_MS = 900_000;

type StoredEntry =
  | { v: 1; type: 'chat'; response: ChatResponse }
  | { v: 1; type: 'stream'; events: StreamEvent[] }
  | { v: 1; type: 'embed'; response: EmbedResponse };

/** The exact-match response cache. */
export class ResponseCache {
  readonly backend: CacheBackend;
  readonly ttlMs: number;
  readonly storeRaw: boolean;
  #hits = 0;
  #misses = 0;
  #sets = 0;
  #resolveModel: CacheModelResolver = literalIdentity;
  #secrets: { matcher(): SecretMatcher } | undefined;

  constructor(options: ResponseCacheOptions = {}) {
    this.backend = options.backend ?? new LruCacheBackend();
    this.ttlMs = options.ttlMs ?? DEFAULT_CACHE_TTL_MS;
    this.storeRaw = options.storeRaw ?? false;
  }

  /**
   * Resolves request models the way calls do, so an alias and its base model share entries and a
   * group is keyed by its name. `createSwitchboard` sets its own; a cache shared by several
   * switchboards resolves with the last one's providers (the same catalog gives the same ids).
   */
  setModelResolver(resolver: CacheModelResolver): void {
    this.#resolveModel = resolver;
  }

  /** The switchboard's secrets: a stored `raw` body (with `storeRaw`) is scrubbed of them, in every encoding. */
  setSecrets(secrets: { matcher(): SecretMatcher }): void {
    this.#secrets = secrets;
  }

  /** `raw` as stored: absent unless `storeRaw`, and never holding a known key. */
  #storedRaw(raw: unknown): { raw?: unknown } {
    if (!this.storeRaw) return {};
    return { raw: this.#secrets === undefined ? raw : redactValue(raw, this.#secrets.matcher()) };
  }

  /** The key of a chat request: the one function every lookup, store and delete goes through. */
  chatKey(request: CacheableChatRequest): string {
    return chatCacheKey(request, this.#resolveModel(request.model));
  }

  /** The key of an embedding request (same model resolution as `chatKey`). */
  embedKey(request: EmbedRequest): string {
    return embedCacheKey(request, this.#resolveModel(request.model));
  }

  /** Whether an entry (chat, stream or embeddings) is stored under the key or request; counts no hit or miss. */
  async has(key: CacheKeyInput): Promise<boolean> {
    return (await this.#read(this.#key(key))) !== undefined;
  }

  /**
   * The cached answer, with `cached: true` and `latencyMs` of the lookup, or undefined on a miss. A
   * stored stream answers too (its final response).
   */
  async get(key: CacheKeyInput): Promise<ChatResponse | undefined> {
    const started = performance.now();
    const entry = await this.#read(this.#key(key));
    let response: ChatResponse | undefined;
    if (entry?.type === 'chat') response = entry.response;
    else if (entry?.type === 'stream') response = finishOf(entry.events)?.response;
    if (response === undefined) return this.#miss();
    this.#hits++;
    return {
      ...response,
      raw: response.raw,
      cached: true,
      fromCache: 'response',
      latencyMs: performance.now() - started,
    };
  }

  /** Stores a chat answer, unless it is an error or empty (see `isCacheableChat`). */
  async set(key: CacheKeyInput, response: ChatResponse, options: CacheSetOptions = {}): Promise<void> {
    if (!isCacheableChat(response)) return;
    await this.#write(this.#key(key), { v: 1, type: 'chat', response: this.#clean(response) }, options);
  }

  /** Starts recording a stream for `key`; see `StreamRecorder`. */
  recordStream(key: CacheKeyInput, options: CacheSetOptions = {}): StreamRecorder {
    return new Recorder(
      (events) => this.#write(this.#key(key), { v: 1, type: 'stream', events }, options),
      (r) => this.#clean(r),
    );
  }

  /**
   * The events to re-emit as a stream, or undefined on a miss. A stored non-streamed answer is
   * replayed too (reasoning, text and tool calls as single events, then `finish`). The final
   * response carries `cached: true` and the lookup's `latencyMs`.
   */
  async replay(key: CacheKeyInput): Promise<StreamEvent[] | undefined> {
    const started = performance.now();
    const entry = await this.#read(this.#key(key));
    let events: StreamEvent[] | undefined;
    if (entry?.type === 'stream') events = entry.events;
    else if (entry?.type === 'chat') events = replayEvents(entry.response);
    if (events === undefined) return this.#miss();
    this.#hits++;
    const latencyMs = performance.now() - started;
    return events.map((event) =>
      event.type === 'finish'
        ? { ...event, response: { ...event.response, cached: true, fromCache: 'response' as const, latencyMs } }
        : event,
    );
  }

  /** The cached embeddings with `cached: true`, or undefined on a miss. */
  async getEmbedding(key: string | EmbedRequest): Promise<EmbedResponse | undefined> {
    const started = performance.now();
    const entry = await this.#read(this.#key(key));
    if (entry?.type !== 'embed') return this.#miss();
    this.#hits++;
    return {
      ...entry.response,
      raw: entry.response.raw,
      cached: true,
      fromCache: 'response',
      latencyMs: performance.now() - started,
    };
  }

  /** Stores embeddings (without `raw` unless `storeRaw`); an answer without a vector is not stored. */
  async setEmbedding(
    key: string | EmbedRequest,
    response: EmbedResponse,
    options: CacheSetOptions = {},
  ): Promise<void> {
    if (!isCacheableEmbedding(response)) return;
    const { raw, cached: _cached, latencyMs: _latency, ...rest } = response;
    const clean = { ...rest, cached: false, latencyMs: 0, ...this.#storedRaw(raw) } as EmbedResponse;
    await this.#write(this.#key(key), { v: 1, type: 'embed', response: clean }, options);
  }

  /** Removes one entry (by key or request); returns whether it existed. */
  delete(key: CacheKeyInput): Promise<boolean> {
    return this.backend.delete(this.#key(key));
  }

  /** Removes every entry. */
  clear(): Promise<void> {
    return this.backend.clear();
  }

  stats(): ResponseCacheStats {
    const size = this.backend.size?.();
    return {
      hits: this.#hits,
      misses: this.#misses,
      sets: this.#sets,
      evictions: this.backend.evictions ?? 0,
      entries: size?.entries,
      bytes: size?.bytes,
      backend: this.backend.kind,
    };
  }

  /** Zeroes hits, misses and sets. */
  resetStats(): void {
    this.#hits = 0;
    this.#misses = 0;
    this.#sets = 0;
  }

  async close(): Promise<void> {
    await this.backend.close?.();
  }

  #key(input: CacheKeyInput): string {
    if (typeof input === 'string') return input;
    if ('messages' in input) return this.chatKey(input as ChatRequest);
    return this.embedKey(input as EmbedRequest);
  }

  #miss(): undefined {
    this.#misses++;
    return undefined;
  }

  async #read(key: string): Promise<StoredEntry | undefined> {
    const text = await this.backend.get(key);
    if (text === undefined) return undefined;
    try {
      const entry = JSON.parse(text) as StoredEntry;
      return entry?.v === 1 ? entry : undefined;
    } catch {
      return undefined; // a corrupt entry is a miss
    }
  }

  async #write(key: string, entry: StoredEntry, options: CacheSetOptions): Promise<void> {
    const ttl = options.ttlMs ?? this.ttlMs;
    await this.backend.set(key, JSON.stringify(entry), Number.isFinite(ttl) ? ttl : undefined);
    this.#sets++;
  }

  /** A response as stored: no `raw` (unless configured), not marked cached. */
  #clean(response: ChatResponse): ChatResponse {
    const { raw, cached: _cached, latencyMs: _latency, ...rest } = response;
    return { ...rest, cached: false, latencyMs: 0, ...this.#storedRaw(raw) } as ChatResponse;
  }
}

class Recorder implements StreamRecorder {
  readonly done: Promise<boolean>;
  #events: StreamEvent[] = [];
  #state: 'recording' | 'committed' | 'discarded' = 'recording';
  #resolve!: (stored: boolean) => void;

  constructor(
    private readonly commit: (events: StreamEvent[]) => Promise<void>,
    private readonly clean: (response: ChatResponse) => ChatResponse,
  ) {
    this.done = new Promise((resolve) => {
      this.#resolve = resolve;
    });
  }

  push(event: StreamEvent): void {
    if (this.#state !== 'recording') return;
    if (event.type === 'error') {
      this.discard();
      return;
    }
    if (event.type === 'finish') {
      if (event.finishReason === 'error' || !isCacheableChat(event.response)) {
        this.discard();
        return;
      }
      this.#events.push({ ...event, response: this.clean(event.response) });
      this.#state = 'committed';
      const events = this.#events;
      this.#events = [];
      this.commit(events).then(
        () => this.#resolve(true),
        () => this.#resolve(false),
      );
      return;
    }
    this.#events.push(event);
  }

  discard(): void {
    if (this.#state !== 'recording') return;
    this.#state = 'discarded';
    this.#events = [];
    this.#resolve(false);
  }

  async *wrap(source: AsyncIterable<StreamEvent>): AsyncIterable<StreamEvent> {
    try {
      for await (const event of source) {
        this.push(event);
        yield event;
      }
    } finally {
      // Thrown, returned early by the consumer, or ended without `finish`: nothing to store.
      this.discard();
    }
  }
}

function finishOf(events: StreamEvent[]): Extract<StreamEvent, { type: 'finish' }> | undefined {
  const last = events[events.length - 1];
  return last?.type === 'finish' ? last : undefined;
}
