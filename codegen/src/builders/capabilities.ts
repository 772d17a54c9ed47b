import type { ProviderIR } from '../ir.ts';
import { printLiteral } from '../literal.ts';
import type { Output } from '../output.ts';
import { exportedConst, importFrom } from './shared.ts';

/** `src/capabilities.ts`: provider-level and per-model canonical capabilities. */
export function buildCapabilities(provider: ProviderIR): Output {
  const { camel, pascal } = provider.names;
  const name = provider.spec.name;
  const perModel = Object.fromEntries(provider.models.map((model) => [model.id, model.capabilities]));
  return {
    kind: 'typescript',
    path: `${provider.names.directory}/src/capabilities.ts`,
    source: provider.sourcePath,
    statements: [
      importFrom('@switchboard/core', ['CanonicalCapability'], true),
      importFrom('./models.js', [`${pascal}CanonicalModelId`], true),
      exportedConst(
        `${camel}Capabilities`,
        `What ${name} supports as a provider, whatever the model (canonical names, sorted).`,
        printLiteral(provider.spec.capabilities),
        'readonly CanonicalCapability[]',
      ),
      exportedConst(
        `${camel}ModelCapabilities`,
        `Canonical capabilities of each ${name} model, by model id, so queries need no alias handling.`,
        printLiteral(perModel, { quoteTopLevelKeys: true }),
        `Readonly<Record<${pascal}CanonicalModelId, readonly CanonicalCapability[]>>`,
      ),
    ],
  };
}
