/**
 * Prompt templates: Liquid templates (rendered by `liquidjs`) with declared, typed variables that
 * are validated before rendering. Liquid gives conditionals with comparisons (`{% if tone == "formal" %}`),
 * `{% case %}`, loops, filters and reusable sections (`{% render "rules" %}` from `sections`), and
 * cannot run arbitrary code, so templates from configuration are safe to render.
 */
import type { Liquid, Template } from 'liquidjs';
import type { Message } from '../../types/requests.js';
import { TemplateError } from './template-errors.js';

/** The declared type of a variable. */
export type TemplateVariableType = 'string' | 'number' | 'boolean' | 'array' | 'object';

/** One declared variable. */
export interface TemplateVariable {
  type?: TemplateVariableType;
  /** Rendering fails (before anything is rendered) when a required variable is missing. */
  required?: boolean;
  /** Used when the variable is not given. */
  default?: unknown;
  /** The only allowed values. */
  enum?: readonly (string | number | boolean)[];
  description?: string;
}

/** A message whose content is a template. */
export interface TemplateMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** What {@link defineTemplate} takes. */
export interface TemplateDefinition<T extends string | readonly TemplateMessage[]> {
  /** A template string, or messages whose contents are templates. */
  template: T;
  variables?: Readonly<Record<string, TemplateVariable>>;
  /** Named sections usable as `{% render "name" %}` (with the variables passed explicitly) or `{% include "name" %}`. */
  sections?: Readonly<Record<string, string>>;
  /**
   * `tidy` (default) trims the output and collapses runs of blank lines left by tags; `keep` leaves
   * the whitespace exactly as Liquid renders it.
   */
  whitespace?: 'tidy' | 'keep';
  /** Fail when the template uses a variable that is not declared (default true when `variables` is given). */
  strict?: boolean;
}

/** A defined template. */
export interface PromptTemplate<Output> {
  /** Validates the variables (required, types, enums; defaults applied), then renders. */
  render(variables?: Readonly<Record<string, unknown>>): Output;
  /** The variables after validation and defaults, without rendering; throws like `render`. */
  validate(variables?: Readonly<Record<string, unknown>>): Record<string, unknown>;
  /** The variables the template uses. */
  readonly uses: readonly string[];
  readonly variables: Readonly<Record<string, TemplateVariable>>;
}

let LiquidClass: typeof Liquid | undefined;

/** Loads liquidjs on first use (it costs ~15 ms to import; most programs never render a template). */
function liquidClass(): typeof Liquid {
  if (LiquidClass === undefined) {
    const getBuiltinModule = (globalThis.process as { getBuiltinModule?: (id: string) => unknown } | undefined)
      ?.getBuiltinModule;
    const nodeModule = getBuiltinModule?.('node:module') as typeof import('node:module') | undefined;
    if (nodeModule === undefined)
      throw new TemplateError('Prompt templates need Node.js (liquidjs is loaded on demand)');
    try {
      LiquidClass = (nodeModule.createRequire(import.meta.url)('liquidjs') as { Liquid: typeof Liquid }).Liquid;
    } catch (cause) {
      throw new TemplateError(
        'Prompt templates need the liquidjs package (an optional peer dependency): npm install liquidjs',
        undefined,
        cause,
      );
    }
  }
  return LiquidClass;
}

function typeOf(value: unknown): TemplateVariableType | 'null' | 'other' {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  const type = typeof value;
  if (type === 'string' || type === 'number' || type === 'boolean' || type === 'object') return type;
  return 'other';
}

function validateVariables(
  declared: Readonly<Record<string, TemplateVariable>>,
  given: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...given };
  for (const [name, spec] of Object.entries(declared)) {
    let value = given[name];
    if (value === undefined && spec.default !== undefined) value = spec.default;
    if (value === undefined || value === null) {
      if (spec.required) throw new TemplateError(`Missing required template variable '${name}'`, name);
      out[name] = null; // declared but absent: falsy in conditions, empty in output
      continue;
    }
    if (spec.type !== undefined && typeOf(value) !== spec.type)
      throw new TemplateError(`Template variable '${name}' must be a ${spec.type}, got ${typeOf(value)}`, name);
    if (spec.enum !== undefined && !spec.enum.includes(value as string))
      throw new TemplateError(
        `Template variable '${name}' must be one of ${spec.enum.map((v) => JSON.stringify(v)).join(', ')}; got ${JSON.stringify(value)}`,
        name,
      );
    out[name] = value;
  }
  return out;
}

function tidy(text: string): string {
  return text
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * Defines a template. A string template renders to a string; a list of messages renders to
 * `Message[]`. The template is parsed (and, when `variables` are declared, checked for undeclared
 * variables) here, so mistakes surface at definition time.
 *
 * @example
 * const review = defineTemplate({
 *   template: 'Review this {{ language }} code{% if focus %} for {{ focus }}{% endif %}:\n{{ code }}',
 *   variables: { language: { enum: ['ts', 'py'], required: true }, code: { type: 'string', required: true }, focus: {} },
 * });
 * review.render({ language: 'ts', code: 'let x = 1' });
 */
export function defineTemplate<const T extends string | readonly TemplateMessage[]>(
  definition: TemplateDefinition<T>,
): PromptTemplate<T extends string ? string : Message[]> {
  const Liquid = liquidClass();
  const engine = new Liquid({
    strictVariables: true,
    strictFilters: true,
    ownPropertyOnly: true,
    lenientIf: false,
    ...(definition.sections === undefined ? {} : { templates: { ...definition.sections } }),
  });
  const declared = definition.variables ?? {};
  const sources: readonly TemplateMessage[] =
    typeof definition.template === 'string'
      ? [{ role: 'user', content: definition.template }]
      : (definition.template as readonly TemplateMessage[]);
  let parsed: Template[][];
  const uses = new Set<string>();
  try {
    parsed = sources.map((source) => engine.parse(source.content));
    for (const tpl of parsed) for (const name of engine.globalVariablesSync(tpl)) uses.add(name);
  } catch (error) {
    throw new TemplateError(`Invalid template: ${(error as Error).message}`, undefined, error);
  }
  const strict = definition.strict ?? definition.variables !== undefined;
  if (strict) {
    const undeclared = [...uses].filter((name) => !(name in declared));
    if (undeclared.length > 0)
      throw new TemplateError(
        `The template uses undeclared variable${undeclared.length > 1 ? 's' : ''} ${undeclared.map((n) => `'${n}'`).join(', ')}; declare ${undeclared.length > 1 ? 'them' : 'it'} in variables`,
        undeclared[0],
      );
  }
  const finish = definition.whitespace === 'keep' ? (text: string) => text : tidy;
  const validate = (variables: Readonly<Record<string, unknown>> = {}) => validateVariables(declared, variables);
  const renderOne = (tpl: Template[], scope: Record<string, unknown>): string => {
    try {
      return finish(engine.renderSync(tpl, scope) as string);
    } catch (error) {
      const message = (error as Error).message;
      const variable = /undefined variable: ([A-Za-z0-9_]+)/.exec(message)?.[1];
      throw new TemplateError(`Template rendering failed: ${message}`, variable, error);
    }
  };
  return {
    uses: [...uses],
    variables: declared,
    validate,
    render(variables) {
      const scope = validate(variables);
      if (typeof definition.template === 'string') return renderOne(parsed[0] as Template[], scope) as never;
      return sources.map(
        (source, i): Message => ({ role: source.role, content: renderOne(parsed[i] as Template[], scope) }),
      ) as never;
    },
  };
}
