/**
 * Catalog problems: the validator lives in `@switchboard/core/yaml/validator` (shared with run-time
 * YAML providers, so both report the same lines); this module re-exports it for the generator.
 */
export type { Diagnostic } from '@switchboard/core/yaml/validator';
export {
  CatalogError,
  closest,
  compareDiagnostics,
  editDistance,
  formatDiagnostic,
  formatPath,
} from '@switchboard/core/yaml/validator';

/** A mistake in how the generator was invoked (unknown `--only` id); printed without a stack trace. */
export class UsageError extends Error {
  override name = 'UsageError';
}
