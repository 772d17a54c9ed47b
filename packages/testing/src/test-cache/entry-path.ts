/**
 * Where a test's recordings live: `<dir>/<provider>/<test file>/<test name>.json`, so a review sees
 * which test and which provider a changed recording belongs to. The provider is read from the
 * request's host (the well-known API hosts), or given by the caller for local servers and proxies.
 */
import { createHash } from 'node:crypto';
import { isAbsolute, join, relative, sep } from 'node:path';

/** Which test a request belongs to. */
export interface TestIdentity {
  /** The test file (absolute, or relative to the cache's root). */
  file: string;
  /** The full test name (`describe > test`); undefined in hooks outside any test. */
  name: string | undefined;
}

/** The name of a file holding requests made outside any test (in `beforeAll`, `afterAll`). */
export const OUTSIDE_TESTS = '_hooks';

const KNOWN_HOSTS: readonly [RegExp, string][] = [
  [/^api\.openai\.com$/, 'openai'],
  [/^api\.anthropic\.com$/, 'anthropic'],
  [/^generativelanguage\.googleapis\.com$/, 'gemini'],
  [/^bedrock-runtime\.[a-z0-9-]+\.amazonaws\.com$/, 'bedrock'],
  [/\.openai\.azure\.com$/, 'azure-openai'],
  [/^api\.groq\.com$/, 'groq'],
  [/^api\.mistral\.ai$/, 'mistral'],
  [/^api\.deepseek\.com$/, 'deepseek'],
  [/^openrouter\.ai$/, 'openrouter'],
  [/^api\.perplexity\.ai$/, 'perplexity'],
  [/^api\.together\.xyz$/, 'together'],
  [/^api\.x\.ai$/, 'xai'],
];

const LOCAL_PORTS: Readonly<Record<string, string>> = { '11434': 'ollama', '1234': 'lmstudio', '8000': 'vllm' };

/** The provider folder for a request: a known API host's provider id, else the host name. */
export function providerOfUrl(url: URL): string {
  for (const [pattern, provider] of KNOWN_HOSTS) if (pattern.test(url.hostname)) return provider;
  const local = url.hostname === 'localhost' || url.hostname === '127.0.0.1';
  if (local && LOCAL_PORTS[url.port] !== undefined) return LOCAL_PORTS[url.port] as string;
  return safeSegment(url.hostname);
}

const LONGEST_SEGMENT = 120;

/** A file-name-safe form of a name: readable, stable, and cut with a hash suffix when long. */
export function safeSegment(name: string): string {
  const cleaned = name
    .replaceAll(' > ', ' - ')
    .replace(/[^A-Za-z0-9 ._+=,@()[\]-]+/g, '_')
    .replace(/^\.+/, '_')
    .trim();
  if (cleaned.length <= LONGEST_SEGMENT) return cleaned === '' ? '_' : cleaned;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 10);
  return `${cleaned.slice(0, LONGEST_SEGMENT - 11)}-${hash}`;
}

/** The test file as folders below the provider (relative to `root`, `/`-separated, each part safe). */
export function testFileSegments(file: string, root: string): string[] {
  const relativeFile = isAbsolute(file) ? relative(root, file) : file;
  return relativeFile
    .split(sep)
    .join('/')
    .split('/')
    .filter((part) => part !== '' && part !== '.')
    .map((part) => (part === '..' ? '_up' : safeSegment(part)));
}

/** The entry file of one test and provider, relative to the cache directory (`/`-separated). */
export function entryPath(provider: string, test: TestIdentity, root: string): string {
  const name = test.name === undefined ? OUTSIDE_TESTS : safeSegment(test.name);
  return [safeSegment(provider), ...testFileSegments(test.file, root), `${name}.json`].join('/');
}

/** The absolute file of an entry path. */
export function entryFile(dir: string, entry: string): string {
  return join(dir, ...entry.split('/'));
}
