/**
 * The query string of `GET /api/models`, checked and turned into core's catalog filter. Lists may be
 * comma-separated or repeated (`capability=tools,vision` or `capability=tools&capability=vision`);
 * capability names may be canonical or any alias core knows (`tool_use`, `image_input`). Every
 * problem is a 400 naming the parameter, and an unknown parameter is one too: a typo such as
 * `maxcost` silently ignored would answer an unfiltered list that looks filtered.
 */
import {
  type Catalog,
  type FindModelsOptions,
  type ModelType,
  normalizeCapability,
  suggestCapability,
} from '@switchboard/core';
import { badParameter } from './api-error.js';

/** The parameters `GET /api/models` takes. */
export const MODEL_QUERY_PARAMETERS = ['provider', 'capability', 'maxCost', 'minContext', 'type'] as const;

const MODEL_TYPES: readonly (ModelType | 'any')[] = [
  'chat',
  'embedding',
  'image',
  'audio',
  'rerank',
  'moderation',
  'any',
];

type QueryValue = string | string[] | undefined;

/** The values of a list parameter: repeated and comma-separated forms, trimmed, empty ones dropped. */
function listOf(value: QueryValue): string[] {
  const raw = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return raw
    .flatMap((item) => item.split(','))
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** The single value of a scalar parameter (repeating it is an error, not a silent pick). */
function single(name: string, value: QueryValue): string | undefined {
  if (Array.isArray(value))
    throw badParameter(name, `Query parameter ${name} is given ${value.length} times; give it once`);
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/** A non-negative number parameter. */
function numberOf(name: string, value: QueryValue, integer: boolean): number | undefined {
  const text = single(name, value);
  if (text === undefined) return undefined;
  const parsed = Number(text);
  if (!Number.isFinite(parsed) || parsed < 0 || (integer && !Number.isInteger(parsed)))
    throw badParameter(
      name,
      `Query parameter ${name} must be a ${integer ? 'non-negative integer' : 'non-negative number'}, got ${JSON.stringify(text)}`,
    );
  return parsed;
}

/** Checks the query of `GET /api/models` against the catalog and returns core's filter. */
export function parseModelQuery(query: Record<string, QueryValue>, catalog: Catalog): FindModelsOptions {
  for (const name of Object.keys(query))
    if (!(MODEL_QUERY_PARAMETERS as readonly string[]).includes(name))
      throw badParameter(
        name,
        `Unknown query parameter ${JSON.stringify(name)}; GET /api/models takes ${MODEL_QUERY_PARAMETERS.join(', ')}`,
      );
  const filter: FindModelsOptions = {};

  const providers = listOf(query.provider);
  for (const provider of providers)
    if (catalog.getProvider(provider) === undefined)
      throw badParameter(
        'provider',
        `Unknown provider ${JSON.stringify(provider)} in query parameter provider; installed: ${catalog.providers.map((entry) => entry.id).join(', ')}`,
      );
  if (providers.length > 0) filter.provider = providers;

  const capabilities = listOf(query.capability);
  for (const capability of capabilities)
    if (normalizeCapability(capability) === undefined) {
      const suggestion = suggestCapability(capability);
      throw badParameter(
        'capability',
        `Unknown capability ${JSON.stringify(capability)} in query parameter capability${suggestion === undefined ? '' : `; did you mean "${suggestion}"?`}`,
      );
    }
  if (capabilities.length > 0) filter.capabilities = capabilities;

  const maxCost = numberOf('maxCost', query.maxCost, false);
  if (maxCost !== undefined) filter.maxCostPer1M = maxCost;
  const minContext = numberOf('minContext', query.minContext, true);
  if (minContext !== undefined) filter.minContext = minContext;

  const type = single('type', query.type);
  if (type !== undefined) {
    if (!(MODEL_TYPES as readonly string[]).includes(type))
      throw badParameter(
        'type',
        `Query parameter type must be one of ${MODEL_TYPES.join(', ')}, got ${JSON.stringify(type)}`,
      );
    filter.type = type as ModelType | 'any';
  }
  return filter;
}
