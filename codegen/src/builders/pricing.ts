import { StructureKind } from 'ts-morph';
import type { ProviderIR } from '../ir.ts';
import { printLiteral } from '../literal.ts';
import type { Output } from '../output.ts';
import { exportedConst, importFrom } from './shared.ts';

/** `src/pricing.ts`: per-model prices and a cost function delegating to core's `calculateCost`. */
export function buildPricing(provider: ProviderIR): Output {
  const { camel, pascal } = provider.names;
  const name = provider.spec.name;
  return {
    kind: 'typescript',
    path: `${provider.names.directory}/src/pricing.ts`,
    source: provider.sourcePath,
    statements: [
      importFrom('@switchboard/core', ['calculateCost']),
      importFrom('@switchboard/core', ['Cost', 'ModelPricing', 'TokenUsage'], true),
      importFrom('./models.js', [`resolve${pascal}ModelId`]),
      importFrom('./models.js', [`${pascal}CanonicalModelId`, `${pascal}ModelId`], true),
      exportedConst(
        `${camel}Pricing`,
        `${name}'s prices by model id, USD per 1M tokens; models without a published price are absent.`,
        printLiteral(Object.fromEntries(provider.pricing), { quoteTopLevelKeys: true }),
        `Readonly<Partial<Record<${pascal}CanonicalModelId, ModelPricing>>>`,
      ),
      {
        kind: StructureKind.Function,
        docs: [
          `What a ${name} call cost, from its token usage and the time it was made (default now: promotional, introductory and off-peak prices depend on it); \`undefined\` when the catalog has no price for the model.`,
        ],
        isExported: true,
        name: `calculate${pascal}Cost`,
        parameters: [
          { name: 'model', type: `${pascal}ModelId` },
          { name: 'usage', type: 'TokenUsage' },
          { name: 'at', type: 'Date', hasQuestionToken: true },
        ],
        returnType: 'Cost | undefined',
        statements: [`return calculateCost(${camel}Pricing[resolve${pascal}ModelId(model)], usage, at);`],
      },
    ],
  };
}
