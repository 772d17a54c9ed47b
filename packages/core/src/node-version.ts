/**
 * The oldest Node.js Switchboard runs on, and the check that enforces it when core is imported.
 *
 * undici 8 (core's HTTP client) needs Node 22.19 and eventsource-parser 22.12; on an older Node npm
 * only warns about `engines`, and the first call then crashes deep inside undici with an unrelated
 * message. Failing at import, naming the version needed, turns that into a one-line fix. This module
 * is imported first by core's entry (and imports nothing itself), so the check runs before any other
 * module of core is evaluated. `MINIMUM_NODE` is the single place the version is written in code; the
 * `engines` of every package.json say the same (the package lint checks they agree).
 */

/** The oldest Node.js version Switchboard supports (`major.minor.patch`). */
export const MINIMUM_NODE = '22.19.0';

/** `[major, minor, patch]` of a version such as `v22.19.0` or `22.19.0`; missing parts read as 0. */
function versionParts(version: string): [number, number, number] {
  const [major = 0, minor = 0, patch = 0] = version
    .replace(/^v/, '')
    .split(/[.-]/)
    .map((part) => Number.parseInt(part, 10) || 0);
  return [major, minor, patch];
}

/** True when `version` (e.g. `process.version`) is at least {@link MINIMUM_NODE}. */
export function isSupportedNode(version: string): boolean {
  const actual = versionParts(version);
  const minimum = versionParts(MINIMUM_NODE);
  for (let index = 0; index < 3; index++) {
    const difference = (actual[index] as number) - (minimum[index] as number);
    if (difference !== 0) return difference > 0;
  }
  return true;
}

/**
 * Throws `Switchboard needs Node >= 22.19 (this is v20.20.2)` when `version` is too old. Bun and Deno
 * report the Node version they implement in `process.versions.node`, so they are judged by it too.
 */
export function assertSupportedNode(version: string): void {
  if (isSupportedNode(version)) return;
  const [major, minor] = versionParts(MINIMUM_NODE);
  throw new Error(
    `Switchboard needs Node >= ${major}.${minor} (this is ${version.startsWith('v') ? version : `v${version}`}). Install a newer Node.js, e.g. the current LTS from https://nodejs.org.`,
  );
}

// Outside Node (a browser bundle, an edge runtime without Node compatibility) there is nothing to check.
const runningNode = globalThis.process?.versions?.node;
if (runningNode !== undefined) assertSupportedNode(runningNode);
