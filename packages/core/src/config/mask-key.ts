/**
 * Masks an API key for display (CLI output, error messages, logs): the recognisable prefix and the
 * last four characters stay, everything in between is dropped, so `sk-proj-abc...xyz1a2b` shows as
 * `sk-proj-...1a2b`. Short keys show no characters at all.
 */

const PREFIX = /^([A-Za-z]{2,6}[-_](?:[A-Za-z0-9]{2,8}[-_])?)/;

/**
 * `sk-...a1b2` for a key, `''` for an empty one. Keeps a vendor prefix (`sk-`, `sk-ant-`, `gsk_`,
 * `xai-`, `pplx-`, `AIza`) only when it is a small part of the key, and the last 4 characters only
 * when the key is at least 16 characters long; shorter keys become `****`.
 */
export function maskKey(key: string | undefined | null): string {
  if (key === undefined || key === null || key === '') return '';
  if (key.length < 16) return '****';
  const prefix = PREFIX.exec(key)?.[1] ?? (key.startsWith('AIza') ? 'AIza' : '');
  const shown = prefix.length <= key.length / 4 ? prefix : prefix.slice(0, 3);
  return `${shown}...${key.slice(-4)}`;
}
