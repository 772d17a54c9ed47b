/**
 * Lets plain `node` run the workspace's TypeScript sources: resolves packages through the
 * `@switchboard/source` export condition and maps `./x.js` imports to `./x.ts` when only the
 * TypeScript file exists (Node strips types but does not rewrite extensions). Benchmarks then measure
 * the current sources without a build step, the same way vitest resolves them.
 */
import { existsSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { fileURLToPath } from 'node:url';

registerHooks({
  resolve(specifier, context, nextResolve) {
    const conditions = context.conditions.includes('@switchboard/source')
      ? context.conditions
      : ['@switchboard/source', ...context.conditions];
    try {
      return nextResolve(specifier, { ...context, conditions });
    } catch (error) {
      if (specifier.endsWith('.js') && context.parentURL?.startsWith('file:')) {
        const candidate = new URL(specifier.replace(/\.js$/, '.ts'), context.parentURL);
        if (existsSync(fileURLToPath(candidate))) return nextResolve(candidate.href, { ...context, conditions });
      }
      throw error;
    }
  },
});
