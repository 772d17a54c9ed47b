// Loaded with `node --import` before the CLI: makes every @switchboard/provider-* package (and
// @switchboard/testing) absent except those listed in SWITCHBOARD_TEST_INSTALLED, failing exactly as
// Node fails for a package that is not installed. Lets tests run the built CLI as a user who
// installed it with only some provider packages.
import { registerHooks } from 'node:module';

const installed = new Set((process.env.SWITCHBOARD_TEST_INSTALLED ?? '').split(',').filter(Boolean));

registerHooks({
  resolve(specifier, context, nextResolve) {
    const match = /^@switchboard\/(provider-[a-z0-9-]+|testing)(?:\/|$)/.exec(specifier);
    if (match && !installed.has(match[1])) {
      const error = new Error(`Cannot find package '@switchboard/${match[1]}' imported from ${context.parentURL}`);
      error.code = 'ERR_MODULE_NOT_FOUND';
      throw error;
    }
    return nextResolve(specifier, context);
  },
});
