/**
 * The body of `POST /api/models/recommend`: core's `recommendModels` options as JSON, checked field
 * by field (unknown fields too, so a misspelt preference is an error rather than ignored). Only what
 * JSON can carry: `isAvailable` is the gateway's own business (core passes its health results).
 * Capability names and providers are checked by core, whose errors name them.
 */
import type { RecommendModelsOptions } from '@switchboard/core';
import { z } from 'zod';
import { badParameter } from './api-error.js';

/** Most recommendations one answer holds. */
export const MAX_RECOMMENDATIONS = 100;

const names = z.array(z.string().min(1)).max(64);
const latencyTier = z.enum(['fast', 'medium', 'slow']);

const recommendBody = z.strictObject({
  features: names.optional(),
  capabilities: names.optional(),
  provider: z.union([z.string().min(1), names]).optional(),
  providers: names.optional(),
  type: z.enum(['chat', 'embedding', 'image', 'audio', 'rerank', 'moderation', 'any']).optional(),
  minContext: z.number().int().nonnegative().optional(),
  maxCostPer1M: z.number().nonnegative().optional(),
  local: z.boolean().optional(),
  openWeights: z.boolean().optional(),
  minQuality: z.union([z.number().min(0).max(100), z.enum(['good', 'high', 'highest'])]).optional(),
  latencyTier: z.union([latencyTier, z.array(latencyTier).min(1)]).optional(),
  maxLatency: z.number().positive().optional(),
  exclude: names.optional(),
  speed: z.enum(['fast', 'balanced', 'any']).optional(),
  preferLocal: z.boolean().optional(),
  preferOpenWeights: z.boolean().optional(),
  preferFree: z.boolean().optional(),
  includeDeprecated: z.boolean().optional(),
  limit: z.number().int().min(1).max(MAX_RECOMMENDATIONS).optional(),
});

/** Checks a recommend body (an absent body means no requirements) and returns core's options. */
export function parseRecommendBody(body: unknown): RecommendModelsOptions {
  const result = recommendBody.safeParse(body ?? {});
  if (result.success) return result.data as RecommendModelsOptions;
  const issue = result.error.issues[0];
  if (issue === undefined) throw badParameter('body', 'The body is not valid recommendModels options');
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? 'body';
    throw badParameter(
      key,
      `Unknown field ${JSON.stringify(key)} in the recommend body; fields: ${Object.keys(recommendBody.shape).join(', ')}`,
    );
  }
  const param = issue.path.length === 0 ? 'body' : issue.path.map(String).join('.');
  const message =
    issue.path.length === 0
      ? `The body must be a JSON object of recommendModels options: ${issue.message}`
      : `Field ${param}: ${issue.message}`;
  throw badParameter(param, message);
}
