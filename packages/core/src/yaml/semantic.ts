import type { ProviderSpec } from '../types/catalog.js';
import type { Diagnostic } from './diagnostics.js';
import { checkModelLifecycle } from './semantic-lifecycle.js';
import type { YamlSource } from './source.js';
import { diagnosticAt } from './source.js';

/**
 * Checks the schema cannot express: unique model ids and aliases, aliases that would hide another
 * model, a default model that exists, embedding models with dimensions, limits within the context
 * window, a file named after its id; the time-dependent facts in `semantic-lifecycle.ts`.
 */
export function checkProvider(spec: ProviderSpec, source: YamlSource, expectedId: string | undefined): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  if (expectedId !== undefined && spec.id !== expectedId) {
    diagnostics.push(diagnosticAt(source, ['id'], `id '${spec.id}' must match the file name '${expectedId}.yaml'`));
  }
  const ids = new Map<string, number>();
  spec.models.forEach((model, index) => {
    const first = ids.get(model.id);
    if (first !== undefined) {
      diagnostics.push(
        diagnosticAt(source, ['models', index, 'id'], `duplicate model id '${model.id}' (first at models[${first}])`),
      );
    } else {
      ids.set(model.id, index);
    }
  });
  const aliases = new Map<string, number>();
  spec.models.forEach((model, index) => {
    (model.aliases ?? []).forEach((alias, aliasIndex) => {
      const path = ['models', index, 'aliases', aliasIndex];
      const owner = ids.get(alias);
      if (owner !== undefined) {
        diagnostics.push(diagnosticAt(source, path, `alias '${alias}' shadows the id of models[${owner}]`));
        return;
      }
      const first = aliases.get(alias);
      if (first !== undefined) {
        diagnostics.push(diagnosticAt(source, path, `duplicate alias '${alias}' (also an alias of models[${first}])`));
        return;
      }
      aliases.set(alias, index);
    });
    const { context, input, output } = model.limits;
    if (model.type !== 'embedding' && output !== undefined && output > context) {
      diagnostics.push(
        diagnosticAt(
          source,
          ['models', index, 'limits', 'output'],
          `output limit ${output} exceeds the context window ${context}`,
        ),
      );
    }
    if (input !== undefined && input > context) {
      diagnostics.push(
        diagnosticAt(
          source,
          ['models', index, 'limits', 'input'],
          `input limit ${input} exceeds the context window ${context}`,
        ),
      );
    }
    if (model.type === 'embedding' && model.embedding?.dimensions === undefined) {
      diagnostics.push(
        diagnosticAt(source, ['models', index], `embedding model '${model.id}' needs embedding.dimensions`),
      );
    }
  });
  const resolve = (name: string): number | undefined => ids.get(name) ?? aliases.get(name);
  spec.models.forEach((model, index) => {
    diagnostics.push(...checkModelLifecycle(model, index, resolve, source));
  });
  if (resolve(spec.defaultModel) === undefined) {
    diagnostics.push(
      diagnosticAt(source, ['defaultModel'], `defaultModel '${spec.defaultModel}' is not a model of this provider`),
    );
  }
  if (spec.defaultEmbeddingModel !== undefined) {
    const index = resolve(spec.defaultEmbeddingModel);
    if (index === undefined) {
      diagnostics.push(
        diagnosticAt(
          source,
          ['defaultEmbeddingModel'],
          `defaultEmbeddingModel '${spec.defaultEmbeddingModel}' is not a model of this provider`,
        ),
      );
    } else if (spec.models[index]?.type !== 'embedding') {
      diagnostics.push(
        diagnosticAt(
          source,
          ['defaultEmbeddingModel'],
          `defaultEmbeddingModel '${spec.defaultEmbeddingModel}' is not an embedding model`,
        ),
      );
    }
  }
  return diagnostics;
}
