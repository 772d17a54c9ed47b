import { closestMatch } from './edit-distance.js';

/** Lower case without `_`, `-` and spaces: `max_tokens`, `Max-Tokens` and `maxTokens` share one key. */
function nameKey(name: string): string {
  return name.toLowerCase().replace(/[\s_-]+/g, '');
}

/**
 * The known option name a misspelled one most likely meant, for "did you mean" warnings on option
 * objects (request fields, query options): first a spelling that differs only in case and separators
 * (`max_tokens` -> `maxTokens`), else the closest name by edit distance when it is close enough that
 * the hint helps (at most a third of the name's length, and at least 2 edits allowed). Nonsense gets
 * no hint rather than a misleading one.
 */
export function closestName(name: string, known: readonly string[]): string | undefined {
  const key = nameKey(name);
  for (const candidate of known) if (nameKey(candidate) === key) return candidate;
  const match = closestMatch(key, known.map(nameKey));
  if (match === undefined || match.distance > Math.max(2, Math.floor(key.length / 3))) return undefined;
  return known.find((candidate) => nameKey(candidate) === match.value);
}
