/**
 * The project's Anthropic and Gemini contract fixtures are conversions of third-party recordings in
 * `../shared/fixtures/`: check every converted response (and request body) still equals its source,
 * so a fixture cannot drift from what was recorded. Skipped where the shared folder is absent.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type Fixture, REPO_ROOT } from './test-helpers.js';

/** The folder holding `shared/fixtures/` (the repository's parent). */
const WORK = `${REPO_ROOT}../`;

interface Provenance {
  source: string;
  interaction?: number;
}

function text(value: unknown): string {
  if (value instanceof Uint8Array) {
    const bytes = value[0] === 0x1f && value[1] === 0x8b ? gunzipSync(value) : value;
    return new TextDecoder().decode(bytes);
  }
  return String(value);
}

/** The recorded request body and response body (parsed JSON or raw text) of a cassette interaction. */
function fromCassette(source: string, index: number): { request?: unknown; response: unknown; text?: string } {
  // biome-ignore lint/suspicious/noExplicitAny: cassette documents are untyped YAML
  const doc = parse(readFileSync(source, 'utf8'), { schema: 'yaml-1.1' }) as Record<string, any>;
  const it = (doc.interactions ?? doc.http_interactions)[index];
  const req = it.request;
  const res = it.response;
  const request = req.parsed_body ?? (req.body ? JSON.parse(text(req.body.string ?? req.body)) : undefined);
  if (res.parsed_body !== undefined) return { request, response: res.parsed_body };
  const body = text(res.body.string ?? res.body);
  try {
    return { request, response: JSON.parse(body), text: body };
  } catch {
    return { request, response: undefined, text: body };
  }
}

const dataPayloads = (sse: string) =>
  sse
    .split('\n')
    .filter((l) => l.startsWith('data: '))
    .map((l) => JSON.parse(l.slice(6)));

const fixtures = ['anthropic', 'gemini'].flatMap((provider) =>
  readdirSync(`${REPO_ROOT}test/contract/fixtures/${provider}`)
    .filter((f) => f.endsWith('.json'))
    .map((f) => ({
      name: `${provider}/${f}`,
      fixture: JSON.parse(readFileSync(`${REPO_ROOT}test/contract/fixtures/${provider}/${f}`, 'utf8')) as Fixture,
    })),
);

describe.skipIf(!existsSync(`${WORK}shared/fixtures`))('anthropic/gemini fixtures match their recorded sources', () => {
  for (const { name, fixture } of fixtures) {
    const provenance = fixture.provenance as Provenance | string;
    if (typeof provenance === 'string') {
      it(`${name} is marked synthesized`, () => expect(provenance).toMatch(/^synthesized from .*https:\/\//));
      continue;
    }
    it(`${name} equals ${provenance.source}`, () => {
      const source = `${WORK}${provenance.source}`;
      const res = fixture.response;
      if (/\.ya?ml$/.test(source)) {
        const recorded = fromCassette(source, provenance.interaction ?? 0);
        if (res.bodyText !== undefined) expect(res.bodyText).toBe(recorded.text);
        else expect(res.body).toEqual(recorded.response);
        if (fixture.request !== undefined) expect(fixture.request.body).toEqual(recorded.request);
      } else if (source.endsWith('.chunks.txt')) {
        const lines = readFileSync(source, 'utf8')
          .split('\n')
          .filter((l) => l.trim() !== '');
        expect(dataPayloads(res.bodyText ?? '')).toEqual(lines.map((l) => JSON.parse(l)));
      } else if (source.endsWith('.sse')) {
        expect(res.bodyText).toBe(readFileSync(source, 'utf8'));
      } else {
        expect(res.body).toEqual(JSON.parse(readFileSync(source, 'utf8')));
      }
    });
  }
});
