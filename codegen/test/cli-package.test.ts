import { describe, expect, it } from 'vitest';
import { syncProviderDependencies } from '../src/builders/cli.ts';

const CLI = `{
  "name": "@switchboard/cli",
  "engines": { "node": ">=22" },
  "bin": { "switchboard": "./dist/bin.js" },
  "dependencies": {
    "@switchboard/core": "workspace:^",
    "@switchboard/provider-gone": "workspace:^",
    "commander": "^15.1.0"
  },
  "devDependencies": { "@switchboard/provider-dev": "workspace:^", "vitest": "^5.0.0" }
}
`;

const PACKAGES = { bundled: ['@switchboard/provider-mock'], optional: ['@switchboard/provider-openai'] };

describe('apps/cli/package.json provider sync', () => {
  it('bundles the mock and the catalog data; every other provider is an optional peer, installed for development', () => {
    const synced = syncProviderDependencies(CLI, PACKAGES);
    expect(JSON.parse(synced)).toEqual({
      name: '@switchboard/cli',
      engines: { node: '>=22' },
      bin: { switchboard: './dist/bin.js' },
      dependencies: {
        '@switchboard/catalog': 'workspace:^',
        '@switchboard/core': 'workspace:^',
        '@switchboard/provider-mock': 'workspace:^',
        commander: '^15.1.0',
      },
      devDependencies: { '@switchboard/provider-openai': 'workspace:^', vitest: '^5.0.0' },
      peerDependencies: { '@switchboard/provider-openai': 'workspace:^' },
      peerDependenciesMeta: { '@switchboard/provider-openai': { optional: true } },
    });
  });

  it('keeps every byte outside the rewritten blocks and is stable', () => {
    const synced = syncProviderDependencies(CLI, PACKAGES);
    expect(synced.startsWith(CLI.slice(0, CLI.indexOf('"dependencies"')))).toBe(true);
    expect(syncProviderDependencies(synced, PACKAGES)).toBe(synced);
  });

  it('adds the blocks when there are none', () => {
    const synced = syncProviderDependencies('{\n  "name": "@switchboard/cli"\n}\n', PACKAGES);
    expect(JSON.parse(synced).peerDependencies).toEqual({ '@switchboard/provider-openai': 'workspace:^' });
  });
});
