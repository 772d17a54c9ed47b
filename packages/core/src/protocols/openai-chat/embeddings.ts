/** Embeddings (`POST /embeddings`) and the models list (`GET /models`) of OpenAI-compatible servers. */

import type { CallContext, HttpRequestSpec, PreparedEmbedRequest } from '../../types/protocol.js';
import type { ListedModel } from '../../types/requests.js';
import { decodeFloat32Base64 } from '../shared/base64.js';
import { asNumber, asRecord, asString } from '../shared/json.js';
import {
  checkNumbers,
  itemPath,
  optionalRecord,
  requireArray,
  requireBody,
  requireItem,
  requireNumberList,
  requireVectorCount,
  shapeError,
  shapeProblem,
  withBodyError,
  wrongShape,
} from '../shared/shape.js';
import { applyDialectParams, endpointUrl, mergeProviderOptions } from './request.js';

export function buildEmbedBody(ctx: CallContext, request: PreparedEmbedRequest): Record<string, unknown> {
  const dialect = ctx.descriptor.dialect ?? {};
  const body: Record<string, unknown> = {};
  if (!dialect.modelInPath) body.model = ctx.modelId;
  body.input = request.input;
  // Float is every server's default; only base64 is asked for explicitly.
  if (request.encoding === 'base64') body.encoding_format = 'base64';
  if (request.dimensions !== undefined) body.dimensions = request.dimensions;
  applyDialectParams(body, dialect);
  mergeProviderOptions(body, request.providerOptions, ctx.descriptor.id);
  return body;
}

export function embedRequest(ctx: CallContext, request: PreparedEmbedRequest): HttpRequestSpec {
  return {
    method: 'POST',
    url: endpointUrl(ctx, ctx.descriptor.endpoints.embeddings ?? '/embeddings'),
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(buildEmbedBody(ctx, request)),
  };
}

/**
 * Vectors in input order (sorted by `index`); base64 strings are decoded as little-endian float32.
 * The body must hold one vector per input, each an array of numbers or a base64 string: anything
 * else is `invalid-response` naming the field (`data[0].embedding is missing`).
 */
export function parseEmbed(
  ctx: CallContext,
  body: unknown,
  request: PreparedEmbedRequest,
): { embeddings: number[][]; inputTokens: number; raw: unknown } {
  const root = requireBody(ctx, body);
  const data = requireArray(ctx, root, 'data');
  requireVectorCount(ctx, data, request.input.length, 'data');
  const items = data.map((_, position) => {
    const item = requireItem(ctx, data, position, 'data');
    const path = itemPath('data', position);
    const embedding = item.embedding;
    const vector =
      typeof embedding === 'string'
        ? decodeFloat32Base64(embedding)
        : requireNumberList(ctx, embedding, `${path}.embedding`);
    checkNumbers(ctx, item, EMBEDDING_INDEX, path);
    return { index: asNumber(item.index) ?? position, vector };
  });
  items.sort((a, b) => a.index - b.index);
  const usage = optionalRecord(ctx, root, 'usage');
  if (usage !== undefined) checkNumbers(ctx, usage, EMBEDDING_USAGE, 'usage');
  return {
    embeddings: items.map((i) => i.vector),
    inputTokens: asNumber(usage?.prompt_tokens) ?? asNumber(usage?.total_tokens) ?? 0,
    raw: body,
  };
}

const EMBEDDING_INDEX = ['index'] as const;
const EMBEDDING_USAGE = ['prompt_tokens', 'total_tokens'] as const;

export function listModelsRequest(ctx: CallContext): HttpRequestSpec {
  return {
    method: 'GET',
    url: endpointUrl(ctx, ctx.descriptor.endpoints.models ?? '/models'),
    headers: { accept: 'application/json' },
  };
}

/** USD per token (OpenRouter's decimal strings) -> USD per 1M tokens, without float noise. */
export function perTokenToPerMillion(value: unknown): number | undefined {
  const n = asNumber(value);
  if (n === undefined || n < 0) return undefined;
  return Number((n * 1_000_000).toPrecision(12));
}

/**
 * The models list: `{ data: [...] }` (OpenAI), `{ models: [...] }` or a bare array (some local
 * servers). Every entry needs an `id` (or a `name`, on servers that send only that).
 */
export function parseModels(ctx: CallContext, body: unknown): ListedModel[] {
  let list: unknown[];
  let listPath: string;
  if (Array.isArray(body)) {
    list = body;
    listPath = 'body';
  } else {
    const root = requireBody(ctx, body);
    listPath = root.data === undefined && root.models !== undefined ? 'models' : 'data';
    const value = root[listPath];
    if (!Array.isArray(value)) throw shapeError(ctx, withBodyError(shapeProblem(listPath, value, 'an array'), root));
    list = value;
  }
  const out: ListedModel[] = [];
  for (let position = 0; position < list.length; position++) {
    const entry = list[position];
    const m = requireItem(ctx, list, position, listPath);
    const id = asString(m.id) ?? asString(m.name);
    if (id === undefined) throw wrongShape(ctx, `${itemPath(listPath, position)}.id`, m.id, 'a string');
    const model: ListedModel = { id, provider: ctx.descriptor.id, raw: entry };
    const name = asString(m.name);
    if (name !== undefined && name !== id) model.name = name;
    const context =
      asNumber(m.context_length) ??
      asNumber(m.context_window) ??
      asNumber(m.max_model_len) ??
      asNumber(m.max_context_length) ??
      asNumber(asRecord(m.top_provider).context_length);
    if (context !== undefined) model.contextWindow = context;
    const pricing = asRecord(m.pricing);
    const input = perTokenToPerMillion(pricing.prompt);
    const output = perTokenToPerMillion(pricing.completion);
    if (input !== undefined || output !== undefined) {
      model.pricing = {};
      if (input !== undefined) model.pricing.input = input;
      if (output !== undefined) model.pricing.output = output;
    }
    out.push(model);
  }
  return out;
}
