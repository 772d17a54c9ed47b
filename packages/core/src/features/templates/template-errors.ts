import { InvalidRequestError } from '../../errors/errors.js';

/**
 * A template's variables were wrong (missing, not of the declared type, not one of the allowed
 * values), or the template itself is invalid. `variable` names the offending variable when there is one.
 */
export class TemplateError extends InvalidRequestError {
  override name = 'TemplateError';
  readonly variable?: string;
  constructor(message: string, variable?: string, cause?: unknown) {
    super(message, { retryable: false, cause });
    this.variable = variable;
  }
}
