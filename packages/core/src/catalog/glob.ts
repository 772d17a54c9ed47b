/**
 * Turns a shell-style glob (`*` any run of characters, `?` one character) into an anchored,
 * case-insensitive regular expression. Exclusion lists such as `openai/*` or `*-preview` use it.
 */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (const char of glob) {
    if (char === '*') source += '.*';
    else if (char === '?') source += '.';
    else source += char.replace(/[.+^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'i');
}

/** Whether a string holds glob wildcards. */
export function isGlob(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?');
}
