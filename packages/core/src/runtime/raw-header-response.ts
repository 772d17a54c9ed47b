/**
 * What the undici transport's responses share, whether their body is read as a stream or whole:
 * the header record undici parsed (names lower-cased, repeated values as arrays), read one header
 * at a time without building a WHATWG `Headers` object, which validates and copies every header
 * (~13 % of the gateway's CPU between a stream's headers and its first event, issue 11).
 */

/**
 * The response header (`x-switchboard-cache: test`) by which `@switchboard/testing`'s test cache
 * marks an answer it served from a recording; core surfaces it as `res.fromCache`.
 */
export const TEST_CACHE_HEADER = 'x-switchboard-cache';

/** Response headers as undici hands them to a dispatch handler and to `request()`'s callers. */
export type RawHeaders = Record<string, string | string[] | undefined>;

function headersFromRecord(record: RawHeaders): Headers {
  const headers = new Headers();
  for (const name in record) {
    const value = record[name];
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else headers.set(name, value);
  }
  return headers;
}

/** A status and undici's raw header record; the `Headers` object is built only when asked for. */
export abstract class RawHeaderResponse {
  readonly status: number;
  private readonly rawHeaders: RawHeaders;
  private built: Headers | undefined;

  constructor(status: number, rawHeaders: RawHeaders) {
    this.status = status;
    this.rawHeaders = rawHeaders;
  }

  /** Built on first access. */
  get headers(): Headers {
    this.built ??= headersFromRecord(this.rawHeaders);
    return this.built;
  }

  /**
   * One header by its lower-case name, read from the raw record; repeated values joined as
   * `Headers.get` joins them.
   */
  header(name: string): string | null {
    const value = this.rawHeaders[name];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(', ') : value;
  }

  /** One property read of the raw headers: no Headers object is built. */
  get fromCache(): 'test' | undefined {
    return this.rawHeaders[TEST_CACHE_HEADER] === 'test' ? 'test' : undefined;
  }
}
