/**
 * Keeps API keys out of everything the runtime hands back. Providers and HTTP libraries sometimes
 * echo a URL (with a `key=` query parameter) or a header into an error message; this scrubs them.
 */
const REDACTED = '[redacted]';

/** Replaces every occurrence of `secret` in `text`. Secrets shorter than 4 characters are left alone (too many false hits). */
export function redactSecret(text: string, secret: string | undefined): string {
  if (secret === undefined || secret.length < 4 || !text.includes(secret)) return text;
  return text.split(secret).join(REDACTED);
}

/** Scrubs an error's message (and stack) in place and returns it. */
export function redactError<E>(error: E, secret: string | undefined): E {
  if (secret === undefined || !(error instanceof Error)) return error;
  if (error.message.includes(secret)) {
    const message = redactSecret(error.message, secret);
    Object.defineProperty(error, 'message', { value: message, writable: true, configurable: true });
  }
  if (error.stack?.includes(secret)) error.stack = redactSecret(error.stack, secret);
  return error;
}
