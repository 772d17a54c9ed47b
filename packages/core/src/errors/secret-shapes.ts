/**
 * Secrets recognised by their shape, for text where the switchboard was never told the key: logs,
 * and values a user put in a saved session. Known secrets (by value, in every encoding) are the job
 * of `secret-patterns.ts`; this catches the rest.
 *
 * The "looks like a key" rule ({@link looksLikeKey}): a string without whitespace that either
 * starts like a provider key (`sk-`, `sk-ant-`, `sk-proj-`, `AIza`, `gsk_`, `xai-`, `pplx-`, `r8_`,
 * `hf_`, AWS `AKIA`/`ASIA` ids, GitHub `ghp_`/`github_pat_`, Slack `xox?-`, a JWT `eyJ...`), or is
 * a long high-entropy token: at least 32 characters of the base64/hex/url-token alphabet, with
 * letters and digits mixed, and a Shannon entropy of at least 3.5 bits per character (English
 * words and ids like `conversation-2024-05-01` stay below one of these bars; UUIDs are ids, not
 * keys, and are never taken for one).
 */
import { REDACTED } from './secret-patterns.js';

/** `?key=...`, `&api_key=...`, SigV4 query signatures and tokens in URLs. */
const URL_SECRET_PARAM =
  /([?&;](?:key|api[-_]?key|apikey|access[-_]?token|token|auth|code|sig|signature|x-amz-signature|x-amz-credential|x-amz-security-token|x-goog-api-key)=)[^&#\s"'<>]*/gi;
/** `Bearer <token>`, `Basic <b64>` as found in header dumps. */
const AUTH_SCHEME = /\b(Bearer|Basic|AWS4-HMAC-SHA256)\s+[^\s"',;]{6,}/gi;
/** Strings shaped like provider keys (caught even when the switchboard was never told about them). */
const KEY_SHAPES =
  /\b(?:sk-(?:ant-|proj-|or-)?[A-Za-z0-9_-]{16,}|AIza[0-9A-Za-z_-]{30,}|gsk_[A-Za-z0-9]{20,}|xai-[A-Za-z0-9]{20,}|pplx-[A-Za-z0-9]{20,})/g;

/** Removes URL key parameters, auth-scheme credentials and provider-key-shaped words from `text`. */
export function redactKeyShapes(text: string): string {
  let out = text;
  if (out.includes('=')) out = out.replace(URL_SECRET_PARAM, `$1${REDACTED}`);
  out = out.replace(AUTH_SCHEME, `$1 ${REDACTED}`);
  return out.replace(KEY_SHAPES, REDACTED);
}

/** Prefixes of well-known credential formats. */
const KEY_PREFIX =
  /^(?:sk-|sk_(?:live|test)_|rk_(?:live|test)_|AIza|gsk_|xai-|pplx-|r8_|hf_|ghp_|gho_|github_pat_|xox[abpr]-|(?:AKIA|ASIA)[A-Z0-9]{12}|eyJ[A-Za-z0-9_-]{10,}\.)/;
const TOKEN_ALPHABET = /^[A-Za-z0-9+/=_\-.~]+$/;
const MIN_TOKEN_LENGTH = 32;
const MIN_ENTROPY_BITS = 3.5;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Shannon entropy of `text` in bits per character. */
export function entropyBits(text: string): number {
  const counts = new Map<string, number>();
  for (const char of text) counts.set(char, (counts.get(char) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const share = count / text.length;
    bits -= share * Math.log2(share);
  }
  return bits;
}

/** True when `value` looks like a credential by the rule above. */
export function looksLikeKey(value: string): boolean {
  const text = value.trim();
  if (text.length < 8 || /\s/.test(text)) return false;
  if (KEY_PREFIX.test(text)) return text.length >= 16;
  if (text.length < MIN_TOKEN_LENGTH || !TOKEN_ALPHABET.test(text) || UUID.test(text)) return false;
  if (!/[A-Za-z]/.test(text) || !/[0-9]/.test(text)) return false;
  return entropyBits(text) >= MIN_ENTROPY_BITS;
}

/** Option names (lower-cased, `-`, `_` and `.` removed) that are credentials whatever they hold. */
const SECRET_NAMES = new Set([
  'key',
  'token',
  'auth',
  'secret',
  'password',
  'passwd',
  'credentials',
  'cookie',
  'bearer',
]);
/** Endings of such names (`openai_api_key`, `client_secret`, `x-amz-security-token`); `prompt_cache_key` is not one. */
const SECRET_ENDINGS =
  /(?:apikey|accesskey|secretkey|privatekey|secret|password|token|authorization|credential|credentials)$/;

/** True for option names like `api_key`, `apiKey`, `x-api-key`, `key`, `token`, `client_secret`, `password`. */
export function isSecretName(name: string): boolean {
  const normalized = name.toLowerCase().replace(/[-_.]/g, '');
  return SECRET_NAMES.has(normalized) || SECRET_ENDINGS.test(normalized);
}
