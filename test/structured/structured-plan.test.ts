/**
 * The structured-output mode comes from the model's catalog facts (issue 9, item 1): models the
 * catalog marks as lacking structured output never get `response_format: json_schema`, even on a
 * provider whose API has it.
 */

import type { ModelSpec, ProviderDescriptor } from '@switchboard/core';
import { createAnthropic } from '@switchboard/provider-anthropic';
import { createBedrock } from '@switchboard/provider-bedrock';
import { createGroq } from '@switchboard/provider-groq';
import { createOpenAI } from '@switchboard/provider-openai';
import { describe, expect, it } from 'vitest';
import {
  type StructuredMode,
  structuredModeWarning,
  structuredOutputPlan,
} from '../../packages/core/src/runtime/structured-plan.js';

const providers = [createOpenAI(), createGroq(), createAnthropic(), createBedrock()];

/** The plan for a catalog model, `'<provider>/<model id>'`. */
function planFor(ref: string): StructuredMode {
  const slash = ref.indexOf('/');
  const provider = providers.find((candidate) => candidate.id === ref.slice(0, slash));
  const model = provider?.models.find((candidate) => candidate.id === ref.slice(slash + 1));
  if (provider === undefined || model === undefined) throw new Error(`${ref} is not in the catalog`);
  return structuredOutputPlan(model as ModelSpec, provider.descriptor as ProviderDescriptor);
}

describe('structuredOutputPlan: the model decides', () => {
  it('gpt-4o has structured output: the native json_schema mode', () => {
    expect(planFor('openai/gpt-4o')).toBe('json-schema');
  });

  it.each(['openai/gpt-3.5-turbo', 'openai/gpt-4', 'openai/gpt-4-turbo'])(
    '%s has tools but no structured output: a forced tool, though OpenAI declares json_schema',
    (ref) => {
      expect(planFor(ref)).toBe('tool');
    },
  );

  it('groq llama-3.3-70b-versatile (tools, no structured output in the catalog): a forced tool', () => {
    expect(planFor('groq/llama-3.3-70b-versatile')).toBe('tool');
  });

  it('a Groq model with structured output keeps json_schema', () => {
    expect(planFor('groq/meta-llama/llama-4-maverick-17b-128e-instruct')).toBe('json-schema');
  });

  it('groq/compound (neither structured output nor tools; Groq has JSON mode): JSON mode', () => {
    expect(planFor('groq/groq/compound')).toBe('json-object');
  });

  it('a Bedrock model with neither tools nor JSON mode: the schema in the prompt only', () => {
    expect(planFor('bedrock/cohere.command-r-v1:0')).toBe('prompt');
  });

  it('a provider without a json_schema wire field (Anthropic) uses the forced tool even for capable models', () => {
    expect(planFor('anthropic/claude-sonnet-4-5')).toBe('tool');
  });

  it('a model the catalog does not list keeps the provider-level choice', () => {
    const openai = createOpenAI();
    const anthropic = createAnthropic();
    expect(structuredOutputPlan(undefined, openai.descriptor as ProviderDescriptor)).toBe('json-schema');
    expect(structuredOutputPlan(undefined, anthropic.descriptor as ProviderDescriptor)).toBe('tool');
  });

  it('a custom provider (no descriptor) gets the schema itself', () => {
    expect(structuredOutputPlan(undefined, undefined)).toBe('json-schema');
  });
});

describe('structuredModeWarning', () => {
  const plan = (mode: StructuredMode) => ({ mode, name: 'person', schema: {} });

  it('says nothing for the native mode and names every other mode', () => {
    expect(structuredModeWarning(plan('json-schema'), "model 'openai/gpt-4o'")).toBeUndefined();
    expect(structuredModeWarning(plan('tool'), "model 'openai/gpt-4'")).toMatch(
      /model 'openai\/gpt-4' has no JSON-schema mode; asked through a forced tool 'person'/,
    );
    expect(structuredModeWarning(plan('json-object'), 'x')).toMatch(/JSON mode with the schema in the system prompt/);
    expect(structuredModeWarning(plan('prompt'), 'x')).toMatch(/system prompt only/);
  });
});
