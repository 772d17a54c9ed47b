// Loaded with `node --import` before the CLI: makes @switchboard/catalog-tools (the private maintainer
// tooling) fail to resolve exactly as Node fails for a package that is not installed, as after
// `npm install @switchboard/cli` from the registry, where the package does not exist.
import { registerHooks } from 'node:module';

registerHooks({
  resolve(specifier, context, nextResolve) {
    if (specifier === '@switchboard/catalog-tools' || specifier.startsWith('@switchboard/catalog-tools/')) {
      const error = new Error(`Cannot find package '@switchboard/catalog-tools' imported from ${context.parentURL}`);
      error.code = 'ERR_MODULE_NOT_FOUND';
      throw error;
    }
    return nextResolve(specifier, context);
  },
});
