import { NotFoundError, SwitchboardError } from '../errors/errors.js';

/**
 * Thrown when a capability name is neither canonical nor a known alias. Typos in feature lists would
 * otherwise silently match nothing; the error names the closest canonical capability instead.
 */
export class UnknownCapabilityError extends SwitchboardError {
  override name = 'UnknownCapabilityError';
  /** The name as the caller wrote it. */
  readonly capability: string;
  /** The canonical capability closest to it, when one is reasonably close. */
  readonly suggestion?: string;
  constructor(capability: string, suggestion?: string) {
    super(
      'invalid-request',
      `Unknown capability "${capability}".${suggestion ? ` Did you mean "${suggestion}"?` : ''}`,
      { retryable: false },
    );
    this.capability = capability;
    if (suggestion !== undefined) this.suggestion = suggestion;
  }
}

/**
 * Thrown by `requireModel` (and by queries that need a model) when a reference matches no model, or
 * matches several when given without a provider. Names the closest known reference so a typo is a
 * one-line fix.
 */
export class ModelNotFoundError extends NotFoundError {
  override name = 'ModelNotFoundError';
  /** The reference as the caller wrote it, in `provider/model` form when given as an object. */
  readonly reference: string;
  /** The closest known `provider/model` reference, if any. */
  readonly suggestion?: string;
  /** For a bare id served by several providers: every matching reference. */
  readonly candidates?: readonly string[];
  constructor(reference: string, details: { suggestion?: string; candidates?: readonly string[] } = {}) {
    const { suggestion, candidates } = details;
    const hint = candidates?.length
      ? ` It is ambiguous; use one of: ${candidates.join(', ')}.`
      : suggestion
        ? ` Did you mean "${suggestion}"?`
        : '';
    super(`Model "${reference}" is not in the catalog.${hint}`, { retryable: false });
    this.reference = reference;
    if (suggestion !== undefined) this.suggestion = suggestion;
    if (candidates !== undefined) this.candidates = candidates;
  }
}

/** Thrown by provider queries given an id that no installed provider has. */
export class ProviderNotFoundError extends NotFoundError {
  override name = 'ProviderNotFoundError';
  readonly providerId: string;
  readonly suggestion?: string;
  constructor(providerId: string, suggestion?: string) {
    super(`Provider "${providerId}" is not in the catalog.${suggestion ? ` Did you mean "${suggestion}"?` : ''}`, {
      provider: providerId,
      retryable: false,
    });
    this.providerId = providerId;
    if (suggestion !== undefined) this.suggestion = suggestion;
  }
}
