/**
 * Bedrock's model list lives on the control plane, not on the runtime host chat uses:
 * `GET https://bedrock.{region}.amazonaws.com/foundation-models` (ListFoundationModels), signed with
 * SigV4 for the same service name (`bedrock`) and region as the runtime calls, so sign.ts serves both.
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_ListFoundationModels.html
 */

import type { CallContext, HttpRequestSpec } from '../../types/protocol.js';
import type { ListedModel } from '../../types/requests.js';
import {
  itemPath,
  type JsonRecord,
  optionalString,
  requireArray,
  requireBody,
  requireItem,
  requireString,
  wrongShape,
} from '../shared/shape.js';

/** AWS runtime hosts (public, FIPS, VPC endpoint): `bedrock-runtime` is one label of the name. */
const RUNTIME_LABEL = /(^|\.)bedrock-runtime(-fips)?\./;
const AWS_HOST = /\.amazonaws\.com(\.cn)?$/;

/**
 * The control-plane URL of the list. An AWS runtime host becomes its control-plane twin
 * (`bedrock-runtime.us-east-1.amazonaws.com` → `bedrock.us-east-1.amazonaws.com`, FIPS and VPC
 * endpoint names alike); any other base URL (a proxy, `BEDROCK_BASE_URL`) is asked for
 * `/foundation-models` itself. An absolute `endpoints.models` in the catalog wins over both.
 */
export function foundationModelsUrl(ctx: CallContext): string {
  const configured = ctx.descriptor.endpoints.models;
  if (configured !== undefined && /^https?:\/\//.test(configured)) return configured;
  const url = new URL(ctx.baseURL);
  if (AWS_HOST.test(url.hostname) && RUNTIME_LABEL.test(url.hostname)) {
    url.hostname = url.hostname.replace(RUNTIME_LABEL, '$1bedrock$2.');
  }
  const path = configured ?? '/foundation-models';
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

/** ListFoundationModels without filters: every model the region offers, in one page. */
export function buildModelsRequest(ctx: CallContext): HttpRequestSpec {
  return { method: 'GET', url: foundationModelsUrl(ctx), headers: { accept: 'application/json' } };
}

/** An optional list of strings (modalities, inference types), lower-cased for modalities. */
function stringList(ctx: CallContext, model: JsonRecord, field: string, path: string): string[] | undefined {
  const value = model[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string'))
    throw wrongShape(ctx, `${path}.${field}`, value, 'a list of strings');
  return value as string[];
}

/**
 * `{ modelSummaries: [{ modelId, modelName, providerName, inputModalities, outputModalities,
 * responseStreamingSupported, inferenceTypesSupported, ... }] }`. Every summary needs a `modelId`;
 * a body without the list (an error page, a runtime answer) is `invalid-response`. Modalities are
 * lower-cased (`TEXT` → `text`); inference types stay as AWS spells them (`ON_DEMAND`,
 * `INFERENCE_PROFILE`: such a model is called through a `us.`/`eu.`/`global.` profile id).
 */
export function parseModels(ctx: CallContext, body: unknown): ListedModel[] {
  const root = requireBody(ctx, body);
  const summaries = requireArray(ctx, root, 'modelSummaries');
  return summaries.map((_, index): ListedModel => {
    const model = requireItem(ctx, summaries, index, 'modelSummaries');
    const path = itemPath('modelSummaries', index);
    const listed: ListedModel = {
      id: requireString(ctx, model, 'modelId', path),
      provider: ctx.descriptor.id,
      raw: model,
    };
    const name = optionalString(ctx, model, 'modelName', path);
    if (name !== undefined) listed.name = name;
    const owner = optionalString(ctx, model, 'providerName', path);
    if (owner !== undefined) listed.ownedBy = owner;
    const input = stringList(ctx, model, 'inputModalities', path);
    if (input !== undefined) listed.inputModalities = input.map((m) => m.toLowerCase());
    const output = stringList(ctx, model, 'outputModalities', path);
    if (output !== undefined) listed.outputModalities = output.map((m) => m.toLowerCase());
    const streaming = model.responseStreamingSupported;
    if (typeof streaming === 'boolean') listed.streaming = streaming;
    else if (streaming !== undefined && streaming !== null)
      throw wrongShape(ctx, `${path}.responseStreamingSupported`, streaming, 'a boolean');
    const inference = stringList(ctx, model, 'inferenceTypesSupported', path);
    if (inference !== undefined) listed.inferenceTypes = inference;
    return listed;
  });
}
