import type { ModelRef } from '../types/requests.js';

export type { ModelRef };

/** The text form of a reference, for messages and map keys: `'provider/model'` or the bare string. */
export function formatModelRef(ref: ModelRef): string {
  return typeof ref === 'string' ? ref : `${ref.provider}/${ref.model}`;
}

/**
 * Snapshot suffixes providers put after a model name: `-2024-08-06` (OpenAI), `-20241022`
 * (Anthropic), `@20240620` (Vertex), `-2407` / `-2501` (Mistral's year-month), `-0613`, `-001`
 * (Gemini versions). Stripping one yields the undated name a user may also type.
 */
const SNAPSHOT_SUFFIX = /(?:[-@](?:20\d\d-?[01]\d-?[0-3]\d|[0-3]\d[0-3]\d|\d{3})|-(?:2[3-9]|3\d)[01]\d)$/;

/** Parses the sortable date (or version) in a snapshot suffix, for picking the newest snapshot. */
export function snapshotBase(id: string): { base: string; stamp: string } | undefined {
  const match = SNAPSHOT_SUFFIX.exec(id);
  if (!match || match.index === 0) return undefined;
  return { base: id.slice(0, match.index), stamp: match[0].replace(/[^0-9]/g, '') };
}

/** `claude-3-5-sonnet-latest` -> `claude-3-5-sonnet`; `undefined` when the id has no such suffix. */
export function stripLatest(id: string): string | undefined {
  return id.endsWith('-latest') && id.length > 7 ? id.slice(0, -7) : undefined;
}
