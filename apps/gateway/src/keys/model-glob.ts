/**
 * Which models a virtual key may call, as glob patterns over model refs: `openai/*`,
 * `anthropic/claude-*`, `*`. `*` matches any run of characters (slashes included, so `openrouter/*`
 * covers `openrouter/meta-llama/llama-3`), `?` one character; matching is case-sensitive, like model ids.
 */

const compiled = new Map<string, RegExp>();

function toRegExp(pattern: string): RegExp {
  let regexp = compiled.get(pattern);
  if (regexp === undefined) {
    const body = pattern
      .split('')
      .map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('');
    regexp = new RegExp(`^${body}$`);
    compiled.set(pattern, regexp);
  }
  return regexp;
}

/** Whether `model` matches one glob `pattern`. */
export function matchesModelGlob(pattern: string, model: string): boolean {
  return toRegExp(pattern).test(model);
}

/**
 * Whether a key with allowed `patterns` may call a model known by any of `names` (the ref as the
 * client sent it and, when an alias or group was resolved, what it resolved to): one name matching one
 * pattern is enough. No patterns: every model.
 */
export function modelAllowed(patterns: readonly string[] | undefined, names: readonly string[]): boolean {
  if (patterns === undefined) return true;
  return names.some((name) => patterns.some((pattern) => matchesModelGlob(pattern, name)));
}
