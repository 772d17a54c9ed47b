/**
 * Lets plain `node` run the workspace's TypeScript sources: resolves packages through the
 * `@switchboard/source` export condition and maps `./x.js` imports to `./x.ts` when only the
 * TypeScript file exists (Node strips types but does not rewrite extensions), and compiles `.ts` files
 * in transform mode so sources using parameter properties or enums load too. Benchmarks then measure
 * the current sources without a build step, the same way vitest resolves them.
 */
import { existsSync } from 'node:fs';
import { registerHooks, stripTypeScriptTypes } from 'node:module';
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
  load(url, context, nextLoad) {
    const loaded = nextLoad(url, context);
    if (!url.startsWith('file:') || !url.endsWith('.ts') || url.includes('/node_modules/')) return loaded;
    const source =
      typeof loaded.source === 'string' ? loaded.source : new TextDecoder().decode(loaded.source as Uint8Array);
    return { ...loaded, format: 'module', source: stripTypeScriptTypes(source, { mode: 'transform', sourceUrl: url }) };
  },
});
