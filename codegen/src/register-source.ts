import { registerHooks } from 'node:module';

/**
 * Lets plain Node (which runs codegen's TypeScript directly) load workspace packages from their
 * TypeScript sources, as vitest does: the `@switchboard/source` export condition picks `src/*.ts`, and a
 * relative `./x.js` import inside those sources (written for tsc's output) falls back to `./x.ts`.
 * Codegen needs this for the catalog validator it shares with `@switchboard/core/yaml`, which must
 * run before anything is built (the build depends on what codegen generates).
 */
registerHooks({
  resolve(specifier, context, nextResolve) {
    const conditions = [...(context.conditions ?? []), '@switchboard/source'];
    try {
      return nextResolve(specifier, { ...context, conditions });
    } catch (error) {
      const fromSource = context.parentURL?.endsWith('.ts') && /^\.\.?\/.*\.js$/.test(specifier);
      if (!fromSource || (error as { code?: string }).code !== 'ERR_MODULE_NOT_FOUND') throw error;
      return nextResolve(specifier.replace(/\.js$/, '.ts'), { ...context, conditions });
    }
  },
});
