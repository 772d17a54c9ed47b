/**
 * Masks an API key for display (CLI output, error messages, logs): the recognisable prefix and the
 * last four characters stay, everything in between is dropped, so `sk-proj-abc...xyz1a2b` shows as
 * `sk-proj-...1a2b`. Short keys show no characters at all.
 */

/**
 * Vendor prefixes shown whole: they name the kind of key (an OpenAI project key, an Anthropic key,
 * an OpenRouter key) and carry no secret, so keeping them helps a reader tell keys apart. Longest
 * first, so `sk-proj-` wins over `sk-`.
 */
const KNOWN_PREFIXES = [
  'sk-svcacct-',
  'sk-or-v1-',
  'sk-admin-',
  'sk-proj-',
  'sk-ant-',
  'nvapi-',
  'pplx-',
  'AIza',
  'gsk_',
  'xai-',
  'csk-',
  'hf_',
  'r8_',
  'sk-',
] as const;

/** Any other vendor-looking prefix (`abc-`, `abc_def-`): kept only when it is a small part of the key. */
const GENERIC_PREFIX = /^([A-Za-z]{2,6}[-_](?:[A-Za-z0-9]{2,8}[-_])?)/;

/**
 * `sk-...a1b2` for a key, `''` for an empty one. A known vendor prefix (`sk-proj-`, `sk-ant-`,
 * `sk-or-v1-`, `AIza`, `gsk_`, `xai-`, `pplx-`, ...) is always kept; another prefix-like start only
 * when it is a small part of the key. The last 4 characters show when the key is at least 16
 * characters long; shorter keys become `****`.
 */
export function maskKey(key: string | undefined | null): string {
  if (key === undefined || key === null || key === '') return '';
  if (key.length < 16) return '****';
  const known = KNOWN_PREFIXES.find((prefix) => key.startsWith(prefix));
  if (known !== undefined) return `${known}...${key.slice(-4)}`;
  const prefix = GENERIC_PREFIX.exec(key)?.[1] ?? '';
  const shown = prefix.length <= key.length / 4 ? prefix : '';
  return `${shown}...${key.slice(-4)}`;
}
