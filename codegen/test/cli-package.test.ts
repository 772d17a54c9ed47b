import { describe, expect, it } from 'vitest';
import { syncDependencies } from '../src/builders/cli.ts';

const CLI = `{
  "name": "@switchboard/cli",
  "engines": { "node": ">=22" },
  "bin": { "switchboard": "./dist/bin.js" },
  "dependencies": {
    "@switchboard/core": "workspace:^",
    "@switchboard/provider-gone": "workspace:^",
    "commander": "^15.1.0"
  },
  "devDependencies": { "@switchboard/provider-dev": "workspace:^" }
}
`;

describe('apps/cli/package.json dependency sync', () => {
  it('rewrites only the provider entries of dependencies and keeps every other byte', () => {
    const synced = syncDependencies(CLI, ['@switchboard/provider-openai', '@switchboard/provider-anthropic']);
    expect(synced).toBe(
      CLI.replace(
        '    "@switchboard/provider-gone": "workspace:^",\n',
        '    "@switchboard/provider-anthropic": "workspace:^",\n    "@switchboard/provider-openai": "workspace:^",\n',
      ),
    );
    expect(syncDependencies(synced, ['@switchboard/provider-openai', '@switchboard/provider-anthropic'])).toBe(synced);
  });

  it('adds a dependencies block when there is none', () => {
    const synced = syncDependencies('{\n  "name": "@switchboard/cli"\n}\n', ['@switchboard/provider-openai']);
    expect(JSON.parse(synced)).toEqual({
      name: '@switchboard/cli',
      dependencies: { '@switchboard/provider-openai': 'workspace:^' },
    });
  });
});
