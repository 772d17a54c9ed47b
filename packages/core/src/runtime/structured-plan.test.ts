/**
 * The parts of the structured-output plan that need no catalog: a custom provider (no descriptor)
 * receives the schema itself, and the warning line names every mode but the native one. The catalog
 * facts (which real model gets which mode) are checked on the wire in test/structured/.
 */
import { describe, expect, it } from 'vitest';
import { type StructuredMode, structuredModeWarning, structuredOutputPlan } from './structured-plan.js';

describe('structuredOutputPlan without a descriptor', () => {
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
