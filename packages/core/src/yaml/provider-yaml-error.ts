import { ConfigurationError } from '../errors/errors.js';
import type { Diagnostic } from './diagnostics.js';
import { compareDiagnostics, formatDiagnostic } from './diagnostics.js';

/** A provider YAML with problems; `message` holds one `file:line:col: path: message` line per problem, as codegen prints them. */
export class ProviderYamlError extends ConfigurationError {
  override name = 'ProviderYamlError';
  readonly diagnostics: readonly Diagnostic[];

  constructor(diagnostics: readonly Diagnostic[]) {
    const sorted = [...diagnostics].sort(compareDiagnostics);
    super(sorted.map(formatDiagnostic).join('\n'));
    this.diagnostics = sorted;
  }
}
