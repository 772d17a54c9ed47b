/**
 * Checks of one contract case: the request the SDK sent (method, path, headers, body, no secret
 * outside the auth header) and the normalized result or error (DESIGN 7).
 *
 * `request.headers` / `request.body` values may use `{apiKey}` (the case's key) and `$absent` (the
 * header or body key must not be sent); a header value `$match:<regex>` must match the regex.
 * `request.body` is a partial match. Auth is checked where the catalog's `auth` says (header, bearer,
 * query parameter, or a SigV4 signature made with the harness's fake AWS identity). `expect` keys:
 * text, textStartsWith, textContains, reasoning, reasoningStartsWith, toolCalls (exact),
 * toolCallCount, finishReason, rawFinishReason, usage (partial), citations, citationCount, id, model,
 * embeddings {count, dimensions, first}, inputTokens, models {count, includes}, requestSent (false: core
 * must refuse before sending), and
 * error {kind, status, retryable, retryAfterMs, requestId, code, messageContains} (`$absent`: not set).
 */

import type { ContractCaseSpec, ProviderDescriptor } from '@switchboard/core';
import { expect } from 'vitest';
import { type CapturedRequest, type CaseOutcome, FAKE_AWS } from './harness.js';

const ABSENT = '$absent';
const MATCH = '$match:';

function substitute(value: unknown, apiKey: string): unknown {
  if (typeof value === 'string') return value.split('{apiKey}').join(apiKey);
  if (Array.isArray(value)) return value.map((v) => substitute(v, apiKey));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = substitute(v, apiKey);
    return out;
  }
  return value;
}

/** Partial deep match (objects: listed keys; arrays: same length, items matched partially); `$absent` = key missing. */
function matchPartial(actual: unknown, expected: unknown, path: string): void {
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual), `${path} should be an array`).toBe(true);
    expect(actual as unknown[], `${path} length`).toHaveLength(expected.length);
    expected.forEach((item, i) => {
      matchPartial((actual as unknown[])[i], item, `${path}[${i}]`);
    });
    return;
  }
  if (expected && typeof expected === 'object' && !Array.isArray(expected)) {
    expect(actual, `${path} should be an object`).toBeTypeOf('object');
    const a = (actual ?? {}) as Record<string, unknown>;
    for (const [k, v] of Object.entries(expected)) {
      if (v === ABSENT) expect(a, `${path}.${k} should be absent`).not.toHaveProperty(k);
      else matchPartial(a[k], v, `${path}.${k}`);
    }
    return;
  }
  expect(actual, path).toEqual(expected);
}

function authHeader(descriptor: ProviderDescriptor): { name: string; value: (key: string) => string } | undefined {
  const { auth } = descriptor;
  if (auth.type === 'bearer')
    return { name: (auth.header ?? 'authorization').toLowerCase(), value: (k) => `${auth.prefix ?? 'Bearer '}${k}` };
  if (auth.type === 'header')
    return { name: (auth.header ?? 'x-api-key').toLowerCase(), value: (k) => `${auth.prefix ?? ''}${k}` };
  return undefined;
}

export function checkRequest(
  outcome: CaseOutcome,
  spec: ContractCaseSpec,
  descriptor: ProviderDescriptor,
  apiKey: string,
): void {
  const req = outcome.request;
  if ((spec.expect as Record<string, unknown>).requestSent === false) {
    expect(req, 'no request should be sent').toBeUndefined();
    return;
  }
  expect(req, `no request was sent (${outcome.error?.message ?? 'no error'})`).toBeDefined();
  if (!req) return;
  const want = (substitute(spec.request ?? {}, apiKey) ?? {}) as NonNullable<ContractCaseSpec['request']>;
  expect(req.method).toBe(want.method ?? (spec.kind === 'models' ? 'GET' : 'POST'));
  if (want.path !== undefined) {
    const actual = want.path.includes('?') ? req.path : req.path.split('?')[0];
    expect(actual).toBe(want.path);
  }
  for (const [name, value] of Object.entries(want.headers ?? {})) {
    if (value === ABSENT) expect(req.rawHeaders).not.toHaveProperty(name.toLowerCase());
    else if (value.startsWith(MATCH))
      expect(req.rawHeaders[name.toLowerCase()], `header ${name}`).toMatch(new RegExp(value.slice(MATCH.length)));
    else expect(req.rawHeaders[name.toLowerCase()], `header ${name}`).toBe(value);
  }
  if (want.body !== undefined) matchPartial(req.body, want.body, 'body');

  // Auth: exactly where the catalog says, and nowhere else.
  const auth = authHeader(descriptor);
  if (auth) expect(req.rawHeaders[auth.name], `auth header ${auth.name}`).toBe(auth.value(apiKey));
  if (descriptor.auth.type === 'aws-sigv4') checkSigV4(req);
  if (descriptor.auth.type === 'query')
    expect(new URL(req.url).searchParams.get(descriptor.auth.queryParam ?? 'key')).toBe(apiKey);
  else expect(req.url).not.toContain(apiKey);
  expect(req.bodyText).not.toContain(apiKey);
  for (const [name, value] of Object.entries(req.rawHeaders)) {
    if (name !== auth?.name) expect(value, `header ${name} leaks the key`).not.toContain(apiKey);
  }
  expect(JSON.stringify(req.headers)).not.toContain(apiKey);
}

const SIGV4 = new RegExp(
  `^AWS4-HMAC-SHA256 Credential=${FAKE_AWS.accessKeyId}/(\\d{8})/[a-z0-9-]+/[a-z0-9-]+/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=[0-9a-f]{64}$`,
);

/** A SigV4 signature by the harness's fake AWS identity, over host, date, body hash and session token. */
function checkSigV4(req: CapturedRequest): void {
  const authorization = req.rawHeaders.authorization ?? '';
  const m = SIGV4.exec(authorization);
  expect(m, `SigV4 authorization header: ${authorization}`).not.toBeNull();
  const date = req.rawHeaders['x-amz-date'] ?? '';
  expect(date).toMatch(/^\d{8}T\d{6}Z$/);
  expect(m?.[1], 'credential scope date').toBe(date.slice(0, 8));
  const signed = (m?.[2] ?? '').split(';');
  for (const h of ['host', 'x-amz-date', 'x-amz-content-sha256', 'x-amz-security-token'])
    expect(signed, `SignedHeaders has ${h}`).toContain(h);
  expect(req.rawHeaders['x-amz-content-sha256']).toMatch(/^[0-9a-f]{64}$/);
  expect(req.rawHeaders['x-amz-security-token']).toBe(FAKE_AWS.sessionToken);
}

function closeTo(actual: number[] | undefined, expected: number[]): void {
  expect(actual).toBeDefined();
  expected.forEach((v, i) => {
    expect(actual?.[i], `embedding[${i}]`).toBeCloseTo(v, 5);
  });
}

export function checkResult(outcome: CaseOutcome, spec: ContractCaseSpec, apiKey: string): void {
  const want = spec.expect as Record<string, any>;
  if (want.error !== undefined) {
    const err = outcome.error as (Error & Record<string, unknown>) | undefined;
    expect(err, 'expected an error').toBeDefined();
    if (!err) return;
    const e = want.error as Record<string, unknown>;
    for (const key of ['kind', 'status', 'retryable', 'retryAfterMs', 'requestId', 'code'] as const) {
      if (e[key] === ABSENT) expect(err[key], `error.${key}`).toBeUndefined();
      else if (e[key] !== undefined) expect(err[key], `error.${key}`).toEqual(e[key]);
    }
    if (e.messageContains !== undefined) expect(err.message).toContain(e.messageContains);
    expect(err.message).not.toContain(apiKey);
    expect(JSON.stringify(err.body ?? null)).not.toContain(apiKey);
    if (want.text !== undefined) expect((outcome.result?.text ?? '') as string).toBe(want.text);
    return;
  }
  expect(outcome.error, `unexpected error: ${outcome.error?.message}`).toBeUndefined();
  const r = outcome.result ?? {};
  if (want.text !== undefined) expect(r.text).toBe(want.text);
  if (want.textStartsWith !== undefined)
    expect(
      r.text?.startsWith(want.textStartsWith),
      `text starts with ${want.textStartsWith}: ${r.text?.slice(0, 80)}`,
    ).toBe(true);
  if (want.textContains !== undefined) expect(r.text).toContain(want.textContains);
  if (want.reasoning !== undefined) expect(r.reasoning).toBe(want.reasoning);
  if (want.reasoningStartsWith !== undefined) expect(r.reasoning?.startsWith(want.reasoningStartsWith)).toBe(true);
  if (want.toolCalls !== undefined) expect(r.toolCalls).toEqual(want.toolCalls);
  if (want.toolCallCount !== undefined) expect(r.toolCalls ?? []).toHaveLength(want.toolCallCount);
  if (want.finishReason !== undefined) expect(r.finishReason).toBe(want.finishReason);
  if (want.rawFinishReason !== undefined) expect(r.rawFinishReason).toBe(want.rawFinishReason);
  if (want.usage !== undefined) expect(r.usage).toMatchObject(want.usage);
  if (want.citations !== undefined) expect(r.citations).toEqual(want.citations);
  if (want.citationCount !== undefined) expect(r.citations ?? []).toHaveLength(want.citationCount);
  if (want.id !== undefined) expect(r.id).toBe(want.id);
  if (want.model !== undefined) expect(r.model).toBe(want.model);
  if (want.embeddings !== undefined) {
    const e = want.embeddings as { count?: number; dimensions?: number; first?: number[] };
    if (e.count !== undefined) expect(r.embeddings).toHaveLength(e.count);
    if (e.dimensions !== undefined) for (const v of r.embeddings ?? []) expect(v).toHaveLength(e.dimensions);
    if (e.first !== undefined) closeTo(r.embeddings?.[0], e.first);
  }
  if (want.inputTokens !== undefined) expect(r.inputTokens).toBe(want.inputTokens);
  if (want.models !== undefined) {
    const m = want.models as { count?: number; includes?: Record<string, unknown>[] };
    if (m.count !== undefined) expect(r.models).toHaveLength(m.count);
    for (const inc of m.includes ?? []) expect(r.models).toContainEqual(expect.objectContaining(inc));
  }
  expect(JSON.stringify(r)).not.toContain(apiKey);
}
