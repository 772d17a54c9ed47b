/**
 * A registry of prompt templates (Aiex's template library): templates made by `defineTemplate`,
 * registered under an id with a name and a category, rendered by id. Context injectors add project
 * or session context (the repository's language, the user's name, today's date) to every render
 * that asks for it, so call sites pass only what is specific to the call.
 */
import type { Message } from '../../types/requests.js';
import type { PromptTemplate, TemplateVariable } from './define-template.js';
import { TemplateError } from './template-errors.js';

/** Adds variables from context: receives the caller's variables and the render's context. */
export type ContextInjector = (
  variables: Readonly<Record<string, unknown>>,
  context: Readonly<Record<string, unknown>>,
) => Readonly<Record<string, unknown>> | undefined;

/** A template as registered. */
export interface RegisteredTemplate<Output = string | Message[]> {
  id: string;
  name?: string;
  category?: string;
  description?: string;
  /** The template (from `defineTemplate`). */
  template: PromptTemplate<Output>;
  /** Injectors (by name) whose variables every render of this template gets. */
  inject?: readonly string[];
}

/** What `list()` returns per template. */
export interface TemplateSummary {
  id: string;
  name: string;
  category: string | undefined;
  description: string | undefined;
  variables: Readonly<Record<string, TemplateVariable>>;
  /** The variables the template uses (its conditionals' too). */
  uses: readonly string[];
  inject: readonly string[];
}

/** Options of one render. */
export interface RenderOptions {
  /** Handed to every injector (a session, a project description...). */
  context?: Readonly<Record<string, unknown>>;
  /** Injectors to run on top of the template's own `inject` list. */
  inject?: readonly string[];
}

/** A registry of templates. */
export interface TemplateRegistry {
  /** Adds a template; its id must be new. Returns the registry (chainable). */
  register(template: RegisteredTemplate): TemplateRegistry;
  /** Adds a context injector under a name (a name may be registered once). */
  inject(name: string, injector: ContextInjector): TemplateRegistry;
  /**
   * Renders a template by id. Injected variables come first, the caller's win over them; the
   * template then validates the result (missing required variables name the variable).
   */
  render(id: string, variables?: Readonly<Record<string, unknown>>, options?: RenderOptions): string | Message[];
  /** The registered templates, optionally of one category, in registration order. */
  list(filter?: { category?: string }): TemplateSummary[];
  /** The template registered under `id` (throws naming it when none is). */
  get(id: string): RegisteredTemplate;
  has(id: string): boolean;
}

/** Creates an empty template registry. */
export function createTemplateRegistry(): TemplateRegistry {
  const templates = new Map<string, RegisteredTemplate>();
  const injectors = new Map<string, ContextInjector>();

  const get = (id: string): RegisteredTemplate => {
    const found = templates.get(id);
    if (found === undefined)
      throw new TemplateError(
        `Unknown template '${id}' (registered: ${[...templates.keys()].map((known) => `'${known}'`).join(', ') || 'none'})`,
      );
    return found;
  };

  const registry: TemplateRegistry = {
    register(entry) {
      if (typeof entry.id !== 'string' || entry.id === '')
        throw new TemplateError('register: `id` must be a non-empty string');
      if (templates.has(entry.id)) throw new TemplateError(`Template '${entry.id}' is already registered`);
      if (typeof entry.template?.render !== 'function')
        throw new TemplateError(`register '${entry.id}': \`template\` must come from defineTemplate`);
      templates.set(entry.id, entry);
      return registry;
    },
    inject(name, injector) {
      if (injectors.has(name)) throw new TemplateError(`Context injector '${name}' is already registered`);
      if (typeof injector !== 'function') throw new TemplateError(`inject '${name}': the injector must be a function`);
      injectors.set(name, injector);
      return registry;
    },
    render(id, variables = {}, options = {}) {
      const entry = get(id);
      const names = [...new Set([...(entry.inject ?? []), ...(options.inject ?? [])])];
      const context = options.context ?? {};
      let injected: Record<string, unknown> = {};
      for (const name of names) {
        const injector = injectors.get(name);
        if (injector === undefined)
          throw new TemplateError(`Template '${id}' asks for context injector '${name}', which is not registered`);
        injected = { ...injected, ...(injector(variables, context) ?? {}) };
      }
      // Only the template's declared variables are injected: an injector serving many templates
      // must not trip a template's check for undeclared variables.
      const declared = entry.template.variables;
      const relevant =
        Object.keys(declared).length === 0
          ? injected
          : Object.fromEntries(Object.entries(injected).filter(([name]) => name in declared));
      return entry.template.render({ ...relevant, ...variables });
    },
    list(filter) {
      return [...templates.values()]
        .filter((entry) => filter?.category === undefined || entry.category === filter.category)
        .map((entry) => ({
          id: entry.id,
          name: entry.name ?? entry.id,
          category: entry.category,
          description: entry.description,
          variables: entry.template.variables,
          uses: entry.template.uses,
          inject: entry.inject ?? [],
        }));
    },
    get,
    has: (id) => templates.has(id),
  };
  return registry;
}
