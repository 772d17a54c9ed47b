/**
 * Type-level test of tool argument inference, checked by `tsc -p test/tsconfig.json` (part of
 * `./run test`): each `@ts-expect-error` fails the check if the line it marks stops being an error,
 * so this file proves both that `execute` is typed from a zod schema and that misuse is refused.
 */

import { createSwitchboard, type ToolArguments, type ToolDefinition, tool } from '@switchboard/core';
import { createOpenAI } from '@switchboard/provider-openai';
import { z } from 'zod';

const weather = tool({
  name: 'weather',
  parameters: z.object({ city: z.string(), days: z.number().default(1) }),
  execute: ({ city, days }) => `${city.toUpperCase()} for ${days.toFixed(0)} days`,
});

tool({
  name: 'weather',
  parameters: z.object({ city: z.string() }),
  // @ts-expect-error -- `city` is a string, not a number
  execute: ({ city }) => city.toFixed(),
});

tool({
  name: 'weather',
  parameters: z.object({ city: z.string() }),
  // @ts-expect-error -- the schema has no `country`
  execute: ({ country }) => country,
});

// A JSON Schema tool keeps a plain record: each argument is `unknown` until checked.
tool({
  name: 'lookup',
  parameters: { type: 'object', properties: { id: { type: 'string' } } },
  execute: (args) => {
    const id: unknown = args.id;
    // @ts-expect-error -- `unknown` has no string methods
    return args.id.toUpperCase() ?? id;
  },
});

// The typed tool fits where requests take tools (an array or a record).
const tools: ToolDefinition[] = [weather];
const byName: Record<string, ToolDefinition> = { weather };

// The output type (after defaults and transforms), not the input type.
type WeatherArguments = ToolArguments<z.ZodObject<{ city: z.ZodString; days: z.ZodDefault<z.ZodNumber> }>>;
const days: number = ({} as WeatherArguments).days;
const transformed: ToolArguments<z.ZodPipe<z.ZodString, z.ZodTransform<number, string>>> = 3;
// @ts-expect-error -- the transform's output is a number
const notString: ToolArguments<z.ZodPipe<z.ZodString, z.ZodTransform<number, string>>> = 'three';

// The README's example, in the form that type-checks.
const sb = createSwitchboard({ providers: [createOpenAI({ apiKey: 'sk-test' })] as const });
async function lookup(city: string): Promise<string> {
  return city;
}
void sb.chat({
  model: 'openai/gpt-4o',
  messages: [{ role: 'user', content: 'Weather in Paris?' }],
  tools: [tool({ name: 'weather', parameters: z.object({ city: z.string() }), execute: ({ city }) => lookup(city) })],
  maxSteps: 3,
});

export { byName, days, notString, tools, transformed };
