/** Embeddings (`POST /embeddings`) and the models list (`GET /models`) of OpenAI-compatible servers. */
import type { ListedModel } from '../../runtime/types.js';
import { decodeFloat32Base64 } from '../shared/base64.js';
import { asArray, asNumber, asRecord, asString } from '../shared/json.js';
import type { CallContext, HttpRequestSpec, PreparedEmbedRequest } from '../types.js';
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

/** Vectors in input order (sorted by `index`); base64 strings are decoded as little-endian float32. */
export function parseEmbed(
  _ctx: CallContext,
  body: unknown,
  _request: PreparedEmbedRequest,
): { embeddings: number[][]; inputTokens: number; raw: unknown } {
  const root = asRecord(body);
  const items = asArray(root.data).map((d, i) => {
    const item = asRecord(d);
    const e = item.embedding;
    const vector =
      typeof e === 'string' ? decodeFloat32Base64(e) : asArray(e).map((x) => (typeof x === 'number' ? x : Number(x)));
    return { index: asNumber(item.index) ?? i, vector };
  });
  items.sort((a, b) => a.index - b.index);
  const usage = asRecord(root.usage);
  return {
    embeddings: items.map((i) => i.vector),
    inputTokens: asNumber(usage.prompt_tokens) ?? asNumber(usage.total_tokens) ?? 0,
    raw: body,
  };
}

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

export function parseModels(ctx: CallContext, body: unknown): ListedModel[] {
  const root = asRecord(body);
  const list = Array.isArray(body) ? body : asArray(root.data ?? root.models);
  const out: ListedModel[] = [];
  for (const entry of list) {
    const m = asRecord(entry);
    const id = asString(m.id) ?? asString(m.name);
    if (id === undefined) continue;
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
