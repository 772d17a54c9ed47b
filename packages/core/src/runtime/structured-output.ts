/**
 * Structured output: gets an object matching the request's zod schema out of the model, whichever
 * way the provider supports (native JSON schema, a forced tool, JSON mode), validates it, and on a
 * mismatch shows the model its answer and the validation error, up to `maxRetries` times, before
 * failing with a StructuredOutputError that keeps the last raw answer.
 */

import { StructuredOutputError } from '../errors/errors.js';
import type { ChatRequest, ChatResponse } from '../types/requests.js';
import { isSchemaLike } from './json-schema.js';
import type { StructuredPlan } from './structured-plan.js';
import { addCost, addUsage } from './usage.js';

/** Retries after the first attempt when `maxRetries` is not given. */
export const DEFAULT_STRUCTURED_OUTPUT_RETRIES = 2;

/** Removes a Markdown code fence some models wrap JSON in. */
export function stripFence(text: string): string {
  const trimmed = text.trim();
  const fenced = /^```(?:json)?\s*([\s\S]*?)\s*```$/i.exec(trimmed);
  return fenced?.[1] ?? trimmed;
}

/** The raw answer: the forced tool's arguments, or the text. */
export function structuredText(response: ChatResponse, plan: StructuredPlan | undefined): string {
  if (plan?.mode === 'tool') {
    const call = response.toolCalls.find((candidate) => candidate.name === plan.name) ?? response.toolCalls[0];
    if (call !== undefined) return JSON.stringify(call.arguments);
  }
  return response.text;
}

/** The outcome of checking one answer: the validated object, or why it failed. */
export type StructuredCheck = { success: true; data: unknown } | { success: false; error: unknown };

/**
 * Parses a raw answer (code fence removed) and validates it against the schema. A plain JSON Schema
 * (no `safeParse`) is only parsed: core sends it to the provider but does not validate it locally.
 */
export function checkStructured(text: string, schema: ChatRequest['schema']): StructuredCheck {
  let value: unknown;
  try {
    value = JSON.parse(stripFence(text));
  } catch (error) {
    return { success: false, error };
  }
  if (!isSchemaLike(schema)) return { success: true, data: value };
  const parsed = schema.safeParse(value);
  return parsed.success ? { success: true, data: parsed.data } : { success: false, error: parsed.error };
}

/** The warning for a schema given as plain JSON Schema, which core cannot validate. */
export const UNVALIDATED_SCHEMA_WARNING =
  'schema is plain JSON Schema: the answer was parsed but not validated locally (pass a zod schema to validate it)';

/** Describes a validation or parse error for the model and for the error message. */
export function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  try {
    return JSON.stringify(error);
  } catch {
    return String(error);
  }
}

/** Runs attempts until the answer validates. `step` performs one model call. */
export async function runStructuredOutput(
  request: ChatRequest,
  step: (request: ChatRequest) => Promise<{ response: ChatResponse; structured: StructuredPlan | undefined }>,
): Promise<ChatResponse> {
  const schema = request.schema;
  if (schema === undefined) return (await step(request)).response;
  // A plain JSON Schema (no `safeParse`) is still sent to the provider, which enforces it natively or
  // through the forced tool; core has no validator for it, so the answer is parsed, not validated.
  const unvalidated = !isSchemaLike(schema);
  const retries = Math.max(0, request.maxRetries ?? DEFAULT_STRUCTURED_OUTPUT_RETRIES);
  let current = request;
  let total: ChatResponse | undefined;
  let lastText = '';
  let lastError: unknown;
  for (let attempt = 0; attempt <= retries; attempt += 1) {
    const { response, structured } = await step(current);
    if (total === undefined) total = response;
    else {
      const cost = addCost(total.cost, response.cost);
      total = {
        ...response,
        usage: addUsage(total.usage, response.usage),
        latencyMs: total.latencyMs + response.latencyMs,
      };
      if (cost === undefined) delete total.cost;
      else total.cost = cost;
    }
    lastText = structuredText(response, structured);
    const checked = checkStructured(lastText, schema);
    if (checked.success) {
      total.object = checked.data;
      if (unvalidated) total.warnings = [...total.warnings, UNVALIDATED_SCHEMA_WARNING];
      if (structured?.mode === 'tool' && total.text === '') total.text = lastText;
      return total;
    }
    lastError = checked.error;
    current = {
      ...current,
      messages: [
        ...current.messages,
        { role: 'assistant', content: lastText },
        {
          role: 'user',
          content: `Your answer did not match the required schema: ${describe(lastError)}\nAnswer again with only a corrected JSON object.`,
        },
      ],
    };
  }
  throw new StructuredOutputError(
    `The model's answer did not match the schema after ${retries + 1} attempts: ${describe(lastError)}`,
    {
      provider: total?.provider,
      model: total?.model,
      text: lastText,
      validationError: lastError,
    },
  );
}
