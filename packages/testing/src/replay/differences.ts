/**
 * How a sent request differs from a recorded one: method, origin, path, each query parameter and
 * each body field. The same list decides a match (no difference) and explains a miss.
 */
import type { RecordedRequest } from '../exchange.js';
import { REDACTED } from '../redact.js';
import { type FieldPattern, isIgnored } from './request-body.js';

/** A request as both doors hand it to the engine. */
export interface ReplayRequest {
  method: string;
  url: string;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  bodyText: string;
  /** `bodyText` parsed as JSON, or the text (undefined when empty). */
  body: unknown;
}

/** One way a request differs from a recording: `field` is `method`, `origin`, `path`, `query.<name>` or `body.<path>`. */
export interface Difference {
  field: string;
  recorded: unknown;
  sent: unknown;
}

/** What the recorder leaves where a secret was: `REDACTED` (the key itself) or `[redacted]` (an encoded form). */
const PLACEHOLDER = new RegExp(`${REDACTED}|\\[redacted\\]`);

/** A recorded string with a placeholder in it matches any text in that place (the recorder scrubs keys inside values). */
function matchesRedacted(recorded: string, sent: string): boolean {
  const pattern = recorded
    .split(PLACEHOLDER)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('[\\s\\S]*');
  return new RegExp(`^${pattern}$`).test(sent);
}

function pathText(path: readonly (string | number)[]): string {
  let out = 'body';
  for (const segment of path) out += typeof segment === 'number' ? `[${segment}]` : `.${segment}`;
  return out;
}

function diffValues(
  recorded: unknown,
  sent: unknown,
  path: (string | number)[],
  patterns: readonly FieldPattern[],
  out: Difference[],
): void {
  if (typeof recorded === 'string' && PLACEHOLDER.test(recorded)) {
    if (typeof sent !== 'string' || !matchesRedacted(recorded, sent))
      out.push({ field: pathText(path), recorded, sent });
    return;
  }
  if (Array.isArray(recorded) && Array.isArray(sent)) {
    const length = Math.max(recorded.length, sent.length);
    for (let i = 0; i < length; i += 1) diffValues(recorded[i], sent[i], [...path, i], patterns, out);
    return;
  }
  if (isObject(recorded) && isObject(sent)) {
    for (const key of new Set([...Object.keys(recorded), ...Object.keys(sent)])) {
      const child = [...path, key];
      if (!isIgnored(child, patterns)) diffValues(recorded[key], sent[key], child, patterns, out);
    }
    return;
  }
  if (!Object.is(recorded, sent)) out.push({ field: pathText(path), recorded, sent });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function queryDifferences(want: URL, got: URL, out: Difference[]): void {
  const names = new Set([...want.searchParams.keys(), ...got.searchParams.keys()]);
  for (const name of names) {
    const recorded = want.searchParams.get(name) ?? undefined;
    const sent = got.searchParams.get(name) ?? undefined;
    if (recorded === REDACTED && sent !== undefined) continue;
    if (recorded !== sent) out.push({ field: `query.${name}`, recorded, sent });
  }
}

/**
 * Every difference between a recording and a sent request. A recording without a body matches any
 * body (fixtures written before bodies were recorded); a redacted value matches any value.
 */
export function requestDifferences(
  recorded: RecordedRequest,
  request: ReplayRequest,
  patterns: readonly FieldPattern[],
): Difference[] {
  const out: Difference[] = [];
  if (recorded.method.toUpperCase() !== request.method.toUpperCase())
    out.push({ field: 'method', recorded: recorded.method.toUpperCase(), sent: request.method.toUpperCase() });
  let want: URL | undefined;
  let got: URL | undefined;
  try {
    want = new URL(recorded.url);
    got = new URL(request.url);
  } catch {
    if (recorded.url !== request.url) out.push({ field: 'url', recorded: recorded.url, sent: request.url });
  }
  if (want !== undefined && got !== undefined) {
    if (want.origin !== got.origin) out.push({ field: 'origin', recorded: want.origin, sent: got.origin });
    if (want.pathname !== got.pathname) out.push({ field: 'path', recorded: want.pathname, sent: got.pathname });
    queryDifferences(want, got, out);
  }
  if (recorded.body !== undefined) diffValues(recorded.body, request.body, [], patterns, out);
  return out;
}

/** How far a recording is from a request, for naming the closest one on a miss (method and path weigh most). */
export function distance(differences: readonly Difference[]): number {
  let total = 0;
  for (const { field } of differences) {
    if (field === 'method' || field === 'origin' || field === 'url') total += 1000;
    else if (field === 'path') total += 500;
    else if (field.startsWith('query.')) total += 10;
    else total += 1;
  }
  return total;
}
