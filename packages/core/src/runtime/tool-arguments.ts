/**
 * Checks a tool call's arguments against the tool's `parameters` before its handler runs, because
 * models do send `{ city: 42 }` for a string parameter, misspell fields and cut JSON short.
 *
 * - zod 4 (classic and mini) and other Standard Schema validators: `schema['~standard'].validate`
 *   (zod's safeParse underneath), and the parsed value is what the handler gets (coercions,
 *   defaults and transforms apply). Older zod-like schemas with only `safeParse`: that.
 * - JSON Schema: ajv, through the compile cache of `validate-json-schema.ts` (ajv is loaded on the
 *   first JSON Schema tool, never by importing core); the arguments are passed on as they are.
 *
 * Arguments that were not valid JSON (the parsers keep the text under `_raw` / `__raw`) are invalid
 * whatever the schema says. The outcome names each bad field, so the model can correct itself and a
 * caller can see what was wrong.
 */
import type { ErrorObject } from 'ajv';
import { InvalidResponseError } from '../errors/errors.js';
import type { ToolCall, ToolDefinition } from '../types/requests.js';
import { isSchemaLike } from './json-schema.js';
import { checkSchema } from './validate-json-schema.js';

/** One thing wrong with a call's arguments: where (`city`, `stops[2].name`; '' for the whole) and what. */
export interface ArgumentProblem {
  path: string;
  message: string;
}

/** The checked arguments, or what is wrong with them. */
export type ArgumentCheck =
  | { valid: true; arguments: Record<string, unknown> }
  | { valid: false; problems: ArgumentProblem[] };

/** The parts of a Standard Schema (https://standardschema.dev) this file uses. */
interface StandardSchemaLike {
  '~standard': {
    validate(value: unknown): StandardResult | Promise<StandardResult>;
  };
}
type StandardResult =
  | { value: unknown; issues?: undefined }
  | { issues: readonly { message: string; path?: readonly (PropertyKey | { key: PropertyKey })[] }[] };

/** `['stops', 2, 'name']` → `stops[2].name`. */
function joinPath(path: readonly unknown[] | undefined): string {
  let out = '';
  for (const part of path ?? []) {
    const key = typeof part === 'object' && part !== null && 'key' in part ? (part as { key: unknown }).key : part;
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

/** ajv's `/stops/2/name` → `stops[2].name`; a missing property is named itself, not its parent. */
function ajvProblem(error: ErrorObject): ArgumentProblem {
  const segments = error.instancePath === '' ? [] : error.instancePath.slice(1).split('/');
  const path: (string | number)[] = segments.map((segment) => {
    const key = segment.replaceAll('~1', '/').replaceAll('~0', '~');
    return /^\d+$/.test(key) ? Number(key) : key;
  });
  const params = error.params as { missingProperty?: string; additionalProperty?: string; allowedValues?: unknown[] };
  if (params.missingProperty !== undefined)
    return { path: joinPath([...path, params.missingProperty]), message: 'is required' };
  if (params.additionalProperty !== undefined)
    return { path: joinPath([...path, params.additionalProperty]), message: 'is not an allowed property' };
  const message = error.message ?? 'is invalid';
  return {
    path: joinPath(path),
    message: params.allowedValues === undefined ? message : `${message}: ${params.allowedValues.join(', ')}`,
  };
}

/** True when the provider's parser could not read the arguments as a JSON object. */
function unparsedText(args: Record<string, unknown>): string | undefined {
  const keys = Object.keys(args);
  if (keys.length !== 1) return undefined;
  const text = args._raw ?? args.__raw;
  return typeof text === 'string' ? text : undefined;
}

function fromStandard(result: StandardResult): ArgumentCheck {
  if (result.issues === undefined) return { valid: true, arguments: result.value as Record<string, unknown> };
  return {
    valid: false,
    problems: result.issues.map((issue) => ({ path: joinPath(issue.path), message: issue.message })),
  };
}

/**
 * Checks `call.arguments` against `tool.parameters`. Synchronous for zod and JSON Schema; a
 * promise only for a Standard Schema whose validation is asynchronous.
 */
export function checkToolArguments(tool: ToolDefinition, call: ToolCall): ArgumentCheck | Promise<ArgumentCheck> {
  const args = call.arguments;
  if (unparsedText(args) !== undefined)
    return { valid: false, problems: [{ path: '', message: 'are not valid JSON (send a JSON object)' }] };
  const schema = tool.parameters as unknown;
  // zod 4 implements Standard Schema (and falls back to its async parse there when a refinement is async).
  if (typeof schema === 'object' && schema !== null && '~standard' in schema) {
    const result = (schema as StandardSchemaLike)['~standard'].validate(args);
    return result instanceof Promise ? result.then(fromStandard) : fromStandard(result);
  }
  if (isSchemaLike(schema)) {
    const result = schema.safeParse(args) as {
      success: boolean;
      data?: unknown;
      error?: { issues?: readonly { path?: readonly PropertyKey[]; message: string }[] };
    };
    if (result.success) return { valid: true, arguments: result.data as Record<string, unknown> };
    const issues = result.error?.issues ?? [];
    return {
      valid: false,
      problems:
        issues.length === 0
          ? [{ path: '', message: 'do not match the schema' }]
          : issues.map((issue) => ({ path: joinPath(issue.path), message: issue.message })),
    };
  }
  const validate = checkSchema(`tools.${tool.name}.parameters`, schema);
  if (validate === undefined || validate(args)) return { valid: true, arguments: args };
  return { valid: false, problems: (validate.errors ?? []).map(ajvProblem) };
}

/** `city: expected string, received number; days: is required`. */
export function describeProblems(problems: readonly ArgumentProblem[]): string {
  return problems
    .map((problem) => (problem.path === '' ? problem.message : `${problem.path}: ${problem.message}`))
    .join('; ');
}

/** What the model is told when its call had bad arguments: enough to correct the call. */
export function argumentErrorForModel(toolName: string, problems: readonly ArgumentProblem[]): string {
  return `Invalid arguments for tool '${toolName}': ${describeProblems(problems)}. Call the tool again with corrected arguments.`;
}

/**
 * The `invalid-response` error for a call whose arguments are wrong and that cannot go back to the
 * model (no steps left, or the caller validates the calls it runs itself). `body` holds the tool,
 * the first bad field and every problem.
 */
export function invalidToolArguments(
  call: ToolCall,
  problems: readonly ArgumentProblem[],
  where: { provider?: string; model?: string } = {},
): InvalidResponseError {
  const field = problems[0]?.path ?? '';
  return new InvalidResponseError(
    `The model called tool '${call.name}' with invalid arguments: ${describeProblems(problems)}`,
    {
      ...(where.provider === undefined ? {} : { provider: where.provider }),
      ...(where.model === undefined ? {} : { model: where.model }),
      retryable: false,
      body: { tool: call.name, toolCallId: call.id, field, problems },
    },
  );
}
