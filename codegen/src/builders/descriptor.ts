import type { ProviderIR } from '../ir.ts';
import { printLiteral } from '../literal.ts';
import type { Output } from '../output.ts';
import { exportedConst, importFrom } from './shared.ts';

/** `src/descriptor.ts`: the provider-level catalog data core interprets (auth, endpoints, dialect, limits). */
export function buildDescriptor(provider: ProviderIR): Output {
  const { camel } = provider.names;
  return {
    kind: 'typescript',
    path: `${provider.names.directory}/src/descriptor.ts`,
    source: provider.sourcePath,
    statements: [
      importFrom('@switchboard/core', ['ProviderDescriptor'], true),
      exportedConst(
        `${camel}Descriptor`,
        `${provider.spec.name}'s provider-level catalog data: protocol, endpoints, auth, dialect quirks, limits and error rules.`,
        `${printLiteral(provider.descriptor)} as const satisfies ProviderDescriptor`,
      ),
    ],
  };
}
